using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

// Usage:
//   prepare-survey <apiBaseUrl> <adminKey> <count> <tokensFile>   create an NPS survey and <count> invitations, write their tokens
//   raw-server <url> <sqliteFile>                                 bare Kestrel endpoint: one raw SQLite insert per request
//   generate-support-log <rows> <file>                            a realistic support log (~200 bytes a row)
//   import-stages <file> [postgresConnectionString]              raw stage rates: CsvHelper parse, prepared SQLite insert
//                                                                 (with a connection string: binary COPY into PostgreSQL instead)
//   import-stages <file> --product-schema <apiDatabase>           the same, plus a raw insert into the API's own table and indexes
//   insights <apiBaseUrl> <key> <mapId> <requests>                latency of map insights and touchpoint evidence pages
return args switch
{
    ["generate-support-log", var rows, var file] => SupportLog.Generate(int.Parse(rows, CultureInfo.InvariantCulture), file),
    ["import-stages", var file] => ImportStages.Measure(file, null),
    ["import-stages", var file, "--product-schema", var database] => ImportStages.Measure(file, null, database),
    ["import-stages", var file, var postgres] => ImportStages.Measure(file, postgres),
    ["prepare-survey", var api, var key, var count, var file] => await PrepareSurvey(api, key, int.Parse(count, CultureInfo.InvariantCulture), file),
    ["raw-server", var url, var db] => await RawServer(url, db),
    ["insights", var api, var key, var map, var requests] => await InsightsLatency.Measure(api, key, map, int.Parse(requests, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: prepare-survey <api> <adminKey> <count> <tokensFile> | raw-server <url> <sqliteFile>");
    return 2;
}

static async Task<int> PrepareSurvey(string api, string key, int count, string file)
{
    using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    var survey = await (await http.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Benchmark post-chat NPS" })).EnsureSuccessStatusCode()
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

static async Task<int> RawServer(string url, string dbFile)
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

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    var app = builder.Build();
    // The baseline the issue names: no validation, no lookup, one insert (its own transaction) per request.
    app.MapPost("/s/{token}", async (string token, HttpRequest request) =>
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO Answers (Id, Token, Body, AnsweredAt) VALUES ($id, $token, $body, $at)";
        insert.Parameters.AddWithValue("$id", Guid.CreateVersion7().ToString());
        insert.Parameters.AddWithValue("$token", token);
        insert.Parameters.AddWithValue("$body", body);
        insert.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync();
        return Results.StatusCode(201);
    });
    await app.RunAsync(url);
    return 0;
}
