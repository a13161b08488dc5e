using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// The database runs out of room in the middle of an import (issue 19). Without mounting a small disk: on SQLite the
/// database quota (<c>Storage:MaxDatabaseMegabytes</c>, SQLite's max_page_count) fails writes with SQLITE_FULL exactly
/// as a full disk does; on PostgreSQL a trigger raises <c>disk_full</c> (SQLSTATE 53100), the error a full server disk
/// gives, once the tables hold a set number of items. Freeing space is a restart without the quota (SQLite) or dropping
/// the trigger (PostgreSQL). The soak script <c>bench/soak/diskfull.sh</c> does the same on a real full filesystem.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private const int BatchSize = 100;
    private const int Rows = 4000;

    /// <summary>PostgreSQL's simulated disk: full once this many items are stored; the batch that would pass it fails.</summary>
    private const int PostgresItemCapacity = 1050;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ImportThatRunsOutOfRoomFailsWithTheReasonKeepsItsBatchesAndRunsAgainWithoutDuplicates()
    {
        var file = SupportLog(Rows);
        Guid workspaceId;
        string authorKey, mapId, firstImportId;
        long committed;

        using (var full = new ConfiguredApp(Settings(TestDatabase.UsesPostgres ? null : 4)))
        {
            var workspace = await full.CreateWorkspaceAsync();
            workspaceId = workspace.Id;
            authorKey = workspace.Keys["author"];
            var author = workspace.As("author");
            mapId = (await SampleMaps.CreateAsync(author))["id"]!.GetValue<string>();
            if (full.Database.ConnectionString is { } postgres) await FillPostgresAfter(postgres, PostgresItemCapacity);

            var failed = await ImportRuns.Run(author, "support.csv", file, fields: new() { ["mapId"] = mapId });
            firstImportId = failed["id"]!.GetValue<string>();
            failed["status"]!.GetValue<string>().Should().Be("failed", failed.ToJsonString());
            var reason = failed["failureReason"]!.GetValue<string>();
            reason.Should().Contain(TestDatabase.UsesPostgres ? "PostgreSQL server's disk is full" : "Storage:MaxDatabaseMegabytes")
                .And.Contain("upload the same file again");
            File.Exists(Path.Combine(_dataDirectory, "imports", $"{firstImportId}.csv")).Should().BeFalse("a failed import's file gives its space back");

            // Whole batches stayed, the failed one left nothing: counts, rows and progress agree.
            committed = failed["imported"]!.GetValue<long>();
            committed.Should().BeInRange(BatchSize, Rows - BatchSize, "the database filled up in the middle of the import");
            (committed % BatchSize).Should().Be(0, "a batch is stored whole or not at all");
            failed["rowsRead"]!.GetValue<long>().Should().Be(committed);
            failed["rejected"]!.GetValue<long>().Should().Be(0);
            if (TestDatabase.UsesPostgres) committed.Should().Be(PostgresItemCapacity / BatchSize * BatchSize);
            var importGuid = Guid.Parse(firstImportId);
            (await full.WithDb(db => db.FeedbackItems.CountAsync(f => f.ImportId == importGuid))).Should().Be((int)committed);
            (await full.WithDb(db => db.ImportRejections.CountAsync(r => r.ImportId == importGuid))).Should().Be(0);

            // Reads go on while nothing more fits: the import, the map, its evidence and its insights.
            (await author.GetAsync($"/api/maps/{mapId}")).StatusCode.Should().Be(HttpStatusCode.OK);
            var evidence = await (await author.GetAsync($"/api/evidence?importId={firstImportId}&pageSize=1")).ReadJson(HttpStatusCode.OK);
            evidence["total"]!.GetValue<long>().Should().Be(committed);
            (await CurrentInsights(author, mapId))["items"]!.GetValue<long>().Should().Be(committed, "the insights count exactly the stored batches");

            // A write that needs room is refused with what is full, and when to try again.
            var refused = await author.PostAsJsonAsync("/api/maps", BigMap());
            var problem = await refused.ShouldBeProblem(HttpStatusCode.InsufficientStorage);
            problem["detail"]!.GetValue<string>().Should().Contain("full").And.Contain("reads keep working");
            refused.Headers.RetryAfter?.Delta.Should().Be(TimeSpan.FromSeconds(60));
            (await author.GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().HaveCount(1, "the refused map was not stored");
        }

        // Space is freed: the same file again stores the rest, and every row exactly once.
        using var freed = new ConfiguredApp(Settings(null));
        if (freed.Database.ConnectionString is { } server) await FreePostgres(server);
        var author2 = freed.ClientWithKey(authorKey);
        var rerun = await ImportRuns.Run(author2, "support.csv", file, fields: new() { ["mapId"] = mapId });
        rerun["status"]!.GetValue<string>().Should().Be("succeeded", rerun.ToJsonString());
        rerun["imported"]!.GetValue<long>().Should().Be(Rows - committed);
        rerun["skippedDuplicates"]!.GetValue<long>().Should().Be(committed);
        (await freed.WithDb(db => db.FeedbackItems.CountAsync(f => f.WorkspaceId == workspaceId))).Should().Be(Rows);
        (await freed.WithDb(db => db.FeedbackItems.Where(f => f.WorkspaceId == workspaceId).Select(f => f.DedupKey).Distinct().CountAsync()))
            .Should().Be(Rows, "no row is stored twice");
        (await CurrentInsights(author2, mapId))["items"]!.GetValue<long>().Should().Be(Rows);
        var first = await (await author2.GetAsync($"/api/imports/{firstImportId}")).ReadJson(HttpStatusCode.OK);
        first["status"]!.GetValue<string>().Should().Be("failed", "a failed import stays failed with its reason; the re-run is a new import");
    }

    /// <summary>
    /// Survey answers while nothing more fits: each is refused with 507 (not acknowledged, not stored, the link still open),
    /// and once there is room again the same links take their answers, once each. On SQLite this is the answer writer's
    /// kept connection failing batches and each next batch starting on a fresh one.
    /// </summary>
    [Fact]
    public async Task SurveyAnswersWhileTheDatabaseIsFullAreRefusedAndTheLinksTakeTheirAnswersOnceThereIsRoom()
    {
        using var app = new ConfiguredApp(Settings(TestDatabase.UsesPostgres ? null : 4));
        var author = (await app.CreateWorkspaceAsync()).As("author");
        var survey = await (await author.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat" })).ReadJson(HttpStatusCode.Created);
        var surveyId = Guid.Parse(survey["id"]!.GetValue<string>());
        var invited = await (await author.PostAsJsonAsync($"/api/surveys/{surveyId}/invitations",
            new { recipients = Enumerable.Range(0, 9).Select(i => new { externalRef = $"chat-{i}" }) })).ReadJson(HttpStatusCode.Created);
        var tokens = invited["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
        if (app.Database.ConnectionString is { } postgres) await FillPostgresAfter(postgres, 0);
        else await FillSqlite(app);
        var publicClient = app.CreateClient();
        var comment = string.Join(' ', Enumerable.Repeat("The agent found my parcel but the refund took three weeks.", 100))[..5000];
        Task<HttpResponseMessage> Answer(string token, int score) =>
            publicClient.PostAsync($"/s/{token}", new StringContent(new JsonObject { ["score"] = score, ["comment"] = comment }.ToJsonString(), Encoding.UTF8, "application/json"));

        // On SQLite the first answer may still find room in the last pages' free space; after it, none fits.
        var first = await Answer(tokens[0], 9);
        first.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.InsufficientStorage);
        var firstStored = first.StatusCode == HttpStatusCode.Created ? 1 : 0;
        var refused = await Task.WhenAll(tokens.Skip(1).Select((token, i) => Answer(token, i)));
        foreach (var response in refused)
        {
            var problem = await response.ShouldBeProblem(HttpStatusCode.InsufficientStorage);
            problem["detail"]!.GetValue<string>().Should().Contain("full");
            response.Headers.RetryAfter?.Delta.Should().Be(TimeSpan.FromSeconds(60));
        }
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.SurveyId == surveyId))).Should().Be(firstStored, "a refused answer is not stored");
        (await publicClient.GetAsync($"/s/{tokens[1]}")).StatusCode.Should().Be(HttpStatusCode.OK, "a refused answer leaves its link open");

        if (app.Database.ConnectionString is { } server) await FreePostgres(server);
        else await app.WithDb(db => db.Database.ExecuteSqlRawAsync("DROP TABLE test_filler"));

        var accepted = await Task.WhenAll(tokens.Skip(firstStored).Select((token, i) => Answer(token, 10 - i)));
        accepted.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        await (await Answer(tokens[1], 0)).ShouldBeProblem(HttpStatusCode.Conflict);
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.SurveyId == surveyId))).Should().Be(tokens.Count, "each link keeps one answer");
        (await app.WithDb(db => db.FeedbackItems.CountAsync(f => f.SurveyId == surveyId))).Should().Be(tokens.Count);
    }

    /// <summary>Takes every free page of the SQLite database up to its quota, a page-sized row at a time, into a table the test drops later.</summary>
    private static Task FillSqlite(ConfiguredApp app) => app.WithDb(async db =>
    {
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE test_filler (data BLOB)");
        for (var rows = 0; ; rows++)
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("INSERT INTO test_filler VALUES (randomblob(7000))");
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode == 13) // SQLITE_FULL
            {
                rows.Should().BeGreaterThan(0, "the quota leaves room to fill");
                return 0;
            }
        }
    });

    /// <summary>
    /// An upload that does not fit on the disk holding <c>imports/</c> (a 1 MB tmpfs, a real ENOSPC from the write) is
    /// refused with 507 and leaves no partial file; the space it took is free again for the next upload.
    /// </summary>
    [SmallDiskFact]
    public async Task UploadThatDoesNotFitOnTheDiskIsRefusedAndLeavesNoFile()
    {
        using var app = new ConfiguredApp(Settings(null));
        var author = (await app.CreateWorkspaceAsync()).As("author");
        using var disk = SmallDisk.Mount(Path.Combine(_dataDirectory, "imports"), kilobytes: 1024);

        var refused = await ImportRuns.Upload(author, "too-big.csv", SupportLog(12_000));
        var problem = await refused.ShouldBeProblem(HttpStatusCode.InsufficientStorage);
        problem["detail"]!.GetValue<string>().Should().StartWith("The disk holding the data folder is full (");
        refused.Headers.RetryAfter?.Delta.Should().Be(TimeSpan.FromSeconds(60));
        Directory.GetFiles(disk.Path).Should().BeEmpty("the partial upload is deleted");
        (await author.GetFromJsonAsync<JsonArray>("/api/imports"))!.Should().BeEmpty("nothing of the refused upload is stored");

        var small = await ImportRuns.Run(author, "small.csv", SupportLog(500));
        small["status"]!.GetValue<string>().Should().Be("succeeded", small.ToJsonString());
        small["imported"]!.GetValue<long>().Should().Be(500);
    }

    private Dictionary<string, string?> Settings(int? maxDatabaseMegabytes) => new()
    {
        ["Storage:DataDirectory"] = _dataDirectory,
        ["Storage:MaxDatabaseMegabytes"] = maxDatabaseMegabytes?.ToString(),
        ["Imports:BatchSize"] = BatchSize.ToString(),
        ["Imports:PollSeconds"] = "1",
    };

    /// <summary>Varied complaints of a few hundred characters, each with its own ticket id.</summary>
    private static string SupportLog(int rows)
    {
        string[] openings = ["The parcel arrived late and", "Checkout refused my card so", "The courier left the box outside and",
            "Your chat agent was helpful but", "The refund still has not reached me and", "The app logged me out twice and"];
        string[] middles = ["nobody answered the e-mail I sent on day", "the tracking page showed the same status for day",
            "I had to call the hotline again on day", "the discount code failed at step", "the invoice listed the wrong address on page"];
        string[] endings = ["I am thinking about cancelling my subscription.", "please fix the payment page before the sale.",
            "the packaging was damaged and the blender is scratched.", "otherwise the product itself is great.", "this is the third time this month."];
        var csv = new StringBuilder("ticket_id,created_at,customer_id,channel,message\n");
        for (var i = 1; i <= rows; i++)
        {
            var text = $"{openings[i % openings.Length]} {middles[i % middles.Length]} {i % 31 + 1}; {endings[i % endings.Length]} " +
                $"Order {100000 + i}, item {i * 7 % 997}: {string.Join(' ', Enumerable.Range(0, 12).Select(w => middles[(i + w) % middles.Length].Split(' ')[w % 5]))}.";
            csv.Append("T-").Append(i).Append(",2026-10-").Append((i % 28 + 1).ToString("00")).Append("T10:00:00Z,C-").Append(i % 700)
                .Append(",chat,\"").Append(text).Append("\"\n");
        }
        return csv.ToString();
    }

    /// <summary>A map whose lanes hold about a megabyte: more than the room left after the failed batch.</summary>
    private static JsonObject BigMap()
    {
        var map = SampleMaps.Small("Too big to store");
        var actions = new JsonArray();
        for (var i = 0; i < 200; i++) actions.Add($"Step {i}: " + new string('x', 1900));
        var stages = map["stages"]!.AsArray();
        for (var s = 0; s < 3; s++)
            stages.Add(new JsonObject { ["name"] = $"Stage {s}", ["lanes"] = new JsonObject { ["actions"] = actions.DeepClone() } });
        return map;
    }

    private static async Task<JsonObject> CurrentInsights(HttpClient client, string mapId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = await (await client.GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK);
            if (insights["pendingItems"]!.GetValue<int>() == 0 || attempt == 100) return insights;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A disk that fills up: inserting items fails with disk_full once the table would hold more than
    /// <paramref name="capacity"/>, and new maps and imports fail once it is nearly there (as on SQLite at its quota).
    /// </summary>
    private static async Task FillPostgresAfter(string connectionString, int capacity)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($$"""
            CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF (SELECT count(*) FROM "FeedbackItems") > {{capacity}} - (CASE WHEN TG_TABLE_NAME = 'FeedbackItems' THEN 0 ELSE {{BatchSize}} END) THEN
                    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER test_disk_full AFTER INSERT ON "FeedbackItems" FOR EACH STATEMENT EXECUTE FUNCTION test_disk_full();
            CREATE TRIGGER test_disk_full AFTER INSERT ON "Maps" FOR EACH STATEMENT EXECUTE FUNCTION test_disk_full();
            CREATE TRIGGER test_disk_full AFTER INSERT ON "Imports" FOR EACH STATEMENT EXECUTE FUNCTION test_disk_full();
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task FreePostgres(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DROP FUNCTION test_disk_full() CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
