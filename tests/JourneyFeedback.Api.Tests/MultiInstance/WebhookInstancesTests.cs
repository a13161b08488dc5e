using System.Net;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests.MultiInstance;

/// <summary>Two instances dispatching from one PostgreSQL outbox never make the same attempt twice.</summary>
public sealed class WebhookInstancesTests
{
    private const int Messages = 300;

    private static Dictionary<string, string?> Settings => new() { ["Webhooks:RetrySchedule"] = "0s 1s 1s" };

    /// <summary>Queues <see cref="Messages"/> test events, alternating between the two instances; returns the log reader.</summary>
    private static async Task<(HttpClient Admin, string Subscription)> SendThroughBoth(WebhooksApp a, WebhooksApp b, WebhookReceiver receiver)
    {
        var workspace = await a.CreateWorkspaceAsync();
        var key = workspace.Keys["admin"];
        var (id, _) = await a.ClientWithKey(key).Subscribe(new { url = receiver.Url, eventTypes = new[] { "survey.answered" } });
        var clients = new[] { a.ClientWithKey(key), b.ClientWithKey(key) };
        await Parallel.ForAsync(0, Messages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            (await clients[i % 2].PostAsync($"/api/webhooks/{id}/test", null, ct)).StatusCode.Should().Be(HttpStatusCode.Accepted));
        return (clients[0], id);
    }

    [PostgresFact]
    public async Task EachMessageIsDeliveredOnceWhenBothInstancesDispatch()
    {
        using var database = TestDatabase.Create();
        using var a = WebhooksApp.With(Settings, database);
        using var b = WebhooksApp.With(Settings, database);
        await using var receiver = await WebhookReceiver.StartAsync();
        var (admin, id) = await SendThroughBoth(a, b, receiver);

        var log = await admin.WaitForDeliveries(id, l => l.Count == Messages && l.All(d => d!["status"]!.GetValue<string>() == "succeeded"));
        log.Should().HaveCount(Messages).And.OnlyContain(d => d!["status"]!.GetValue<string>() == "succeeded" && d["attempts"]!.GetValue<int>() == 1);
        await Task.Delay(1000); // anything sent twice would have arrived by now
        var received = receiver.Received;
        received.Should().HaveCount(Messages);
        received.Select(r => r.Id).Distinct().Should().HaveCount(Messages, "no message was sent by both instances");
    }

    [PostgresFact]
    public async Task EachAttemptIsMadeOnceWhenTheFirstOfEveryMessageFails()
    {
        using var database = TestDatabase.Create();
        using var a = WebhooksApp.With(Settings, database);
        using var b = WebhooksApp.With(Settings, database);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, before) => before == 0 ? (500, null) : (200, null);
        var (admin, id) = await SendThroughBoth(a, b, receiver);

        var log = await admin.WaitForDeliveries(id, l => l.Count == Messages && l.All(d => d!["status"]!.GetValue<string>() == "succeeded"));
        log.Should().HaveCount(Messages).And.OnlyContain(d => d!["attempts"]!.GetValue<int>() == 2);
        await Task.Delay(1500);
        receiver.Received.GroupBy(r => r.Id).Should().HaveCount(Messages).And.OnlyContain(g => g.Count() == 2,
            "one failed attempt and one retry per message, each made by one instance");
    }
}
