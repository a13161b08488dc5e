-- wrk script: GET the HTML answer form of survey links (as a browser asks for it), cycling over a tokens file.
-- A GET does not use a link up, so the same links are asked for again and again.
-- Usage: wrk -t1 -c16 -d20s --latency -s form.lua http://127.0.0.1:5093 -- tokens.txt
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do table.insert(tokens, line) end
  position = 0
  forms, other = 0, 0
end

function request()
  position = position % #tokens + 1
  return wrk.format("GET", "/s/" .. tokens[position], { ["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8" })
end

function response(status, headers, body)
  -- Counted only when the page really is the form (its score scale), not an error page.
  if status == 200 and body:find('name="score" value="10"', 1, true) then forms = forms + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local f, o = 0, 0
  for _, thread in ipairs(threads) do f = f + thread:get("forms"); o = o + thread:get("other") end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f forms=%d other=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    f, o, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
