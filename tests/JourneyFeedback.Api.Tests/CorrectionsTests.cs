using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

public sealed class CorrectionsTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private static async Task<JsonObject> ImportOne(HttpClient client, string text)
    {
        await ImportRuns.Run(client, "one.csv", $"id,text\n1,\"{text}\"\n");
        return (await (await client.GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]![0]!.AsObject();
    }

    [Fact]
    public async Task AnAuthorCorrectsTheAnalysisAndTheCorrectionIsMarked()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var item = await ImportOne(workspace.As("researcher"), "The delivery was fine I guess");

        var corrected = await (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{item["id"]}", new
        {
            sentiment = "negative",
            emotions = new[] { "disappointment", "annoyance" },
            painPoint = "delivery-shipping",
        })).ReadJson(HttpStatusCode.OK);

        var analysis = corrected["analysis"]!;
        analysis["sentiment"]!.GetValue<string>().Should().Be("negative");
        analysis["sentimentScores"]!["negative"]!.GetValue<double>().Should().Be(1);
        analysis["emotions"]!.AsArray().Select(e => e!["label"]!.GetValue<string>()).Should().Equal("disappointment", "annoyance");
        analysis["emotions"]![0]!["group"]!.GetValue<string>().Should().Be("sadness");
        analysis["painPoint"]!.GetValue<string>().Should().Be("delivery-shipping");
        analysis["corrected"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("sentiment", "emotions", "painPoint");

        var listed = (await (await workspace.As("viewer").GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]![0]!;
        listed["analysis"]!["sentiment"]!.GetValue<string>().Should().Be("negative");
    }

    [Fact]
    public async Task ModelsNeverOverwriteACorrectedField()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var item = await ImportOne(workspace.As("researcher"), "Absolutely wonderful service, thank you so much!");
        item["analysis"]!["sentiment"]!.GetValue<string>().Should().Be("positive");
        (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{item["id"]}", new { sentiment = "neutral" })).StatusCode.Should().Be(HttpStatusCode.OK);

        // Queue the item for analysis again, as a re-analysis would, and let the background worker run.
        var id = Guid.Parse(item["id"]!.GetValue<string>());
        await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.AnalyzedAt, (DateTime?)null)));
        JsonNode? analysis = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await Task.Delay(100);
            analysis = (await (await workspace.As("viewer").GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]![0]!["analysis"];
            if (analysis?["analyzedAt"] is not null) break;
        }
        analysis!["analyzedAt"].Should().NotBeNull("the worker analysed the item again");
        analysis["sentiment"]!.GetValue<string>().Should().Be("neutral", "the person's correction stands");
        analysis["emotions"]!.AsArray().Should().NotBeEmpty("uncorrected fields are refreshed by the model");
    }

    [Fact]
    public async Task ReanalyzeQueuesTheWorkspacesItemsAndKeepsCorrections()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var researcher = workspace.As("researcher");
        var import = await ImportRuns.Run(researcher, "two.csv", "id,text\n1,Lovely people and a quick refund\n2,The app crashes at checkout\n");
        var items = (await (await researcher.GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
        var before = items.ToDictionary(i => i!["id"]!.GetValue<string>(), i => i!["analysis"]!["analyzedAt"]!.GetValue<DateTime>());
        var corrected = items.Single(i => i!["externalId"]!.GetValue<string>() == "1")!["id"]!.GetValue<string>();
        (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{corrected}", new { painPoint = "refunds-returns" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var other = await app.CreateWorkspaceAsync();
        await ImportRuns.Run(other.As("researcher"), "x.csv", "id,text\n9,Not mine\n");

        var queued = await (await workspace.As("author").PostAsJsonAsync("/api/analysis/reanalyze", new { importId = import["id"] })).ReadJson(HttpStatusCode.Accepted);
        queued["queued"]!.GetValue<int>().Should().Be(2, "only this workspace's items of that import");

        JsonArray after = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await Task.Delay(100);
            after = (await (await researcher.GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
            if (after.All(i => i!["analysis"]?["analyzedAt"] is not null)) break;
        }
        after.Should().OnlyContain(i => i!["analysis"]!["analyzedAt"]!.GetValue<DateTime>() > before[i["id"]!.GetValue<string>()]);
        after.Single(i => i!["id"]!.GetValue<string>() == corrected)!["analysis"]!["painPoint"]!.GetValue<string>().Should().Be("refunds-returns");
    }

    [Theory]
    [InlineData("""{"sentiment":"angry"}""", "sentiment")]
    [InlineData("""{"emotions":["joy","rage"]}""", "emotions[1]")]
    [InlineData("""{"painPoint":"weather"}""", "painPoint")]
    [InlineData("""{}""", "sentiment")]
    public async Task InvalidCorrectionsNameTheField(string body, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var item = await ImportOne(workspace.As("researcher"), "Late parcel");
        var response = await workspace.As("author").PatchAsync($"/api/evidence/{item["id"]}",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldNameField(field);
    }

    [Fact]
    public async Task ItemsOfAnotherWorkspaceAreNotFound()
    {
        var other = await app.CreateWorkspaceAsync();
        var item = await ImportOne(other.As("researcher"), "Late parcel");
        var workspace = await app.CreateWorkspaceAsync();
        await (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{item["id"]}", new { sentiment = "negative" }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// A correction of an item while another writer (the matching or analysis worker, another instance) has changed a
    /// different item on the same map and is about to change this one. On PostgreSQL the other writer holds the map's
    /// row (the evidence-version trigger locks it) and then wants the item's row: a correction that took the item's row
    /// before the map's was a deadlock (40P01, one of the two aborted; seen in the soak). It now waits for the map first.
    /// </summary>
    [Fact]
    public async Task ACorrectionWaitsForAWriterThatHoldsTheMapWithoutADeadlock()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = (await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce()))["id"]!.GetValue<string>();
        await ImportRuns.Run(workspace.As("researcher"), "two.csv",
            "id,text\nx,\"The parcel arrived two weeks late\"\ny,\"The refund never reached my card\"\n", "review", new() { ["mapId"] = mapId });
        var ids = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == Guid.Parse(mapId)).ToDictionaryAsync(f => f.ExternalId!, f => f.Id));

        await using var writer = app.DbWith();
        await using var transaction = await writer.Database.BeginTransactionAsync();
        (await writer.FeedbackItems.Where(f => f.Id == ids["y"]).ExecuteUpdateAsync(u => u.SetProperty(f => f.MatchConfidence, 0.5))).Should().Be(1);

        // A label the models did not give (the text is negative), so the correction's UPDATE sets the column.
        var correction = workspace.As("author").PatchAsJsonAsync($"/api/evidence/{ids["x"]}", new { sentiment = "positive" });
        await WaitUntilBlocked(correction);
        (await writer.FeedbackItems.Where(f => f.Id == ids["x"]).ExecuteUpdateAsync(u => u.SetProperty(f => f.MatchConfidence, 0.25)))
            .Should().Be(1, "the other writer's change of the item goes through");
        await transaction.CommitAsync();

        (await correction).StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await app.WithDb(db => db.FeedbackItems.AsNoTracking().SingleAsync(f => f.Id == ids["x"]));
        stored.Sentiment.Should().Be("positive");
        stored.MatchConfidence.Should().Be(0.25, "both changes are kept");
    }

    /// <summary>
    /// A re-assignment teaches the matcher, and the map's whole inbox is matched again with it. The correction requeues
    /// the first chunk in its own transaction (so it never holds the map for a big inbox); the matching worker the rest.
    /// </summary>
    [Fact]
    public async Task AReassignmentHasTheWholeInboxMatchedAgainBeyondTheFirstChunk()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var mapId = Guid.Parse(map["id"]!.GetValue<string>());
        var touchpointId = map["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<Guid>();
        var rows = string.Concat(Enumerable.Range(0, MatchQueueChunk * 2 + 100).Select(i => $"q{i},\"zorblax {i} quux wibble\"\n"));
        await ImportRuns.Run(workspace.As("researcher"), "nonsense.csv", "id,text\n" + rows, "review", new() { ["mapId"] = mapId.ToString() });
        var inbox = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == mapId && f.TouchpointId == null && f.MatchedAt != null).Select(f => f.Id).ToListAsync());
        inbox.Count.Should().BeGreaterThan(MatchQueueChunk * 2, "the premise: nothing matches these texts");

        (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{inbox[0]}", new { touchpointId })).StatusCode.Should().Be(HttpStatusCode.OK);
        var taught = await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == inbox[0]).Select(f => f.MatchedAt!.Value).SingleAsync());

        int judgedBefore = -1;
        for (var attempt = 0; attempt < 150 && judgedBefore != 0; attempt++)
        {
            await Task.Delay(200);
            judgedBefore = await app.WithDb(db => db.FeedbackItems.CountAsync(f => f.MapId == mapId && f.TouchpointId == null
                && (f.MatchedAt == null || f.MatchedAt < taught)));
        }
        judgedBefore.Should().Be(0, "every item of the inbox is matched again after the lesson, not only the first chunk");
    }

    private const int MatchQueueChunk = JourneyFeedback.Api.Evidence.MatchQueue.RequeueChunk;

    /// <summary>Until the correction waits for a lock the open transaction holds (PostgreSQL), or a moment (SQLite's write lock).</summary>
    private async Task WaitUntilBlocked(Task correction)
    {
        if (!TestDatabase.UsesPostgres)
        {
            await Task.Delay(500);
            correction.IsCompleted.Should().BeFalse("the premise: the correction waits for the write lock");
            return;
        }
        for (var attempt = 0; attempt < 600; attempt++) // up to 30 s: a busy test run can be slow to start the request
        {
            // From a connection of its own: inside a transaction PostgreSQL answers pg_stat_activity from one snapshot.
            var waiting = await app.WithDb(db => db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND datname = current_database()
                  AND (query LIKE '%"SentimentCorrected"%' OR query LIKE '%"Maps"%FOR NO KEY UPDATE%')
                """).SingleAsync());
            if (waiting > 0) return;
            correction.IsCompleted.Should().BeFalse("the premise: the correction waits for the open transaction");
            await Task.Delay(50);
        }
        throw new TimeoutException("The correction never waited for a lock.");
    }
}
