-- wrk script: every request answers a different single-use survey link, read from a tokens file.
-- Usage: wrk -t1 -c64 -d20s --latency -s answers.lua http://127.0.0.1:5090 -- tokens.txt
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do table.insert(tokens, line) end
  position = id -- threads interleave so no two use the same token
  step = tonumber(args[2] or "1")
  score = tonumber(args[3] or "9") -- bench/webhooks/throughput.sh answers as detractors (0-6)
  created, conflicts, other = 0, 0, 0
end

function request()
  local token = tokens[position + 1] or "exhausted-token-aaaaaaaaaaaaaaaa"
  position = position + step
  return wrk.format("POST", "/s/" .. token, { ["Content-Type"] = "application/json" },
    '{"score":' .. score .. ',"comment":"Quick answer, the agent solved my delivery problem in one chat."}')
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then conflicts = conflicts + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, k, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created"); k = k + thread:get("conflicts"); o = o + thread:get("other")
  end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f created=%d conflicts=%d other=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    c, k, o, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
