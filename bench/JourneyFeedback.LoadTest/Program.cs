using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

// Usage:
//   prepare-survey <apiBaseUrl> <adminKey> <count> <tokensFile> [--map ID [--touchpoint ID]]
//                                                                 create an NPS survey (tied to a map / touchpoint when given) and
//                                                                 <count> invitations, write their tokens
//   raw-server <url> <sqliteFile> [--no-fsync] [--one-connection]  bare Kestrel endpoint: one raw SQLite insert per request
//                                                                 (--no-fsync: synchronous=OFF, not durable; --one-connection:
//                                                                 the inserts take turns on one open connection)
//   generate-support-log <rows> <file> [--text template|varied] [--seed S] [--id-prefix P]
//                                                                 a support log: eight message templates (default, ~160 bytes a
//                                                                 row) or varied text recombined from public labelled sets; a
//                                                                 second varied log needs another prefix (ticket ids are dedup keys)
//   bench-stages <file>... [--rows N] [--map map.json] [--semantic-sample N] [--rounds R]
//                                                                 rows/s of parse, analysis, matching and the semantic tier alone
//   import-stages <file> [postgresConnectionString]              raw stage rates: CsvHelper parse, prepared SQLite insert
//                                                                 (with a connection string: binary COPY into PostgreSQL instead)
//   import-stages <file> --product-schema <apiDatabase>           the same, plus a raw insert into the API's own table and indexes
//   insights <apiBaseUrl> <key> <mapId> <requests>                latency of map insights and touchpoint evidence pages
//   insights-watch <apiBaseUrl> <key> <mapId> <stopFile> [--every MS] [--label L]
//                                                                 the same latencies until the stop file appears (insights and a
//                                                                 page back to back, or insights alone every MS ms); max
//                                                                 pendingItems / staleness of asOf when insights carry them
//   answer-at-rate <apiBaseUrl> <tokensFile> <perSecond> <connections> <stopFile> <supportLog> [--scores MIN-MAX] [--record F]
//                                                                 survey answers paced at a fixed rate, comments from the log's
//                                                                 messages; achieved rate, errors, latency; --record: "index,unix
//                                                                 ms" of each 201 (link index = line in the tokens file)
//   import <apiBaseUrl> <key> <mapId> <file> [label]              upload a support log into a map, wait, rows/s (server timestamps)
//   generate-customers <count> <file>                             customers C-1 … C-count with plan, country, tenure, acquisition,
//                                                                 persona and signup date (a kind=customers import file)
//   segments <apiBaseUrl> <key> <mapId> <requests>                latency of segmented insights, period and segment comparisons
//   soak <minutes> --api URL[,URL2] --data DIR --pid-files F[,F2] --work DIR [--postgres CS --restart-db CMD] [--key K]
//        [--rate 100] [--connections 16] [--import-rows 20000] [--kills N] [--max-wal-mb 256] [--map samples/maps/….json]
//                                                                 everything at once with SIGKILLs (and a PostgreSQL restart),
//                                                                 then the invariants; driven by bench/soak/run.sh
return args switch
{
    ["generate-support-log", var rows, var file, .. var rest] => GenerateSupportLog(int.Parse(rows, CultureInfo.InvariantCulture), file, rest),
    ["bench-stages", .. var rest] => BenchStages(rest),
    ["import-stages", var file] => ImportStages.Measure(file, null),
    ["import-stages", var file, "--product-schema", var database] => ImportStages.Measure(file, null, database),
    ["import-stages", var file, var postgres] => ImportStages.Measure(file, postgres),
    ["prepare-survey", var api, var key, var count, var file, .. var rest] =>
        await PrepareSurvey(api, key, int.Parse(count, CultureInfo.InvariantCulture), file, Option(rest, "--map"), Option(rest, "--touchpoint")),
    ["raw-server", var url, var db, .. var rest] => await RawServer(url, db, rest.Contains("--no-fsync"), rest.Contains("--one-connection")),
    ["insights", var api, var key, var map, var requests] => await InsightsLatency.Measure(api, key, map, int.Parse(requests, CultureInfo.InvariantCulture)),
    ["insights-watch", var api, var key, var map, var stopFile, .. var rest] =>
        await InsightsWatch.Run(api, key, map, stopFile, int.Parse(Option(rest, "--every") ?? "0", CultureInfo.InvariantCulture), Option(rest, "--label") ?? "watch"),
    ["answer-at-rate", var api, var tokens, var rate, var connections, var stopFile, var log, .. var rest] =>
        await PacedAnswers.Run(api, tokens, double.Parse(rate, CultureInfo.InvariantCulture), int.Parse(connections, CultureInfo.InvariantCulture), stopFile, log,
            ScoreRange(rest).Min, ScoreRange(rest).Max, Option(rest, "--record")),
    ["generate-customers", var count, var file] => SegmentsLatency.GenerateCustomers(int.Parse(count, CultureInfo.InvariantCulture), file),
    ["segments", var api, var key, var map, var requests] => await SegmentsLatency.Measure(api, key, map, int.Parse(requests, CultureInfo.InvariantCulture)),
    ["soak", var minutes, .. var rest] => await Soak.Run(SoakOptions.Parse(minutes, rest)),
    ["import", var api, var key, var map, var file, .. var rest] => await ImportThroughApi.Run(api, key, map, file, rest.FirstOrDefault() ?? "import"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: see the comment at the top of bench/JourneyFeedback.LoadTest/Program.cs");
    return 2;
}

static int GenerateSupportLog(int rows, string file, string[] options)
{
    var text = Option(options, "--text") ?? "template";
    var seed = int.Parse(Option(options, "--seed") ?? "42", CultureInfo.InvariantCulture);
    return text switch
    {
        // The template log keeps its fixed seed, so its files stay byte for byte what earlier measurements used.
        "template" => SupportLog.Generate(rows, file),
        "varied" => VariedSupportLog.Generate(rows, file, seed, Option(options, "--id-prefix") ?? "ZD"),
        _ => Usage(),
    };
}

static int BenchStages(string[] options)
{
    var files = options.TakeWhile(o => !o.StartsWith("--", StringComparison.Ordinal)).ToList();
    if (files.Count == 0) return Usage();
    return StageTimings.Measure(new StageTimings.Options(
        files,
        int.Parse(Option(options, "--rows") ?? "200000", CultureInfo.InvariantCulture),
        Option(options, "--map") ?? "samples/maps/banking-app-journey.json",
        int.Parse(Option(options, "--semantic-sample") ?? "2000", CultureInfo.InvariantCulture),
        int.Parse(Option(options, "--rounds") ?? "1", CultureInfo.InvariantCulture)));
}

static (int Min, int Max) ScoreRange(string[] options) => Option(options, "--scores") is { } range
    ? (int.Parse(range.Split('-')[0], CultureInfo.InvariantCulture), int.Parse(range.Split('-')[1], CultureInfo.InvariantCulture))
    : (0, 10);

static string? Option(string[] options, string name) =>
    Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;

static async Task<int> PrepareSurvey(string api, string key, int count, string file, string? mapId, string? touchpointId)
{
    using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    var survey = await (await http.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Benchmark post-chat NPS", mapId, touchpointId })).EnsureSuccessStatusCode()
        .Content.ReadFromJsonAsync<JsonObject>();
    var surveyId = survey!["id"]!.GetValue<string>();

    await using var output = new StreamWriter(file);
    for (var start = 0; start < count; start += 1000)
    {
        var recipients = Enumerable.Range(start, Math.Min(1000, count - start))
            .Select(i => new { customerId = $"c-{i}", externalRef = $"chat-{i}", channel = "chat", metadata = new { agent = $"agent-{i % 20}" } });
        var created = await (await http.PostAsJsonAsync($"/api/surveys/{surveyId}/invitations", new { recipients })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>();
        foreach (var invitation in created!["invitations"]!.AsArray()) await output.WriteLineAsync(invitation!["token"]!.GetValue<string>());
    }
    Console.WriteLine(surveyId);
    return 0;
}

static async Task<int> RawServer(string url, string dbFile, bool noFsync, bool oneConnection)
{
    var connectionString = new SqliteConnectionStringBuilder { DataSource = dbFile, Pooling = true }.ToString();
    await using (var setup = new SqliteConnection(connectionString))
    {
        await setup.OpenAsync();
        var create = setup.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode = 'wal';
            CREATE TABLE IF NOT EXISTS Answers (Id TEXT PRIMARY KEY, Token TEXT NOT NULL, Body TEXT NOT NULL, AnsweredAt TEXT NOT NULL);
            """;
        await create.ExecuteNonQueryAsync();
    }
    // Per connection: SQLite's own busy wait (as the API sets it) instead of Microsoft.Data.Sqlite's 150 ms retry sleep,
    // and with --no-fsync commits handed to the OS without waiting for the disk (lost on a power cut).
    var pragmas = "PRAGMA busy_timeout = 5000;" + (noFsync ? " PRAGMA synchronous = OFF;" : "");
    const string Insert = "INSERT INTO Answers (Id, Token, Body, AnsweredAt) VALUES ($id, $token, $body, $at)";

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    var app = builder.Build();
    // The baselines the issues name: no validation, no lookup, one insert (its own transaction) per request.
    if (oneConnection)
    {
        // SQLite's one writer used as such: one open connection with the insert prepared; requests take turns on it.
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        using (var pragma = connection.CreateCommand()) { pragma.CommandText = pragmas; pragma.ExecuteNonQuery(); }
        var insert = connection.CreateCommand();
        insert.CommandText = Insert;
        var (id, tokenParameter, bodyParameter, at) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$token", SqliteType.Text),
            insert.Parameters.Add("$body", SqliteType.Text), insert.Parameters.Add("$at", SqliteType.Text));
        insert.Prepare();
        var turn = new SemaphoreSlim(1);
        app.MapPost("/s/{token}", async (string token, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            await turn.WaitAsync();
            try
            {
                (id.Value, tokenParameter.Value, bodyParameter.Value, at.Value) =
                    (Guid.CreateVersion7().ToString(), token, body, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                insert.ExecuteNonQuery();
            }
            finally { turn.Release(); }
            return Results.StatusCode(201);
        });
    }
    else
    {
        // Every request opens a pooled connection and commits on its own.
        app.MapPost("/s/{token}", async (string token, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            var insert = connection.CreateCommand();
            insert.CommandText = pragmas + " " + Insert;
            insert.Parameters.AddWithValue("$id", Guid.CreateVersion7().ToString());
            insert.Parameters.AddWithValue("$token", token);
            insert.Parameters.AddWithValue("$body", body);
            insert.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync();
            return Results.StatusCode(201);
        });
    }
    await app.RunAsync(url);
    return 0;
}
