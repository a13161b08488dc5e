using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Tests.Infrastructure;
using JourneyFeedback.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// The webhooks app with a small inbox threshold, and a matching worker that re-matches a requeued inbox one item per
/// batch (so a check can fall between its batches, as it does on a big inbox with the default batch size).
/// </summary>
public sealed class WebhookEventsFixture : IDisposable
{
    public WebhooksApp App { get; } = WebhooksApp.With(new()
    {
        ["Webhooks:InboxThreshold"] = "3",
        ["Matching:WorkerBatchSize"] = "1",
        ["Matching:WorkerPollSeconds"] = "1",
        ["Imports:PollSeconds"] = "1",
    });

    public void Dispose() => App.Dispose();
}

/// <summary>
/// What produces which event: answers (detractor rules per scale), imports (completed and failed with their counts),
/// a map's inbox (fires once, re-armed below the threshold), all written in the transaction of the change.
/// </summary>
public sealed class WebhookEventsTests(WebhookEventsFixture fixture) : IClassFixture<WebhookEventsFixture>, IAsyncLifetime
{
    private readonly WebhooksApp _app = fixture.App;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<string> Subscribe(TestWorkspace workspace, string[] eventTypes, object? filters = null)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(filters ?? new { }))!.AsObject();
        body["url"] = _receiver.Url + "/hooks";
        body["eventTypes"] = new JsonArray([.. eventTypes.Select(t => JsonValue.Create(t))]);
        var created = await (await workspace.As("admin").PostAsJsonAsync("/api/webhooks", body)).ReadJson(HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    /// <summary>The workspace's outbox messages, oldest first: written in the change's transaction, so there when the change is.</summary>
    private Task<List<(string Type, JsonNode Body)>> Messages(TestWorkspace workspace, string? type = null) => _app.WithDb(async db =>
        (await db.WebhookMessages.AsNoTracking().Where(m => m.WorkspaceId == workspace.Id && (type == null || m.Type == type))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => new { m.Type, m.Body }).ToListAsync())
        .Select(m => (m.Type, JsonNode.Parse(m.Body)!)).ToList());

    private static async Task<(string SurveyId, List<string> Tokens)> Survey(TestWorkspace workspace, object survey, int links)
    {
        var created = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", survey)).ReadJson(HttpStatusCode.Created);
        var surveyId = created["id"]!.GetValue<string>();
        var recipients = Enumerable.Range(0, links).Select(i => new { customerId = $"cust-{i}", externalRef = $"chat-{i}" }).ToArray();
        var invited = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{surveyId}/invitations", new { recipients }))
            .ReadJson(HttpStatusCode.Created);
        return (surveyId, invited["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList());
    }

    private Task<HttpResponseMessage> Answer(string token, string json) =>
        _app.CreateClient().PostAsync($"/s/{token}", new StringContent(json, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("nps", 0, "high")]
    [InlineData("nps", 3, "high")]
    [InlineData("nps", 4, "medium")]
    [InlineData("nps", 6, "medium")]
    [InlineData("nps", 7, null)]
    [InlineData("nps", 10, null)]
    [InlineData("csat", 1, "high")]
    [InlineData("csat", 2, "medium")]
    [InlineData("csat", 3, null)]
    [InlineData("ces", 1, "high")] // our CES: 1 = very difficult
    [InlineData("ces", 2, "medium")]
    [InlineData("ces", 3, null)]
    [InlineData("ces", 7, null)]
    public async Task AnAnswerIsAlwaysAnsweredAndADetractorOnlyAtTheBottomOfItsScale(string type, int score, string? detractorSeverity)
    {
        var workspace = await _app.CreateWorkspaceAsync();
        await Subscribe(workspace, ["survey.answered", "survey.detractor"]);
        var (surveyId, tokens) = await Survey(workspace, new { type, name = $"After chat ({type})" }, 1);

        (await Answer(tokens[0], $$"""{"score":{{score}},"comment":"Score {{score}}"}""")).StatusCode.Should().Be(HttpStatusCode.Created);

        var messages = await Messages(workspace);
        var answered = messages.Should().ContainSingle(m => m.Type == "survey.answered").Subject.Body;
        answered["severity"]!.GetValue<string>().Should().Be("low");
        answered["data"]!["score"]!.GetValue<int>().Should().Be(score);
        answered["data"]!["surveyType"]!.GetValue<string>().Should().Be(type);
        answered["data"]!["surveyId"]!.GetValue<string>().Should().Be(surveyId);
        answered["data"]!["detractor"]!.GetValue<bool>().Should().Be(detractorSeverity is not null);
        var detractors = messages.Where(m => m.Type == "survey.detractor").ToList();
        if (detractorSeverity is null)
        {
            detractors.Should().BeEmpty();
            messages.Should().HaveCount(1);
            return;
        }
        var detractor = detractors.Should().ContainSingle().Subject.Body;
        detractor["severity"]!.GetValue<string>().Should().Be(detractorSeverity);
        detractor["data"]!["answerId"]!.GetValue<string>().Should().Be(answered["data"]!["answerId"]!.GetValue<string>(), "two events of one answer");
        detractor["data"]!["customerId"]!.GetValue<string>().Should().Be("cust-0");
        detractor["data"]!["externalRef"]!.GetValue<string>().Should().Be("chat-0");
        detractor["id"]!.GetValue<string>().Should().NotBe(answered["id"]!.GetValue<string>());

        var received = await _receiver.WaitForAsync(r => r.Count >= 2);
        received.Select(r => r.Id).Should().BeEquivalentTo([answered["id"]!.GetValue<string>(), detractor["id"]!.GetValue<string>()]);
    }

    [Fact]
    public async Task AnAttributionAnswerIsOnlyAnswered()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        await Subscribe(workspace, ["survey.answered", "survey.detractor"]);
        var (_, tokens) = await Survey(workspace,
            new { type = "attribution", name = "Where did you hear about us?", options = new[] { new { label = "Google search" }, new { label = "Friend" } } }, 2);

        (await Answer(tokens[0], """{"optionId":"friend"}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Answer(tokens[1], """{"optionId":"other","otherText":"A podcast"}""")).StatusCode.Should().Be(HttpStatusCode.Created);

        var messages = await Messages(workspace);
        messages.Should().HaveCount(2).And.OnlyContain(m => m.Type == "survey.answered");
        var data = messages.Select(m => m.Body["data"]!).ToList();
        data.Select(d => d["optionId"]!.GetValue<string>()).Should().BeEquivalentTo("friend", "other");
        data.Should().OnlyContain(d => d["score"] == null && !d["detractor"]!.GetValue<bool>());
        data.Single(d => d["optionId"]!.GetValue<string>() == "other")["otherText"]!.GetValue<string>().Should().Be("A podcast");
    }

    [Fact]
    public async Task SubscriptionFiltersPickTheirEventsAtWriteTime()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var (npsId, npsTokens) = await Survey(workspace, new { type = "nps", name = "NPS" }, 3);
        var (_, csatTokens) = await Survey(workspace, new { type = "csat", name = "CSAT" }, 1);
        var urgent = await Subscribe(workspace, ["survey.detractor"], new { minSeverity = "high" });
        var npsOnly = await Subscribe(workspace, ["survey.answered"], new { surveyId = npsId });

        foreach (var (token, body) in new[] { (npsTokens[0], """{"score":5}"""), (npsTokens[1], """{"score":1}"""), (npsTokens[2], """{"score":9}"""), (csatTokens[0], """{"score":1}""") })
            (await Answer(token, body)).StatusCode.Should().Be(HttpStatusCode.Created);

        var deliveries = await _app.WithDb(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.WorkspaceId == workspace.Id)
            .Join(db.WebhookMessages, d => d.MessageId, m => m.Id, (d, m) => new { d.SubscriptionId, m.Body }).ToListAsync());
        int[] Scores(string subscription) => [.. deliveries.Where(d => d.SubscriptionId == Guid.Parse(subscription))
            .Select(d => JsonNode.Parse(d.Body)!["data"]!["score"]!.GetValue<int>()).Order()];
        Scores(urgent).Should().Equal([1, 1], "the NPS 1 and the CSAT 1; the NPS 5 is a medium detractor");
        Scores(npsOnly).Should().Equal([1, 5, 9], "every answer of the NPS survey, none of the CSAT one");
        (await Messages(workspace)).Should().HaveCount(5, "no message for the events nobody subscribed to (the CSAT answer, the NPS 5 detractor)");
    }

    [Fact]
    public async Task ARefusedAnswerWritesNoEvent()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        await Subscribe(workspace, ["survey.answered", "survey.detractor"]);
        var (_, tokens) = await Survey(workspace, new { type = "nps", name = "NPS" }, 2);
        (await Answer(tokens[0], """{"score":9}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await Messages(workspace);
        before.Should().ContainSingle();

        await (await Answer(tokens[0], """{"score":0,"comment":"changed my mind"}""")).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await Answer(tokens[1], """{"score":12}""")).ShouldNameField("score", HttpStatusCode.UnprocessableEntity);
        // Concurrent submits on one fresh link: one stored, the rest refused in the same group commits.
        var statuses = (await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Answer(tokens[1], $$"""{"score":{{i % 4}}}""")))).Select(r => r.StatusCode).ToList();
        statuses.Count(s => s == HttpStatusCode.Created).Should().Be(1);

        var after = await Messages(workspace);
        after.Should().HaveCount(3, "the first answer's, and the second link's answered and detractor events");
        after.Where(m => m.Type == "survey.answered").Select(m => m.Body["data"]!["invitationId"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
        after.Single(m => m.Type == "survey.detractor").Body["data"]!["invitationId"]!.GetValue<string>()
            .Should().Be(after.Last(m => m.Type == "survey.answered").Body["data"]!["invitationId"]!.GetValue<string>());
        var deliveries = await _app.WithDb(db => db.WebhookDeliveries.CountAsync(d => d.WorkspaceId == workspace.Id));
        deliveries.Should().Be(3);
    }

    [Fact]
    public async Task OutboxRowsExistOnlyIfTheirTransactionCommits()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var subscription = await Subscribe(workspace, ["survey.answered"]);
        var outbox = _app.Services.GetRequiredService<WebhookOutbox>();
        var e = new OutboxEvent(workspace.Id, WebhookEventTypes.Test, WebhookSeverity.Low, DateTime.UtcNow,
            new WebhookTestData(Guid.Parse(subscription), "rolled back", new Dictionary<string, string>()), OnlySubscription: Guid.Parse(subscription));

        await _app.WithDb(async db =>
        {
            var outside = () => outbox.WriteAsync(db, [e], CancellationToken.None);
            await outside.Should().ThrowAsync<InvalidOperationException>("an event outside a transaction could outlive a change that failed");
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await outbox.WriteAsync(db, [e], CancellationToken.None)).Should().Be(1);
            (await db.WebhookMessages.CountAsync(m => m.WorkspaceId == workspace.Id)).Should().Be(1, "visible inside its transaction");
            await transaction.RollbackAsync();
            return 0;
        });

        (await Messages(workspace)).Should().BeEmpty();
        (await _app.WithDb(db => db.WebhookDeliveries.CountAsync(d => d.WorkspaceId == workspace.Id))).Should().Be(0);
    }

    [Fact]
    public async Task AFinishedImportReportsTheCountsItsStatusShows()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        await Subscribe(workspace, ["import.completed", "import.failed"]);
        var status = await ImportRuns.Run(workspace.As("researcher"), "support-log.csv", File.ReadAllBytes(ImportRuns.Sample("support-log.csv")));
        status["status"]!.GetValue<string>().Should().Be("succeeded");

        var message = (await Messages(workspace)).Should().ContainSingle().Subject;
        message.Type.Should().Be("import.completed");
        message.Body["severity"]!.GetValue<string>().Should().Be("low");
        var data = message.Body["data"]!;
        data["importId"]!.GetValue<string>().Should().Be(status["id"]!.GetValue<string>());
        data["kind"]!.GetValue<string>().Should().Be("support-log");
        data["fileName"]!.GetValue<string>().Should().Be("support-log.csv");
        data["status"]!.GetValue<string>().Should().Be("succeeded");
        foreach (var count in new[] { "rowsRead", "imported", "skippedDuplicates", "rejected" })
            data[count]!.GetValue<long>().Should().Be(status[count]!.GetValue<long>(), count);
        data["imported"]!.GetValue<long>().Should().Be(11);
        data["failureReason"].Should().BeNull();
        data["finishedAt"]!.GetValue<DateTime>().Should().Be(status["finishedAt"]!.GetValue<DateTime>());
        data["links"]!["import"]!.GetValue<string>().Should().Be($"/api/imports/{status["id"]}");
        data["links"]!["rejections"]!.GetValue<string>().Should().Be($"/api/imports/{status["id"]}/rejections");

        var received = await _receiver.WaitForAsync(r => r.Count >= 1);
        received.Should().ContainSingle().Which.Id.Should().Be(message.Body["id"]!.GetValue<string>());

        // The same file again: every row a duplicate, still a completed import.
        var again = await ImportRuns.Run(workspace.As("researcher"), "support-log.csv", File.ReadAllBytes(ImportRuns.Sample("support-log.csv")));
        var second = (await Messages(workspace, "import.completed")).Last().Body["data"]!;
        second["importId"]!.GetValue<string>().Should().Be(again["id"]!.GetValue<string>());
        second["skippedDuplicates"]!.GetValue<long>().Should().Be(again["skippedDuplicates"]!.GetValue<long>()).And.Be(11);
        second["imported"]!.GetValue<long>().Should().Be(0);
    }

    [Fact]
    public async Task AnImportThatFailsInTheWorkerReportsWhy()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        await Subscribe(workspace, ["import.completed", "import.failed"], new { minSeverity = "high" });
        // No upload makes a file that fails later (the upload sniffs and inspects it), so the import is queued as a
        // crashed upload would have left it: a row without a stored verdict, and a file that is not text.
        var importId = await _app.WithDb(async db =>
        {
            var import = new Import { WorkspaceId = workspace.Id, Kind = "support-log", FileName = "export.csv", FileSize = 64 };
            var path = _app.Services.GetRequiredService<StoragePaths>().ImportFile(import.Id);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [.. "id,text\n"u8.ToArray(), 0, 1, 2, 0, 0xFF]);
            db.Imports.Add(import);
            await db.SaveChangesAsync();
            return import.Id.ToString();
        });

        var status = await ImportRuns.WaitUntilFinished(workspace.As("researcher"), importId);
        status["status"]!.GetValue<string>().Should().Be("failed");
        var message = (await Messages(workspace)).Should().ContainSingle().Subject;
        message.Type.Should().Be("import.failed");
        message.Body["severity"]!.GetValue<string>().Should().Be("high");
        var data = message.Body["data"]!;
        data["importId"]!.GetValue<string>().Should().Be(importId);
        data["status"]!.GetValue<string>().Should().Be("failed");
        data["failureReason"]!.GetValue<string>().Should().Be(status["failureReason"]!.GetValue<string>()).And.Contain("binary");
        data["imported"]!.GetValue<long>().Should().Be(0);
        (await _receiver.WaitForAsync(r => r.Count >= 1)).Should().ContainSingle().Which.Body.Should().Contain("import.failed");
    }

    private sealed record Journey(TestWorkspace Workspace, string MapId, Dictionary<string, string> Touchpoints);

    /// <summary>Texts the matcher cannot place, each with words of its own (so a lesson from one does not place another).</summary>
    private static string Gibberish(int n)
    {
        static string Word(int n, string stem) => stem + (char)('a' + n % 26) + (char)('a' + n / 26 % 26) + "ex";
        return $"{Word(n, "zorv")} {Word(n, "plim")} {Word(n, "quab")}";
    }

    private static Task<JsonObject> ImportReviews(Journey journey, IEnumerable<(string Id, string Text)> rows) =>
        ImportRuns.Run(journey.Workspace.As("researcher"), $"{Guid.NewGuid():N}.csv",
            "id,text\n" + string.Join('\n', rows.Select(r => $"{r.Id},\"{r.Text}\"")) + "\n", "review", new() { ["mapId"] = journey.MapId });

    private async Task<List<string>> Inbox(Journey journey)
    {
        var inbox = await (await journey.Workspace.As("author").GetAsync($"/api/maps/{journey.MapId}/unassigned?pageSize=100")).ReadJson(HttpStatusCode.OK);
        return inbox["items"]!.AsArray().Select(i => i!["item"]!["id"]!.GetValue<string>()).ToList();
    }

    /// <summary>Waits until the matching worker has re-matched every requeued item of the map.</summary>
    private async Task Settled(Journey journey)
    {
        var mapId = Guid.Parse(journey.MapId);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (!await _app.WithDb(db => db.FeedbackItems.AnyAsync(f => f.MapId == mapId && f.MatchedAt == null))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The matching worker did not re-match the inbox.");
    }

    [Fact]
    public async Task TheInboxIsReportedOnceWhenItReachesTheThresholdAndAgainOnlyAfterFallingBelowIt()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var touchpoints = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["id"]!.GetValue<string>());
        var journey = new Journey(workspace, map["id"]!.GetValue<string>(), touchpoints);
        await Subscribe(workspace, ["map.inbox.grew"], new { mapId = journey.MapId });

        // 4 of 5 rows go to the inbox: threshold 3 reached.
        await ImportReviews(journey, [.. Enumerable.Range(0, 4).Select(i => ($"g{i}", Gibberish(i))),
            ("ok1", "My parcel never arrived, the courier tracking has been stuck for a week")]);
        var first = (await Messages(workspace)).Should().ContainSingle().Subject;
        first.Type.Should().Be("map.inbox.grew");
        first.Body["severity"]!.GetValue<string>().Should().Be("medium");
        var data = first.Body["data"]!;
        data["mapId"]!.GetValue<string>().Should().Be(journey.MapId);
        data["mapName"]!.GetValue<string>().Should().Be(map["name"]!.GetValue<string>());
        data["unassigned"]!.GetValue<int>().Should().Be(4);
        data["threshold"]!.GetValue<int>().Should().Be(3);
        data["links"]!["inbox"]!.GetValue<string>().Should().Be($"/api/maps/{journey.MapId}/unassigned");
        (await Inbox(journey)).Should().HaveCount(4);

        // Growing further while reported: no second event.
        await ImportReviews(journey, Enumerable.Range(4, 2).Select(i => ($"g{i}", Gibberish(i))));
        (await Inbox(journey)).Should().HaveCount(6);
        (await Messages(workspace)).Should().ContainSingle();

        // One item filed by hand: the rest of the inbox is requeued and re-matched one item per batch; the inbox never
        // fell below the threshold, so it is not reported again.
        var inbox = await Inbox(journey);
        (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{inbox[0]}", new { touchpointId = journey.Touchpoints["Returns"] }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await Settled(journey);
        (await Inbox(journey)).Should().HaveCount(5);
        (await Messages(workspace)).Should().ContainSingle("the inbox stayed at or above the threshold while it was re-matched");

        // The author empties the inbox; the next import that pushes it over the threshold is reported again.
        foreach (var id in (await Inbox(journey)))
            (await workspace.As("author").PatchAsJsonAsync($"/api/evidence/{id}", new { touchpointId = journey.Touchpoints["Returns"] }))
                .StatusCode.Should().Be(HttpStatusCode.OK);
        await Settled(journey);
        (await Inbox(journey)).Should().BeEmpty();
        await ImportReviews(journey, Enumerable.Range(10, 3).Select(i => ($"g{i}", Gibberish(i))));
        (await Inbox(journey)).Should().HaveCount(3, "the premise: the new texts share no words with the filed ones");

        var messages = await Messages(workspace);
        messages.Should().HaveCount(2).And.OnlyContain(m => m.Type == "map.inbox.grew");
        messages[1].Body["data"]!["unassigned"]!.GetValue<int>().Should().Be(3);
        var received = await _receiver.WaitForAsync(r => r.Count >= 2);
        received.Select(r => r.Id).Should().BeEquivalentTo(messages.Select(m => m.Body["id"]!.GetValue<string>()));
    }
}
