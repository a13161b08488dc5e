using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Data.Postgres;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Tests.Infrastructure;
using JourneyFeedback.Api.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JourneyFeedback.Api.Tests.MultiInstance;

/// <summary>The database-side guarantees behind several instances, each checked without the HTTP layer in the way.</summary>
public sealed class SharedDatabaseTests
{
    [PostgresFact]
    public async Task ConcurrentClaimsNeverTakeTheSameImportTwice()
    {
        using var database = TestDatabase.Create();
        var options = new DbContextOptionsBuilder<PostgresJourneyFeedbackDb>().UseNpgsql(database.ConnectionString).Options;
        var queued = new List<Guid>();
        await using (var db = new PostgresJourneyFeedbackDb(options))
        {
            await db.Database.MigrateAsync();
            var workspace = new Workspace { Name = "Claims" };
            db.Workspaces.Add(workspace);
            for (var i = 0; i < 30; i++)
            {
                var import = new Import { WorkspaceId = workspace.Id, Kind = "review", FileName = $"{i}.csv" };
                db.Imports.Add(import);
                queued.Add(import.Id);
            }
            await db.SaveChangesAsync();
        }

        // Eight workers (as if on eight instances) claim until nothing is left.
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            while (true)
            {
                await using var db = new PostgresJourneyFeedbackDb(options);
                var now = DateTime.UtcNow;
                var (found, claimed) = await PostgresImportClaim.ClaimNextAsync(db, $"worker-{worker}", now, now.AddMinutes(-1), int.MaxValue,
                    CancellationToken.None);
                if (!found) return mine;
                if (claimed is { } id) mine.Add(id);
            }
        }));
        var claims = await Task.WhenAll(workers);

        claims.SelectMany(c => c).Should().BeEquivalentTo(queued, "each import is claimed by exactly one worker");
        await using var check = new PostgresJourneyFeedbackDb(options);
        var rows = await check.Imports.AsNoTracking().ToDictionaryAsync(i => i.Id);
        for (var worker = 0; worker < claims.Length; worker++)
            foreach (var id in claims[worker])
            {
                rows[id].Status.Should().Be(ImportStatus.Running);
                rows[id].ClaimedBy.Should().Be($"worker-{worker}");
            }
    }

    [PostgresFact]
    public async Task ConcurrentClaimsNeverRunMoreImportsOfOneKeyThanItsLimit()
    {
        using var database = TestDatabase.Create();
        var options = new DbContextOptionsBuilder<PostgresJourneyFeedbackDb>().UseNpgsql(database.ConnectionString).Options;
        var busyKey = Guid.NewGuid();
        var others = new List<Guid>();
        await using (var db = new PostgresJourneyFeedbackDb(options))
        {
            await db.Database.MigrateAsync();
            var workspace = new Workspace { Name = "Key limit" };
            db.Workspaces.Add(workspace);
            for (var i = 0; i < 20; i++)
                db.Imports.Add(new Import { WorkspaceId = workspace.Id, Kind = "review", FileName = $"busy-{i}.csv", RequestedByKeyId = busyKey });
            for (var i = 0; i < 4; i++)
            {
                var import = new Import { WorkspaceId = workspace.Id, Kind = "review", FileName = $"other-{i}.csv", RequestedByKeyId = Guid.NewGuid() };
                db.Imports.Add(import);
                others.Add(import.Id);
            }
            await db.SaveChangesAsync();
        }

        // Eight workers claim at once until nothing is claimable; none finishes, so the busy key's limit is never freed.
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            while (true)
            {
                await using var db = new PostgresJourneyFeedbackDb(options);
                var now = DateTime.UtcNow;
                var (found, claimed) = await PostgresImportClaim.ClaimNextAsync(db, $"worker-{worker}", now, now.AddMinutes(-1), 2, CancellationToken.None);
                if (!found) return mine;
                if (claimed is { } id) mine.Add(id);
            }
        }));
        var claims = (await Task.WhenAll(workers)).SelectMany(c => c).ToList();

        await using var check = new PostgresJourneyFeedbackDb(options);
        var running = await check.Imports.AsNoTracking().Where(i => i.Status == ImportStatus.Running).ToListAsync();
        running.Select(i => i.Id).Should().BeEquivalentTo(claims);
        running.Count(i => i.RequestedByKeyId == busyKey).Should().Be(2, "the key's limit holds however many instances claim at once");
        running.Select(i => i.Id).Should().Contain(others, "other keys' imports are not held up by the busy one");
    }

    [PostgresFact]
    public async Task AnImportBatchThatRacesAnotherInstanceForAKeyStillSkipsExactlyTheDuplicates()
    {
        using var database = TestDatabase.Create();
        var options = new DbContextOptionsBuilder<PostgresJourneyFeedbackDb>().UseNpgsql(database.ConnectionString).Options;
        var workspace = new Workspace { Name = "Race" };
        var import = new Import { WorkspaceId = workspace.Id, Kind = "review", FileName = "reviews.csv" };
        await using (var db = new PostgresJourneyFeedbackDb(options))
        {
            await db.Database.MigrateAsync();
            db.Workspaces.Add(workspace);
            db.Imports.Add(import);
            await db.SaveChangesAsync();
        }
        MappedRow Row(long line, string key) => new(line, $"Review on line {line}", null, null, DateTime.UtcNow, null, null, null, null, null, null,
            null, null, null, new string('0', 64), key);
        var rows = new[] { Row(2, "x:review::contested"), Row(3, "x:review::a"), Row(4, "x:review::b"), Row(5, "x:review::a") };

        // "Another instance" holds an uncommitted row with one of the batch's keys: the batch does not see it when it
        // checks which keys exist, so its COPY waits for that row and fails once it is committed.
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO "FeedbackItems" ("Id", "WorkspaceId", "Kind", "Text", "OccurredAt", "ContentHash", "DedupKey", "CreatedAt")
            VALUES (gen_random_uuid(), @workspace, 'review', 'Stored by the other instance', now(), 'h', 'x:review::contested', now())
            """, other))
        {
            insert.Parameters.AddWithValue("workspace", workspace.Id);
            await insert.ExecuteNonQueryAsync();
        }

        await using var mine = new NpgsqlConnection(database.ConnectionString);
        await mine.OpenAsync();
        await using var transaction = await mine.BeginTransactionAsync();
        using var inserter = FeedbackItemInserter.Create(mine);
        var inserting = inserter.InsertAsync(import, rows, null, null, DateTime.UtcNow, 0, CancellationToken.None);
        await WaitUntilBlocked(database);
        await otherTransaction.CommitAsync();
        var inserted = await inserting;
        await transaction.CommitAsync();

        inserted.Should().Be(2, "the contested key and the second line with key 'a' are duplicates");
        await using var check = new PostgresJourneyFeedbackDb(options);
        var stored = await check.FeedbackItems.AsNoTracking().Where(f => f.WorkspaceId == workspace.Id)
            .Select(f => new { f.DedupKey, f.LineNumber, f.Text }).ToListAsync();
        stored.Should().HaveCount(3);
        stored.Single(f => f.DedupKey == "x:review::a").LineNumber.Should().Be(3, "the first line of a duplicate wins, as on SQLite");
        stored.Single(f => f.DedupKey == "x:review::contested").Text.Should().Be("Stored by the other instance");
    }

    /// <summary>Waits until some session of the database waits for a lock (the COPY behind the other instance's row).</summary>
    private static async Task WaitUntilBlocked(TestDatabase database)
    {
        await using var monitor = new NpgsqlConnection(database.ConnectionString);
        await monitor.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted", monitor);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The batch never waited for the other instance's row.");
            await Task.Delay(20);
        }
    }

    [PostgresFact]
    public async Task TheDatabaseNotAnInstanceDecidesWhichAnswerToALinkIsStored()
    {
        // Two hosts with their own answer writers (and their own memory) submit answers for the same invitations,
        // skipping the endpoint's "already answered?" read entirely.
        using var database = TestDatabase.Create();
        using var a = new ConfiguredApp([], database);
        using var b = new ConfiguredApp([], database);
        var survey = await (await a.BootstrapClient().PostAsJsonAsync("/api/surveys", new { type = "csat", name = "CSAT" })).ReadJson(System.Net.HttpStatusCode.Created);
        var surveyId = Guid.Parse(survey["id"]!.GetValue<string>());
        var invited = (await (await b.BootstrapClient().PostAsJsonAsync($"/api/surveys/{surveyId}/invitations",
                new { recipients = Enumerable.Range(0, 50).Select(i => new { externalRef = $"ticket-{i}" }) }))
            .ReadJson(System.Net.HttpStatusCode.Created))["invitations"]!.AsArray();
        var tokens = invited.Select(i => i!["token"]!.GetValue<string>()).ToList();
        var csat = await a.WithDb(db => db.Surveys.AsNoTracking().FirstAsync(s => s.Id == surveyId));

        var writerA = a.Services.GetRequiredService<SurveyAnswerWriter>();
        var writerB = b.Services.GetRequiredService<SurveyAnswerWriter>();
        PendingAnswer Pending(string token, int score) => new(token, csat, new ParsedAnswer(score, null, null, null), Timestamps.Now());
        var results = await Task.WhenAll(tokens.Select(token =>
            Task.WhenAll(writerA.SubmitAsync(Pending(token, 5), CancellationToken.None), writerB.SubmitAsync(Pending(token, 1), CancellationToken.None))));

        results.Should().AllSatisfy(r => r.Count(stored => stored).Should().Be(1));
        (await a.WithDb(db => db.SurveyAnswers.CountAsync(x => x.SurveyId == surveyId))).Should().Be(tokens.Count);
        (await a.WithDb(db => db.Invitations.CountAsync(i => i.SurveyId == surveyId && i.AnsweredAt != null))).Should().Be(tokens.Count);
    }

    [PostgresFact]
    public async Task InstancesStartingTogetherOnAnEmptyDatabaseSetItUpOnce()
    {
        using var database = TestDatabase.Create();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string> { ["Demo:SeedSampleMaps"] = "true" };
        var started = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ApiProcess.StartAsync(dataDirectory, "together-key", settings, database)));
        try
        {
            var samples = DatabaseInitializer.LoadSampleMaps().Count();
            foreach (var instance in started)
                (await instance.Client.GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().HaveCount(samples, "the sample maps are seeded once");
            (await started[0].Client.GetFromJsonAsync<JsonArray>("/api/workspaces"))!.Should().ContainSingle("one default workspace");
        }
        finally
        {
            foreach (var instance in started) instance.Dispose();
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>A PostgreSQL restart or failover, seen from the API.</summary>
public sealed class DatabaseOutageTests
{
    [PostgresFact]
    public async Task WhileTheDatabaseIsUnreachableRequestsAre503WithRetryAfterAndThenWorkAgain()
    {
        using var database = TestDatabase.Create();
        using var app = new ConfiguredApp([], database);
        var client = app.BootstrapClient();
        (await client.GetAsync("/api/maps")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);

        await SetConnectable(database, false);
        var during = await client.GetAsync("/api/maps");
        await during.ShouldBeProblem(System.Net.HttpStatusCode.ServiceUnavailable);
        during.Headers.RetryAfter.Should().NotBeNull();

        await SetConnectable(database, true);
        var statuses = new List<System.Net.HttpStatusCode>();
        for (var attempt = 0; attempt < 10 && statuses.LastOrDefault() != System.Net.HttpStatusCode.OK; attempt++)
            statuses.Add((await client.GetAsync("/api/maps")).StatusCode);
        statuses.Should().EndWith(System.Net.HttpStatusCode.OK).And.OnlyContain(s => s == System.Net.HttpStatusCode.OK || s == System.Net.HttpStatusCode.ServiceUnavailable);
    }

    /// <summary>Refuses (and cuts) every connection to the test database, as a server restart does, or allows them again.</summary>
    private static async Task SetConnectable(TestDatabase database, bool connectable)
    {
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        await using var admin = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.PostgresServer) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var alter = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS {connectable}", admin);
        await alter.ExecuteNonQueryAsync();
        if (connectable) return;
        await using var terminate = new Npgsql.NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name", admin);
        terminate.Parameters.AddWithValue("name", name!);
        await terminate.ExecuteNonQueryAsync();
    }
}
