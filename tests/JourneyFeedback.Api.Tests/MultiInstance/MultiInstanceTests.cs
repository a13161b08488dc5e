using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Npgsql;

namespace JourneyFeedback.Api.Tests.MultiInstance;

/// <summary>Two API processes on one PostgreSQL database: what must hold whichever instance a request reaches.</summary>
public sealed class MultiInstanceTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    [PostgresFact]
    public async Task ATokenAnsweredOnInstanceAIsRefusedOnInstanceB()
    {
        var token = (await NewInvitations(1))[0];

        (await Answer(instances.A, token, 9)).StatusCode.Should().Be(HttpStatusCode.Created);
        await (await Answer(instances.B, token, 2)).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await instances.B.Client.GetAsync($"/s/{token}")).ShouldBeProblem(HttpStatusCode.Conflict);

        var (answers, score) = await StoredAnswers(token);
        answers.Should().Be(1);
        score.Should().Be(9, "the first answer, stored through A, is the one kept");
    }

    [PostgresFact]
    public async Task ConcurrentAnswersToOneLinkOnTwoInstancesStoreExactlyOne()
    {
        var tokens = await NewInvitations(40);

        // Each link is answered on both instances at the same moment; both pass the "already answered?" read, so the
        // database's conditional update is what picks the winner.
        var attempts = tokens.Select(async token =>
        {
            var both = await Task.WhenAll(Answer(instances.A, token, 9), Answer(instances.B, token, 3));
            return both.Select(r => r.StatusCode).ToList();
        });
        var outcomes = await Task.WhenAll(attempts);

        foreach (var statuses in outcomes)
        {
            statuses.Should().ContainSingle(s => s == HttpStatusCode.Created);
            statuses.Should().ContainSingle(s => s == HttpStatusCode.Conflict);
        }
        foreach (var token in tokens) (await StoredAnswers(token)).Answers.Should().Be(1);
    }

    [PostgresFact]
    public async Task AnImportIsProcessedOnceWhenTwoInstancesRunTheirWorkers()
    {
        // A long import keeps A's worker busy, so B's worker has to claim the uploads that follow; with six more
        // imports uploaded to both at once, both workers poll and claim from the same queue.
        var first = await Upload(instances.A, "long.csv", SupportLog("L", 150_000));
        await WaitUntil(instances.A, first, s => s["status"]!.GetValue<string>() != "queued");
        var files = Enumerable.Range(0, 6).Select(i => (Name: $"part-{i}.csv", Rows: 4_000 + i * 500)).ToList();
        var others = await Task.WhenAll(files.Select((f, i) => Upload(i % 2 == 0 ? instances.B : instances.A, f.Name, SupportLog($"P{i}-", f.Rows))));

        var expected = new Dictionary<string, int> { [first] = 150_000 };
        for (var i = 0; i < files.Count; i++) expected[others[i]] = files[i].Rows;
        foreach (var (id, rows) in expected)
        {
            var final = await ImportRuns.WaitUntilFinished(instances.B.Client, id, TimeSpan.FromSeconds(180));
            final["status"]!.GetValue<string>().Should().Be("succeeded", final.ToJsonString());
            final["rowsRead"]!.GetValue<long>().Should().Be(rows);
            final["imported"]!.GetValue<long>().Should().Be(rows, "a second run of the same import would count its rows as duplicates");
            final["skippedDuplicates"]!.GetValue<long>().Should().Be(0);
        }

        await using var db = instances.OpenDatabase();
        var claimedBy = new List<string>();
        foreach (var (id, rows) in expected)
        {
            await using var stored = new NpgsqlCommand(
                """SELECT count(*), count(DISTINCT "LineNumber") FROM "FeedbackItems" WHERE "ImportId" = @id""", db);
            stored.Parameters.AddWithValue("id", Guid.Parse(id));
            await using (var reader = await stored.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                reader.GetInt64(0).Should().Be(rows, "every row is stored exactly once");
                reader.GetInt64(1).Should().Be(rows);
            }
            await using var claim = new NpgsqlCommand("""SELECT "ClaimedBy" FROM "Imports" WHERE "Id" = @id""", db);
            claim.Parameters.AddWithValue("id", Guid.Parse(id));
            claimedBy.Add((string)(await claim.ExecuteScalarAsync())!);
        }
        claimedBy.Distinct().Should().HaveCount(2, "both instances took part");
    }

    [PostgresFact]
    public async Task AnInstanceWithACachedSnapshotCatchesUpOnWritesMadeByTheOther()
    {
        // A reads the map's insights first (its snapshot is cached); B then imports onto the map and corrects an item.
        // A's answer follows by reading the rows B changed; B's (first read after the writes) is a full build. Equal.
        var map = await SampleMaps.CreateAsync(instances.A.Client, SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        (await Insights(instances.A, mapId))["items"]!.GetValue<int>().Should().Be(0);

        var import = await (await ImportRuns.Upload(instances.B.Client, "b.csv", SupportLog("B", 300), "support-log",
            new() { ["mapId"] = mapId })).ReadJson(HttpStatusCode.Accepted);
        (await ImportRuns.WaitUntilFinished(instances.B.Client, import["id"]!.GetValue<string>()))["status"]!.GetValue<string>().Should().Be("succeeded");
        var item = (await instances.B.Client.GetFromJsonAsync<JsonObject>("/api/evidence?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();
        (await instances.B.Client.PatchAsJsonAsync($"/api/evidence/{item}", new { sentiment = "positive" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var fromA = await CurrentInsights(instances.A, mapId);
        var fromB = await CurrentInsights(instances.B, mapId);
        fromA["items"]!.GetValue<int>().Should().Be(300);
        fromA.ToJsonString().Should().Be(fromB.ToJsonString());
    }

    [PostgresFact]
    public async Task EventsAndRuleEditsOnOneInstanceReachTheOthersJourneysAtOnce()
    {
        // A has the map's journey log cached; B imports events and edits the rules. A's next answer uses both.
        var map = await SampleMaps.CreateAsync(instances.A.Client, SampleMaps.Small($"Journeys {Guid.NewGuid():N}"));
        var mapId = map["id"]!.GetValue<string>();
        var customer = $"mi-{Guid.NewGuid():N}";
        (await instances.A.Client.PutAsJsonAsync($"/api/maps/{mapId}/event-rules", new { rules = new[] { new { touchpoint = "Website", urlPath = "/products/*" } } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await instances.A.Client.GetFromJsonAsync<JsonObject>($"/api/maps/{mapId}/journeys"))!["customers"]!.GetValue<int>().Should().Be(0);

        var import = await (await ImportRuns.Upload(instances.B.Client, "events.csv", $"""
            user_id,event_name,page_url,timestamp
            {customer},page_view,/products/1,2026-10-01T10:00:00Z
            {customer},page_view,/checkout,2026-10-01T10:03:00Z
            """, "events")).ReadJson(HttpStatusCode.Accepted);
        (await ImportRuns.WaitUntilFinished(instances.B.Client, import["id"]!.GetValue<string>()))["status"]!.GetValue<string>().Should().Be("succeeded");
        var first = (await instances.A.Client.GetFromJsonAsync<JsonObject>($"/api/maps/{mapId}/journeys"))!;
        first["contacts"]!.GetValue<int>().Should().Be(1, "A sees B's events: only the product view has a rule");

        (await instances.B.Client.PutAsJsonAsync($"/api/maps/{mapId}/event-rules", new
        {
            rules = new object[] { new { touchpoint = "Website", urlPath = "/products/*" }, new { touchpoint = "Checkout", urlPath = "/checkout" } },
        })).StatusCode.Should().Be(HttpStatusCode.OK);
        var second = (await instances.A.Client.GetFromJsonAsync<JsonObject>($"/api/maps/{mapId}/journeys"))!;
        second["transitions"]!.GetValue<int>().Should().Be(1, "A applies B's new rule to the stored events");
    }

    private static async Task<JsonObject> Insights(ApiProcess instance, string mapId) =>
        (await instance.Client.GetFromJsonAsync<JsonObject>($"/api/maps/{mapId}/insights"))!;

    /// <summary>The instance's insights once it says they are current, without the moment they were read.</summary>
    private static async Task<JsonObject> CurrentInsights(ApiProcess instance, string mapId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = await Insights(instance, mapId);
            attempt.Should().BeLessThan(600, "an instance catches up within seconds of the background analysis");
            // Analysis runs in the background here (AnalyzeDuringImport=false): wait for it too, so both answers see the same rows.
            if (insights["pendingItems"]!.GetValue<int>() > 0 || insights["pendingMatching"]!.GetValue<int>() > 0
                || insights["sentiment"]!["analysed"]!.GetValue<int>() < insights["items"]!.GetValue<int>()) { await Task.Delay(100); continue; }
            insights.Remove("asOf");
            return insights;
        }
    }

    private async Task<List<string>> NewInvitations(int count)
    {
        var client = instances.A.Client;
        var survey = await (await client.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat NPS" })).ReadJson(HttpStatusCode.Created);
        var recipients = Enumerable.Range(0, count).Select(i => new { externalRef = $"chat-{Guid.NewGuid():N}" }).ToArray();
        var created = await (await client.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients })).ReadJson(HttpStatusCode.Created);
        return created["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
    }

    private static Task<HttpResponseMessage> Answer(ApiProcess instance, string token, int score) =>
        instance.Client.PostAsync($"/s/{token}",
            new StringContent($$"""{"score":{{score}},"comment":"The agent solved it in one chat"}""", Encoding.UTF8, "application/json"));

    private async Task<(long Answers, int? Score)> StoredAnswers(string token)
    {
        await using var db = instances.OpenDatabase();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*), max(a."Score") FROM "SurveyAnswers" a JOIN "Invitations" i ON i."Id" = a."InvitationId" WHERE i."Token" = @token
            """, db);
        command.Parameters.AddWithValue("token", token);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1));
    }

    internal static string SupportLog(string prefix, int rows)
    {
        var csv = new StringBuilder("ticket_id,created_at,customer_id,channel,message\n");
        for (var i = 1; i <= rows; i++)
            csv.Append(prefix).Append(i).Append(",2026-10-01T10:00:00Z,C-").Append(i % 700).Append(",chat,The courier left parcel ").Append(i).Append(" at the wrong door\n");
        return csv.ToString();
    }

    private static async Task<string> Upload(ApiProcess instance, string name, string csv) =>
        (await (await ImportRuns.Upload(instance.Client, name, csv)).ReadJson(HttpStatusCode.Accepted))["id"]!.GetValue<string>();

    private static async Task WaitUntil(ApiProcess instance, string importId, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition((await instance.Client.GetFromJsonAsync<JsonObject>($"/api/imports/{importId}"))!))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Import {importId} did not start.");
            await Task.Delay(20);
        }
    }
}

/// <summary>Takeovers of running imports between two instances (a claim goes stale after three seconds here).</summary>
public sealed class ImportTakeoverTests(TwoInstancesQuickToTakeOver instances) : IClassFixture<TwoInstancesQuickToTakeOver>
{
    /// <summary>
    /// An import whose batch waits for its map's lock (another transaction writing the map's evidence) is alive: the other
    /// instance must not take it over. It did when only committed batches kept the claim fresh, and each takeover queued
    /// one more writer behind the same lock.
    /// </summary>
    [PostgresFact]
    public async Task AnImportWaitingForItsMapsLockIsNotTakenOver()
    {
        var map = await SampleMaps.CreateAsync(instances.A.Client, SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<Guid>();
        await using var db = instances.OpenDatabase();
        await using var holding = await db.BeginTransactionAsync();
        await using (var lockMap = new NpgsqlCommand("""SELECT 1 FROM "Maps" WHERE "Id" = @id FOR NO KEY UPDATE""", db, holding))
        {
            lockMap.Parameters.AddWithValue("id", mapId);
            await lockMap.ExecuteNonQueryAsync();
        }

        var import = await (await ImportRuns.Upload(instances.A.Client, "held.csv", MultiInstanceTests.SupportLog("H", 500), "support-log",
            new() { ["mapId"] = mapId.ToString() })).ReadJson(HttpStatusCode.Accepted);
        var importId = Guid.Parse(import["id"]!.GetValue<string>());
        await using var watch = instances.OpenDatabase();
        async Task<(string? Status, string? ClaimedBy)> Claim()
        {
            await using var read = new NpgsqlCommand("""SELECT "Status", "ClaimedBy" FROM "Imports" WHERE "Id" = @id""", watch);
            read.Parameters.AddWithValue("id", importId);
            await using var row = await read.ExecuteReaderAsync();
            await row.ReadAsync();
            return (row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1));
        }
        var claim = await Claim();
        for (var attempt = 0; claim.Status != "running"; attempt++, claim = await Claim())
        {
            attempt.Should().BeLessThan(600, "the import is claimed");
            await Task.Delay(50);
        }

        // Three times the stale age with its first batch waiting for the map: still the first claimer's.
        await Task.Delay(TimeSpan.FromSeconds(9));
        (await Claim()).Should().Be(claim, "a run that waits for a lock is alive");
        await holding.CommitAsync();

        // From the lock's release to the end, the claim is never stale: the batch that waited commits a fresh heartbeat
        // (it once wrote the time it started, 9 s back, and the other instance took the run over in the moment after).
        var oldest = 0.0;
        for (var attempt = 0; ; attempt++)
        {
            attempt.Should().BeLessThan(20_000, "the import finishes");
            await using var read = new NpgsqlCommand(
                """SELECT "Status", EXTRACT(EPOCH FROM clock_timestamp() - "HeartbeatAt")::float8 FROM "Imports" WHERE "Id" = @id""", watch);
            read.Parameters.AddWithValue("id", importId);
            await using var row = await read.ExecuteReaderAsync();
            await row.ReadAsync();
            if (row.GetString(0) != "running") break;
            oldest = Math.Max(oldest, row.GetDouble(1));
        }
        oldest.Should().BeLessThan(TwoInstancesQuickToTakeOver.StaleAfterSeconds, "the heartbeat of a live run never reads as stale");

        var final = await ImportRuns.WaitUntilFinished(instances.A.Client, importId.ToString(), TimeSpan.FromSeconds(120));
        final["status"]!.GetValue<string>().Should().Be("succeeded", final.ToJsonString());
        final["imported"]!.GetValue<long>().Should().Be(500);
        (await Claim()).ClaimedBy.Should().Be(claim.ClaimedBy, "the first claimer finished it");
    }
}
