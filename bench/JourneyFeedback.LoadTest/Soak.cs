using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// What a soak runs against: the instances' base URLs and the files their pids are written to (bench/soak/run.sh restarts
/// a killed instance and writes the new pid), the data folder, and for PostgreSQL its connection string and the command
/// that restarts it. Defaults: 100 answers/s over 16 connections, 20,000-row imports, one kill under 4 minutes, else one
/// every 5 minutes and at least two (one mid-import, one mid-answers).
/// </summary>
internal sealed record SoakOptions(
    double Minutes, string[] Apis, string Key, string DataDirectory, string[] PidFiles, string WorkDirectory, string? Postgres,
    string? RestartDatabase, double Rate, int Connections, int ImportRows, int Kills, long MaxWalBytes, string MapFile)
{
    public static SoakOptions Parse(string minutes, string[] options)
    {
        string? Option(string name) => Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
        string Required(string name) => Option(name) ?? throw new ArgumentException($"soak needs {name}");
        var length = double.Parse(minutes, CultureInfo.InvariantCulture);
        return new SoakOptions(length, Required("--api").Split(','), Option("--key") ?? "bench-key", Required("--data"), Required("--pid-files").Split(','),
            Required("--work"), Option("--postgres"), Option("--restart-db"),
            double.Parse(Option("--rate") ?? "100", CultureInfo.InvariantCulture), int.Parse(Option("--connections") ?? "16", CultureInfo.InvariantCulture),
            int.Parse(Option("--import-rows") ?? "20000", CultureInfo.InvariantCulture),
            int.Parse(Option("--kills") ?? (length < 4 ? 1 : Math.Max(2, (int)(length / 5))).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            long.Parse(Option("--max-wal-mb") ?? "256", CultureInfo.InvariantCulture) << 20, Option("--map") ?? "samples/maps/ecommerce-journey.json");
    }
}

/// <summary>
/// Everything at once for N minutes, with faults: survey answers at a steady rate (each link's outcome recorded, failed
/// links retried as a client would), an import round every minute (a realistic varied support log plus hostile files),
/// insights and evidence reads, corrections and re-assignments, one retrain, and on a schedule a SIGKILL of an instance
/// in the middle of an import batch or of answer batches (and with PostgreSQL one database restart). Then it lets the
/// product settle and checks the invariants against the database (<see cref="SoakChecks"/>). Exit code 1 when one breaks.
/// </summary>
internal sealed partial class Soak(SoakOptions options)
{
    private const string MapName = "Soak map";
    private readonly SoakLedger _ledger = new();
    private readonly HttpClient[] _http = [.. options.Apis.Select(api => Client(api, options.Key, options.Connections + 16, TimeSpan.FromSeconds(60)))];
    private readonly HttpClient[] _uploads = [.. options.Apis.Select(api => Client(api, options.Key, 4, TimeSpan.FromMinutes(5)))];
    private readonly ConcurrentQueue<(long Index, int Attempt, DateTime Due)> _retries = new();
    private readonly List<(SoakFile File, int Status, string? ImportId)> _uploaded = [];
    private readonly List<string> _faults = [];
    private readonly List<(DateTime At, long WalBytes, long ImportsBytes, long DataBytes)> _disk = [];
    private string[] _tokens = [];
    private LinkState[] _links = [];
    private List<string> _comments = [];
    private string _mapId = "";
    private List<string> _touchpoints = [];
    private long _next = -1, _inFlight;
    private int _patches;
    private string _retrain = "not started";
    private DateTime? _retrainEnded;

    internal enum LinkState : byte { Unsent, Created, CreatedOnRetry, ConflictAfterFailure, ConflictFirst, Retrying, GaveUp, Refused }

    private int Instances => options.Apis.Length;

    public static async Task<int> Run(SoakOptions options) => await new Soak(options).RunAsync();

    private async Task<int> RunAsync()
    {
        var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleLoop(stopSampling.Token));
        await SetUpAsync();
        Say($"set up: map {_mapId} ({_touchpoints.Count} touchpoints), {_tokens.Length} survey links, {options.Rate}/s over {options.Connections} connections, " +
            $"{Instances} instance(s), {options.Kills} kill(s){(options.RestartDatabase is null ? "" : " and one PostgreSQL restart")}, {options.Minutes} min");

        var start = DateTime.UtcNow;
        var end = start.AddMinutes(options.Minutes);
        using var load = new CancellationTokenSource(end - start);
        using var drain = new CancellationTokenSource();
        var answers = Enumerable.Range(0, options.Connections).Select(w => Task.Run(() => AnswerWorker(w, start, load.Token, drain.Token))).ToList();
        var others = new List<Task>
        {
            Task.Run(() => ImportLoop(start, end, load.Token)),
            Task.Run(() => ReadLoop(1, load.Token)),
            Task.Run(() => ReadLoop(2, load.Token)),
            Task.Run(() => CorrectionLoop(load.Token)),
            Task.Run(() => FaultLoop(start, end, load.Token)),
        };
        var retrain = Task.Run(() => RetrainOnce(start.AddMinutes(options.Minutes * 0.35), end));

        await Task.WhenAll(others);
        Say("load over; retrying failed links, waiting for imports and the retrain to finish");
        drain.CancelAfter(TimeSpan.FromMinutes(2));
        await Task.WhenAll(answers);
        var sent = Math.Min(Interlocked.Read(ref _next) + 1, _tokens.Length);
        Say(string.Create(CultureInfo.InvariantCulture, $"answers: {sent} links sent in {options.Minutes * 60:F0} s = {sent / (options.Minutes * 60):F0}/s (target {options.Rate}/s)"));
        await WaitForImportsAsync(TimeSpan.FromMinutes(Math.Max(5, options.Minutes / 2)));
        await retrain;
        stopSampling.Cancel();
        await sampler;

        var checks = new SoakChecks(options, _ledger);
        var broken = await checks.RunAsync(_tokens, _links, _uploaded, _mapId, MapName, _disk, FetchInsightsAsync,
            _retrain == "not started" ? null : _retrainEnded ?? DateTime.MaxValue);
        Say($"faults: {string.Join("; ", _faults)}");
        Say($"retrain: {_retrain}; evidence corrections sent: {_patches}");
        Say(SlowUploadFigures());
        foreach (var line in _ledger.Summary()) Say("requests " + line);
        Say($"loadavg {File.ReadAllText("/proc/loadavg").Trim()}");
        Say(broken == 0 ? "RESULT all invariants hold" : $"RESULT {broken} invariant(s) broken");
        return broken == 0 ? 0 : 1;
    }

    private static HttpClient Client(string api, string key, int connections, TimeSpan timeout)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = new Uri(api),
            Timeout = timeout,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    internal static void Say(string line) => Console.WriteLine($"SOAK {line}");

    /// <summary>Sends one request and records it; status 0 when no response came (connection refused or reset, timeout).</summary>
    private async Task<(int Status, string Body)> Send(string kind, int instance, Func<HttpClient, Task<HttpResponseMessage>> send, HttpClient? client = null)
    {
        var sent = DateTime.UtcNow;
        try
        {
            using var response = await send(client ?? _http[instance]);
            var body = await response.Content.ReadAsStringAsync();
            _ledger.Record(new SoakCall(kind, instance, sent, DateTime.UtcNow, (int)response.StatusCode, response.Headers.RetryAfter is not null));
            return ((int)response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            _ledger.Record(new SoakCall(kind, instance, sent, DateTime.UtcNow, 0, false));
            return (0, "");
        }
    }

    private async Task SetUpAsync()
    {
        var map = JsonNode.Parse(await File.ReadAllTextAsync(options.MapFile))!;
        map["name"] = MapName;
        var created = await (await _http[0].PostAsync("/api/maps", new StringContent(map.ToJsonString(), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        _mapId = created!["id"]!.GetValue<string>();
        _touchpoints = [.. created["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray()).Select(t => t!["id"]!.GetValue<string>())];

        // Tied to the map only: the matcher places the comments, so answers feed the inbox that corrections empty.
        var survey = await (await _http[0].PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Soak NPS", mapId = _mapId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var surveyId = survey!["id"]!.GetValue<string>();
        var count = (int)(options.Rate * options.Minutes * 60 * 1.1) + 1000;
        var tokens = new List<string>(count);
        for (var first = 0; first < count; first += 1000)
        {
            var recipients = Enumerable.Range(first, Math.Min(1000, count - first))
                .Select(i => new { customerId = $"C-{i % 5000}", externalRef = $"soak-{i}", channel = "chat" });
            var batch = await (await _http[0].PostAsJsonAsync($"/api/surveys/{surveyId}/invitations", new { recipients }))
                .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
            tokens.AddRange(batch!["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()));
        }
        _tokens = [.. tokens];
        _links = new LinkState[_tokens.Length];

        var comments = Path.Combine(options.WorkDirectory, "comments.csv");
        VariedSupportLog.Generate(20_000, comments, 7, "SC");
        _comments = PacedAnswers.Comments(comments, 20_000);
    }

    // ---- answers ------------------------------------------------------------------------------------------------

    /// <summary>Link i is due at start + i / rate; retries (due after a back-off) go first. After the load only retries run.</summary>
    private async Task AnswerWorker(int worker, DateTime start, CancellationToken load, CancellationToken drain)
    {
        var random = new Random(1000 + worker);
        while (!drain.IsCancellationRequested)
        {
            if (_retries.TryPeek(out var retry) && retry.Due <= DateTime.UtcNow && _retries.TryDequeue(out retry))
            {
                await Answer(retry.Index, retry.Attempt, random);
                continue;
            }
            if (load.IsCancellationRequested)
            {
                if (_retries.IsEmpty && Interlocked.Read(ref _inFlight) == 0) return;
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            var i = Interlocked.Increment(ref _next);
            if (i >= _tokens.Length)
            {
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            var due = start + TimeSpan.FromSeconds(i / options.Rate);
            if (due - DateTime.UtcNow is { Ticks: > 0 } wait) await Task.Delay(wait, CancellationToken.None);
            await Answer(i, 1, random);
        }
        // Gave up on whatever is still waiting: checked at the end as "stored at most once".
        while (_retries.TryDequeue(out var left)) _links[left.Index] = LinkState.GaveUp;
    }

    private async Task Answer(long index, int attempt, Random random)
    {
        Interlocked.Increment(ref _inFlight);
        // A retry goes to the next instance, as a load balancer would send it.
        var instance = (int)((index + attempt - 1) % Instances);
        var body = JsonSerializer.Serialize(new { score = random.Next(0, 11), comment = _comments[(int)(index % _comments.Count)] });
        var (status, _) = await Send("answer", instance, h => h.PostAsync($"/s/{_tokens[index]}", new StringContent(body, Encoding.UTF8, "application/json")));
        _links[index] = status switch
        {
            201 => attempt == 1 ? LinkState.Created : LinkState.CreatedOnRetry,
            409 => attempt == 1 ? LinkState.ConflictFirst : LinkState.ConflictAfterFailure,
            0 or >= 500 => LinkState.Retrying,
            _ => LinkState.Refused,
        };
        if (_links[index] == LinkState.Retrying)
            _retries.Enqueue((index, attempt + 1, DateTime.UtcNow.AddSeconds(Math.Min(5, 0.5 * (1 << Math.Min(attempt, 4))))));
        Interlocked.Decrement(ref _inFlight);
    }

    // ---- imports ------------------------------------------------------------------------------------------------

    /// <summary>
    /// A round a minute, from 3 s in: a realistic support log (new ticket ids each round), then the hostile files, a
    /// multipart body cut off half-way, a client gone mid-upload, and a small realistic log sent at 10 KB/s beside the
    /// next round's work.
    /// </summary>
    private async Task ImportLoop(DateTime start, DateTime end, CancellationToken load)
    {
        var random = new Random(11);
        SoakFile? first = null;
        var slow = new List<Task>();
        for (var round = 0; ; round++)
        {
            var due = start.AddSeconds(3 + 60 * round);
            if (due >= end) break;
            if (due - DateTime.UtcNow is { Ticks: > 0 } wait && !await Delay(wait, load)) return;
            var instance = round % Instances;
            var name = $"soak-r{round:D3}-support-log.csv";
            var path = Path.Combine(options.WorkDirectory, name);
            VariedSupportLog.Generate(options.ImportRows, path, 100 + round, $"S{round:D3}");
            var realistic = new SoakFile(path, name, options.ImportRows, Hostile: false);
            first ??= realistic;
            await Upload(realistic, instance);
            // The first file again: every row a duplicate (dedup keys are ticket ids).
            if (round == 1) await Upload(first with { Name = "soak-r001-reupload-of-r000.csv" }, instance);
            foreach (var hostile in SoakFiles.Hostile(options.WorkDirectory, round, random)) await Upload(hostile, (instance + 1) % Instances);
            await CutUploadAsync(SoakFiles.Realistic(options.WorkDirectory, $"soak-r{round:D3}-cut-multipart.csv", 500, $"C{round:D3}"), instance, disconnect: false);
            await CutUploadAsync(SoakFiles.Realistic(options.WorkDirectory, $"soak-r{round:D3}-gone-mid-upload.csv", 500, $"G{round:D3}"), instance, disconnect: true);
            slow.Add(SlowUploadAsync(SoakFiles.Realistic(options.WorkDirectory, $"soak-r{round:D3}-slow-client.csv", 1000, $"W{round:D3}"),
                (instance + 1) % Instances));
        }
        await Task.WhenAll(slow);
    }

    private async Task Upload(SoakFile file, int instance)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await using var stream = File.OpenRead(file.Path);
            using var form = new MultipartFormDataContent
            {
                { new StreamContent(stream), "file", file.Name },
                { new StringContent("support-log"), "kind" },
                { new StringContent(_mapId), "mapId" },
            };
            var (status, body) = await Send("import-upload", instance, h => h.PostAsync("/api/imports", form), _uploads[instance]);
            var id = status == 202 ? JsonNode.Parse(body)!["id"]!.GetValue<string>() : null;
            lock (_uploaded) _uploaded.Add((file, status, id));
            if (status is not (0 or >= 500)) return;
            await Task.Delay(TimeSpan.FromSeconds(5));
            instance = (instance + 1) % Instances;
        }
    }

    private async Task WaitForImportsAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await Send("import-status", 0, h => h.GetAsync("/api/imports"));
            if (status == 200 && JsonNode.Parse(body)!.AsArray().All(i => i!["status"]!.GetValue<string>() is not ("queued" or "running"))) return;
            await Task.Delay(2000);
        }
        Say($"imports still unfinished after {limit.TotalMinutes:F0} min");
    }

    // ---- reads, corrections, retrain --------------------------------------------------------------------------

    private async Task ReadLoop(int seed, CancellationToken load)
    {
        var random = new Random(seed);
        var withItems = _touchpoints;
        while (!load.IsCancellationRequested)
        {
            var instance = random.Next(Instances);
            switch (random.Next(4))
            {
                case 0:
                    var (status, body) = await Send("insights", instance, h => h.GetAsync(random.Next(3) == 0 ? $"/api/maps/{_mapId}/insights"
                        : InsightsLatency.InsightsPath(_mapId, random)));
                    if (status == 200 && InsightsLatency.TouchpointsWithItems(JsonNode.Parse(body)!) is { Count: > 0 } found) withItems = found;
                    break;
                case 1:
                    await Send("touchpoint-evidence", instance, h => h.GetAsync(InsightsLatency.EvidencePath(_mapId, withItems, random)));
                    break;
                case 2:
                    await Send("evidence", instance, h => h.GetAsync($"/api/evidence?page={random.Next(1, 20)}&pageSize=50"));
                    break;
                default:
                    await Send("inbox", instance, h => h.GetAsync($"/api/maps/{_mapId}/unassigned?pageSize=20"));
                    break;
            }
            await Delay(TimeSpan.FromMilliseconds(100), load);
        }
    }

    private static readonly string[] Sentiments = ["negative", "neutral", "positive"];
    private static readonly string[] PainPoints = ["delivery-shipping", "refunds-returns", "payment-checkout", "none"];

    /// <summary>Twice a second: an inbox item placed by hand, a placed item re-assigned, or a sentiment / pain point corrected.</summary>
    private async Task CorrectionLoop(CancellationToken load)
    {
        var random = new Random(3);
        while (await Delay(TimeSpan.FromMilliseconds(500), load))
        {
            var instance = random.Next(Instances);
            var fromInbox = random.Next(3) == 0;
            var path = fromInbox ? $"/api/maps/{_mapId}/unassigned?pageSize=20"
                : $"/api/maps/{_mapId}/touchpoints/{_touchpoints[random.Next(_touchpoints.Count)]}/evidence?pageSize=20";
            var (status, body) = await Send("correction-read", instance, h => h.GetAsync(path));
            if (status != 200) continue;
            var items = JsonNode.Parse(body)!["items"]!.AsArray();
            if (items.Count == 0) continue;
            var picked = items[random.Next(items.Count)]!;
            var id = (fromInbox ? picked["item"] : picked)!["id"]!.GetValue<string>();
            object patch = random.Next(3) switch
            {
                0 => new { touchpointId = _touchpoints[random.Next(_touchpoints.Count)] },
                1 => new { sentiment = Sentiments[random.Next(3)] },
                _ => new { sentiment = Sentiments[random.Next(3)], painPoint = PainPoints[random.Next(PainPoints.Length)] },
            };
            if (fromInbox) patch = new { touchpointId = picked["bestGuessTouchpointId"]?.GetValue<string>() ?? _touchpoints[random.Next(_touchpoints.Count)] };
            await Send("correction", instance, h => h.PatchAsJsonAsync($"/api/evidence/{id}", patch));
            Interlocked.Increment(ref _patches);
        }
    }

    /// <summary>
    /// One retrain, started once there are corrections and followed to its end. A kill interrupts a training job (it ends
    /// as failed, "start a new retrain"): the client then starts it once more.
    /// </summary>
    private async Task RetrainOnce(DateTime at, DateTime end)
    {
        if (at - DateTime.UtcNow is { Ticks: > 0 } wait) await Task.Delay(wait);
        for (var run = 1; run <= 2; run++)
        {
            // Started again only with 40% of the run left: a short run (CI) does not wait minutes for a second training.
            if (run == 2 && end - DateTime.UtcNow < TimeSpan.FromMinutes(options.Minutes * 0.4))
            {
                _retrain += "; not started again (too little of the run left)";
                return;
            }
            string? id = null;
            while (id is null && DateTime.UtcNow < end)
            {
                var (status, body) = await Send("retrain", 0, h => h.PostAsJsonAsync("/api/analysis/retrain", new { }));
                if (status == 202) id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
                else if (status == 503 && body.Contains("training data", StringComparison.OrdinalIgnoreCase)) { _retrain = "not available (no training data)"; return; }
                else await Task.Delay(5000);
            }
            if (id is null) { _retrain += "; never accepted"; return; }
            var started = DateTime.UtcNow;
            var outcome = "still running at the end";
            while (DateTime.UtcNow - started < TimeSpan.FromMinutes(Math.Max(10, options.Minutes)))
            {
                var (status, body) = await Send("retrain-status", 0, h => h.GetAsync($"/api/analysis/retrain/{id}"));
                if (status == 200 && JsonNode.Parse(body) is { } job && job["status"]!.GetValue<string>() is "promoted" or "rejected" or "failed")
                {
                    outcome = $"{job["status"]} after {(DateTime.UtcNow - started).TotalSeconds:F0} s ({job["reason"]})";
                    _retrainEnded = DateTime.UtcNow;
                    break;
                }
                await Task.Delay(2000);
            }
            _retrain = run == 1 ? outcome : $"{_retrain}; started again: {outcome}";
            if (!outcome.Contains("Interrupted", StringComparison.Ordinal)) return;
        }
    }

    private async Task<JsonNode?> FetchInsightsAsync(int instance)
    {
        var (status, body) = await Send("final-insights", instance, h => h.GetAsync($"/api/maps/{_mapId}/insights"));
        return status == 200 ? JsonNode.Parse(body) : null;
    }

    /// <summary>False when cancelled.</summary>
    private static async Task<bool> Delay(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
