using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// The API killed (SIGKILL) between committing answers and delivering their events: after a restart every event reaches
/// a receiver that dedupes on webhook-id exactly once (docs/webhooks.md, "Claims and crashes").
/// </summary>
public sealed class WebhookCrashTests : IAsyncLifetime
{
    private const int Answers = 15;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
    private readonly TestDatabase _database = TestDatabase.Create();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    private static Dictionary<string, string> Settings(bool dispatcher) => new()
    {
        ["Webhooks:DispatcherEnabled"] = dispatcher ? "true" : "false",
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:RetryJitter"] = "0",
        ["Webhooks:RetrySchedule"] = "0s 1s 1s 1s 1s",
        ["Webhooks:TimeoutSeconds"] = "30",
        ["Webhooks:LeaseMarginSeconds"] = "1",
        ["Webhooks:PollSeconds"] = "0.2",
    };

    /// <summary>Subscribes the receiver and stores <see cref="Answers"/> NPS detractor answers (two events each).</summary>
    private async Task AnswerDetractors(ApiProcess api)
    {
        await api.Client.Subscribe(new { url = _receiver.Url + "/helpdesk", eventTypes = new[] { "survey.answered", "survey.detractor" } });
        var (_, tokens) = await api.Client.SurveyWithLinks("nps", Enumerable.Range(0, Answers).Select(i => (object)new { externalRef = $"chat-{i}" }).ToArray());
        using var anyone = new HttpClient { BaseAddress = api.Client.BaseAddress };
        foreach (var (token, i) in tokens.Select((t, i) => (t, i))) await anyone.Answer(token, new { score = i % 7, comment = $"Chat {i} went badly." });
    }

    /// <summary>The messages the outbox holds, as the delivery log of the (one) subscription lists them.</summary>
    private static async Task<List<string>> StoredMessageIds(ApiProcess api)
    {
        var subscription = (await api.Client.GetFromJsonAsync<JsonArray>("/api/webhooks"))![0]!["id"]!.GetValue<string>();
        return [.. (await api.Client.Deliveries(subscription)).Select(d => d!["messageId"]!.GetValue<string>())];
    }

    [Fact]
    public async Task EventsCommittedBeforeAKillAreDeliveredAfterTheRestartExactlyOnce()
    {
        using (var first = await ApiProcess.StartAsync(_dataDirectory, "crash-key", Settings(dispatcher: false), _database))
        {
            await AnswerDetractors(first);
            first.Kill(); // committed, never attempted
        }
        _receiver.Arrived.Should().Be(0);

        using var second = await ApiProcess.StartAsync(_dataDirectory, "crash-key", Settings(dispatcher: true), _database);
        var received = await _receiver.WaitForAsync(r => r.Select(x => x.Id).Distinct().Count() == 2 * Answers);
        var processed = received.Select(r => r.Id).Distinct().ToList(); // what a receiver that dedupes on webhook-id handles
        processed.Should().HaveCount(2 * Answers, "every committed answer has its two events");
        processed.Should().BeEquivalentTo(await StoredMessageIds(second));
        received.Should().HaveCount(2 * Answers, "nothing was in flight at the kill: not even a retry");
        received.Count(r => r.Body.Contains("\"survey.detractor\"")).Should().Be(Answers);
    }

    [Fact]
    public async Task AttemptsInFlightAtTheKillAreRetriedAfterTheRestartAndTheReceiverProcessesEachOnce()
    {
        _receiver.Delay = TimeSpan.FromSeconds(8); // the first instance's attempts hang until it is killed
        using (var first = await ApiProcess.StartAsync(_dataDirectory, "crash-key", Settings(dispatcher: true), _database))
        {
            await AnswerDetractors(first);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (_receiver.Arrived == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
            _receiver.Arrived.Should().BeGreaterThan(0, "attempts are in flight when the API is killed");
            first.Kill();
        }
        _receiver.Delay = TimeSpan.Zero;

        using var second = await ApiProcess.StartAsync(_dataDirectory, "crash-key", Settings(dispatcher: true), _database);
        var ids = await StoredMessageIds(second);
        ids.Should().HaveCount(2 * Answers);
        var received = await _receiver.WaitForAsync(r => ids.All(id => r.Any(x => x.Id == id)), TimeSpan.FromSeconds(60));
        received.Select(r => r.Id).Distinct().Should().BeEquivalentTo(ids, "a receiver deduping on webhook-id processes each event once");

        var log = await second.Client.WaitForDeliveries(
            (await second.Client.GetFromJsonAsync<JsonArray>("/api/webhooks"))![0]!["id"]!.GetValue<string>(),
            l => l.Count == 2 * Answers && l.All(d => d!["status"]!.GetValue<string>() == "succeeded"));
        log.Should().HaveCount(2 * Answers).And.OnlyContain(d => d!["status"]!.GetValue<string>() == "succeeded");
        log.Count(d => d!["attempts"]!.GetValue<int>() == 2).Should().BeGreaterThan(0,
            "the attempts cut off by the kill count as one, and were made again (same webhook-id) once their lease ran out");
        log.Should().OnlyContain(d => d!["attempts"]!.GetValue<int>() <= 2);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
