using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests.MultiInstance;

/// <summary>
/// Two API instances on one PostgreSQL database, both dispatching webhooks from the same outbox: their claims
/// (<c>FOR UPDATE SKIP LOCKED</c>) never send one attempt twice.
/// </summary>
public sealed class WebhookInstancesTests : IAsyncLifetime
{
    private const int AnswersPerInstance = 80;
    private const int EventsPerAnswer = 2; // survey.answered and survey.detractor
    private const int Events = 2 * AnswersPerInstance * EventsPerAnswer;

    private TestDatabase? _database;
    private WebhooksApp _a = null!;
    private WebhooksApp _b = null!;
    private WebhookReceiver _receiver = null!;
    private string _adminKey = "";

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        if (!TestDatabase.UsesPostgres) return; // every test here is skipped
        _database = TestDatabase.Create();
        // Small per-instance concurrency: neither instance can drain the outbox alone, so both keep claiming.
        var settings = new Dictionary<string, string?> { ["Webhooks:RetrySchedule"] = "0s 1s 1s", ["Webhooks:MaxConcurrentPerSubscription"] = "4" };
        _a = WebhooksApp.With(settings, _database);
        _b = WebhooksApp.With(settings, _database);
        _ = _a.Server; // both hosts (and their dispatchers) started before the first answer
        _ = _b.Server;
    }

    [PostgresFact]
    public async Task EachMessageIsSentOnceWhenTwoInstancesDispatch()
    {
        var subscription = await AnswerOnBothInstances();

        var deliveries = await WaitUntilAllSucceeded(subscription);
        deliveries.Should().AllSatisfy(d => d["attempts"]!.GetValue<int>().Should().Be(1, d.ToJsonString()));
        var received = _receiver.Received;
        received.Should().HaveCount(Events);
        received.GroupBy(r => r.Id).Should().AllSatisfy(g => g.Should().ContainSingle($"webhook-id {g.Key} is sent once"));
        received.Select(r => r.Id).Should().BeEquivalentTo(deliveries.Select(d => d["messageId"]!.GetValue<string>()));
    }

    [PostgresFact]
    public async Task AMessageWhoseFirstAttemptFailsIsSentExactlyTwiceWhenTwoInstancesDispatch()
    {
        _receiver.Respond = (_, before) => before == 0 ? (500, null) : (200, null);
        var subscription = await AnswerOnBothInstances();

        var deliveries = await WaitUntilAllSucceeded(subscription);
        deliveries.Should().AllSatisfy(d => d["attempts"]!.GetValue<int>().Should().Be(2, d.ToJsonString()));
        var received = _receiver.Received;
        received.Should().HaveCount(2 * Events);
        received.GroupBy(r => r.Id).Should().HaveCount(Events)
            .And.AllSatisfy(g => g.Select(r => r.Answered).Should().Equal([500, 200], $"webhook-id {g.Key}: one failed attempt, one retry"));
    }

    /// <summary>Subscribes the receiver, then answers detractor surveys on both instances at once; returns the subscription.</summary>
    private async Task<string> AnswerOnBothInstances()
    {
        // Through B: each instance configures its own bootstrap key, and the one started last holds the valid one.
        var workspace = await _b.CreateWorkspaceAsync();
        var admin = workspace.As("admin");
        _adminKey = workspace.Keys["admin"];
        var subscription = (await (await admin.PostAsJsonAsync("/api/webhooks", new
        {
            url = _receiver.Url + "/hooks/two-instances",
            eventTypes = new[] { "survey.answered", "survey.detractor" },
        })).ReadJson(HttpStatusCode.Created))["id"]!.GetValue<string>();

        var survey = await (await admin.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat NPS" })).ReadJson(HttpStatusCode.Created);
        var invited = await (await admin.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
                new { recipients = Enumerable.Range(0, 2 * AnswersPerInstance).Select(i => new { customerId = $"cust-{i}" }) }))
            .ReadJson(HttpStatusCode.Created);
        var tokens = invited["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
        using var onA = _a.CreateClient();
        using var onB = _b.CreateClient();
        var answered = await Task.WhenAll(tokens.Select((token, i) =>
            (i % 2 == 0 ? onA : onB).PostAsJsonAsync($"/s/{token}", new { score = i % 7, comment = $"Answer {i}: the chat went nowhere." })));
        answered.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        return subscription;
    }

    private async Task<List<JsonNode>> WaitUntilAllSucceeded(string subscription)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        List<JsonNode> deliveries;
        while (true)
        {
            deliveries = await Deliveries(subscription);
            if ((deliveries.Count == Events && deliveries.All(d => d["status"]!.GetValue<string>() == "succeeded")) || DateTime.UtcNow > deadline) break;
            await Task.Delay(250);
        }
        deliveries.Should().HaveCount(Events);
        deliveries.Should().AllSatisfy(d => d["status"]!.GetValue<string>().Should().Be("succeeded", d.ToJsonString()));
        return deliveries;
    }

    /// <summary>The delivery log, read through instance A (B wrote the subscription).</summary>
    private async Task<List<JsonNode>> Deliveries(string subscription)
    {
        using var admin = _a.ClientWithKey(_adminKey);
        var page = await (await admin.GetAsync($"/api/webhooks/{subscription}/deliveries?pageSize=500")).ReadJson(HttpStatusCode.OK);
        return [.. page["items"]!.AsArray().Select(d => d!)];
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        if (_database is null) return;
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _database.Dispose();
    }
}
