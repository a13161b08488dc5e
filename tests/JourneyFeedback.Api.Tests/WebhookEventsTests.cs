using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>Which changes produce which events, with what in them (docs/webhooks.md, "Events").</summary>
public sealed class WebhookEventsTests : IClassFixture<WebhookEventsTests.InboxApp>, IAsyncLifetime
{
    /// <summary>A small inbox threshold, so a few unmatched rows cross it.</summary>
    public sealed class InboxApp() : WebhooksApp(new() { ["Webhooks:InboxThreshold"] = "3", ["Imports:PollSeconds"] = "1" });

    private readonly InboxApp _app;
    private WebhookReceiver _receiver = null!;

    public WebhookEventsTests(InboxApp app) => _app = app;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private List<JsonNode> Events(string type) =>
        [.. _receiver.Received.Select(r => JsonNode.Parse(r.Body)!).Where(b => b["type"]!.GetValue<string>() == type)];

    [Theory]
    [InlineData("nps", 6, true, "medium")]
    [InlineData("nps", 3, true, "high")]
    [InlineData("nps", 7, false, null)]
    [InlineData("csat", 2, true, "medium")]
    [InlineData("csat", 1, true, "high")]
    [InlineData("csat", 3, false, null)]
    [InlineData("ces", 1, true, "high")]
    [InlineData("ces", 2, true, "medium")]
    [InlineData("ces", 7, false, null)]
    public async Task DetractorsAreTheUnhappyEndOfEachScale(string type, int score, bool detractor, string? severity)
    {
        var admin = (await _app.CreateWorkspaceAsync()).As("admin");
        await admin.Subscribe(new { url = _receiver.Url, eventTypes = new[] { "survey.answered", "survey.detractor" } });
        var (_, tokens) = await admin.SurveyWithLinks(type, new { externalRef = "chat-1" });
        await _app.CreateClient().Answer(tokens[0], new { score });

        await _receiver.WaitForAsync(r => r.Count >= (detractor ? 2 : 1));
        await Task.Delay(300);
        Events("survey.answered").Should().ContainSingle().Which["data"]!["detractor"]!.GetValue<bool>().Should().Be(detractor);
        var detractors = Events("survey.detractor");
        if (!detractor) detractors.Should().BeEmpty();
        else detractors.Should().ContainSingle().Which["severity"]!.GetValue<string>().Should().Be(severity);
    }

    [Fact]
    public async Task AnAttributionAnswerIsAnsweredOnlyAndARefusedAnswerProducesNothing()
    {
        var admin = (await _app.CreateWorkspaceAsync()).As("admin");
        var (id, _) = await admin.Subscribe(new { url = _receiver.Url, eventTypes = new[] { "survey.answered", "survey.detractor" } });
        var survey = await (await admin.PostAsJsonAsync("/api/surveys", new
        {
            type = "attribution", name = "How did you hear", options = new[] { new { id = "friend", label = "A friend" }, new { id = "ad", label = "An ad" } },
        })).ReadJson(HttpStatusCode.Created);
        var token = (await (await admin.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients = new[] { new { externalRef = "x" } } }))
            .ReadJson(HttpStatusCode.Created))["invitations"]![0]!["token"]!.GetValue<string>();
        await _app.CreateClient().Answer(token, new { optionId = "friend" });
        (await _app.CreateClient().PostAsJsonAsync($"/s/{token}", new { optionId = "ad" })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        await admin.WaitForDeliveries(id, l => l.Count >= 1 && l[0]!["status"]!.GetValue<string>() == "succeeded");
        await Task.Delay(500);
        _receiver.Received.Should().ContainSingle("the refused second answer was never stored, so it has no event");
        var data = Events("survey.answered").Single()["data"]!;
        data["optionId"]!.GetValue<string>().Should().Be("friend");
        data["detractor"]!.GetValue<bool>().Should().BeFalse();
        (await admin.Deliveries(id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AFinishedImportReportsItsCountsAndAFailedOneItsReason()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var admin = workspace.As("admin");
        await admin.Subscribe(new { url = _receiver.Url, eventTypes = new[] { "import.completed", "import.failed" } });
        var csv = "ticket_id,created_at,message\nT-1,2026-10-01,The parcel is late\nT-2,2026-10-02,\nT-3,2026-10-03,Refund still not here\n";
        var finished = await ImportRuns.Run(admin, "tickets.csv", csv);

        var completed = (await _receiver.WaitForAsync(r => r.Count == 1)).Single();
        var body = JsonNode.Parse(completed.Body)!;
        body["type"]!.GetValue<string>().Should().Be("import.completed");
        body["severity"]!.GetValue<string>().Should().Be("low");
        var data = body["data"]!;
        data["importId"]!.GetValue<string>().Should().Be(finished["id"]!.GetValue<string>());
        data["status"]!.GetValue<string>().Should().Be("succeeded");
        data["imported"]!.GetValue<long>().Should().Be(finished["imported"]!.GetValue<long>()).And.Be(2);
        data["rejected"]!.GetValue<long>().Should().Be(1);
        data["rowsRead"]!.GetValue<long>().Should().Be(3);
        data["links"]!["import"]!.GetValue<string>().Should().Be($"/api/imports/{finished["id"]}");

        // An import whose file is gone by the time the worker runs it fails, with the reason.
        var broken = new Import { WorkspaceId = workspace.Id, Kind = "support-log", FileName = "vanished.csv", FileSize = 10 };
        await _app.WithDb(async db =>
        {
            db.Imports.Add(broken);
            return await db.SaveChangesAsync();
        });
        var failed = await ImportRuns.WaitUntilFinished(admin, broken.Id.ToString());
        failed["status"]!.GetValue<string>().Should().Be("failed");
        var failure = JsonNode.Parse((await _receiver.WaitForAsync(r => r.Count == 2))[1].Body)!;
        failure["type"]!.GetValue<string>().Should().Be("import.failed");
        failure["severity"]!.GetValue<string>().Should().Be("high");
        failure["data"]!["failureReason"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace().And.Be(failed["failureReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheInboxGrewEventFiresOncePerCrossingOfTheThreshold()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var admin = workspace.As("admin");
        var map = await SampleMaps.CreateAsync(admin, SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        await admin.Subscribe(new { url = _receiver.Url, eventTypes = new[] { "map.inbox.grew" }, mapId });
        async Task<JsonObject> Import(string name, params string[] texts) =>
            await ImportRuns.Run(admin, name, "id,text\n" + string.Join("\n", texts.Select((t, i) => $"{name}-{i},{t}")) + "\n", "review",
                new() { ["mapId"] = mapId });
        async Task<int> Unassigned() => (await (await admin.GetAsync($"/api/maps/{mapId}/unassigned")).ReadJson(HttpStatusCode.OK))["total"]!.GetValue<int>();

        await Import("a", "meh", "the glorbix widget zapped", "My parcel never arrived, the courier tracking is stuck");
        (await Unassigned()).Should().Be(2);
        await Task.Delay(500);
        Events("map.inbox.grew").Should().BeEmpty("2 is under the threshold of 3");

        await Import("b", "zorblat frobnicated", "qwibble");
        (await Unassigned()).Should().Be(4);
        var grew = (await _receiver.WaitForAsync(r => r.Count == 1)).Single();
        var data = JsonNode.Parse(grew.Body)!["data"]!;
        data["mapId"]!.GetValue<string>().Should().Be(mapId);
        data["unassigned"]!.GetValue<int>().Should().Be(4);
        data["threshold"]!.GetValue<int>().Should().Be(3);
        data["links"]!["inbox"]!.GetValue<string>().Should().Be($"/api/maps/{mapId}/unassigned");

        await Import("c", "blorp");
        await Task.Delay(500);
        Events("map.inbox.grew").Should().ContainSingle("still over the threshold: no new crossing");

        // The author empties the inbox below the threshold; the next growth past it is a new crossing.
        var touchpoint = map["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();
        var inbox = (await (await admin.GetAsync($"/api/maps/{mapId}/unassigned?pageSize=50")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
        foreach (var item in inbox)
            (await admin.PatchAsJsonAsync($"/api/evidence/{item!["item"]!["id"]}", new { touchpointId = touchpoint })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Unassigned()).Should().BeLessThan(3);
        await Import("d", "xyzzy plugh");
        await Task.Delay(500);
        Events("map.inbox.grew").Should().ContainSingle("below the threshold: the watch is re-armed but not fired");
        await Import("e", "frotz", "grue", "quux snark", "wibble wobble");
        (await _receiver.WaitForAsync(r => r.Count == 2)).Should().HaveCount(2, "a new crossing");
        JsonNode.Parse(_receiver.Received[1].Body)!["data"]!["unassigned"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(3);
    }
}
