using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>The API with the semantic tier on (themes by meaning) and webhooks to loopback.</summary>
public sealed class PainPointWebhooksApp() : WebhooksApp(new()
{
    ["Semantic:Enabled"] = "true",
    ["Semantic:PollSeconds"] = "1",
    ["Semantic:ThemeRefreshSeconds"] = "0",
    ["Matching:WorkerPollSeconds"] = "1",
});

/// <summary>painpoint.emerged and painpoint.spiked, produced by the theme refresh in the transaction that stores the themes.</summary>
public sealed class WebhookPainPointTests(PainPointWebhooksApp app) : IClassFixture<PainPointWebhooksApp>
{
    private static readonly string[] Couriers = ["the courier", "the driver", "the delivery firm", "the carrier"];
    private static readonly string[] Afters = ["never called", "did not care", "kept postponing", "gave no update", "blamed the warehouse", "ignored my emails"];

    /// <summary>Varied complaints about one problem: a parcel days late.</summary>
    private static IEnumerable<string> LateParcels(int count, int seed) => Enumerable.Range(seed, count).Select(i =>
        $"My parcel arrived {5 + i % 11} days late and {Couriers[i % Couriers.Length]} {Afters[i / Couriers.Length % Afters.Length]}, really disappointed.");

    private static string Csv(IEnumerable<(string Text, DateTime At)> rows, string prefix) =>
        "id,created_at,channel,text\n" + string.Join('\n', rows.Select((r, i) =>
            $"{prefix}{i},{r.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)},delivery,\"{r.Text}\"")) + "\n";

    private async Task<(HttpClient Admin, string MapId, WebhookReceiver Receiver)> Subscribed(string eventType)
    {
        var admin = (await app.CreateWorkspaceAsync()).As("admin");
        var map = await SampleMaps.CreateAsync(admin, SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        var receiver = await WebhookReceiver.StartAsync();
        await admin.Subscribe(new { url = receiver.Url, eventTypes = new[] { eventType }, mapId });
        return (admin, mapId, receiver);
    }

    [Fact]
    public async Task ANewThemeOfRecentComplaintsEmergesOnceWithItsNameCountsAndQuotes()
    {
        var (admin, mapId, receiver) = await Subscribed("painpoint.emerged");
        await using var _ = receiver;
        var yesterday = DateTime.UtcNow.AddDays(-1);
        await ImportRuns.Run(admin, "late.csv", Csv(LateParcels(12, 0).Select((t, i) => (t, yesterday.AddMinutes(-i))), "l"), "review", new() { ["mapId"] = mapId });

        var got = await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(90));
        got.Should().NotBeEmpty("the refresh groups the twelve complaints into a theme new this week");
        var body = JsonNode.Parse(got[0].Body)!;
        body["severity"]!.GetValue<string>().Should().Be("medium");
        var data = body["data"]!;
        data["mapId"]!.GetValue<string>().Should().Be(mapId);
        data["currentCount"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(5);
        data["previousCount"]!.GetValue<int>().Should().Be(0);
        data["name"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        data["touchpointName"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        data["quotes"]!.AsArray().Should().NotBeEmpty().And.OnlyContain(q => q!.GetValue<string>().Contains("late"));
        data["links"]!["insights"]!.GetValue<string>().Should().Be($"/api/maps/{mapId}/insights");
        data["pValue"].Should().BeNull();

        // The theme is named as the insights name it.
        var insights = await admin.GetFromJsonAsync<JsonObject>($"/api/maps/{mapId}/insights?themes=20");
        insights!.ToJsonString().Should().Contain(data["themeId"]!.GetValue<string>());

        // More of the same: the themes are refreshed again, and the theme does not emerge twice.
        await ImportRuns.Run(admin, "late-2.csv", Csv(LateParcels(3, 40).Select(t => (t, yesterday)), "m"), "review", new() { ["mapId"] = mapId });
        await Task.Delay(4000);
        receiver.Received.Select(r => JsonNode.Parse(r.Body)!["data"]!["themeId"]!.GetValue<string>())
            .Should().OnlyHaveUniqueItems("a theme emerges once");
    }

    [Fact]
    public async Task AThemeThatWasQuietLastWeekAndLoudThisWeekSpikes()
    {
        var (admin, mapId, receiver) = await Subscribed("painpoint.spiked");
        await using var _ = receiver;
        var lastWeek = DateTime.UtcNow.AddDays(-10);
        var thisWeek = DateTime.UtcNow.AddDays(-1);
        var rows = LateParcels(3, 100).Select(t => (t, lastWeek)).Concat(LateParcels(20, 0).Select((t, i) => (t, thisWeek.AddMinutes(-i))));
        await ImportRuns.Run(admin, "late.csv", Csv(rows, "s"), "review", new() { ["mapId"] = mapId });

        var got = await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(90));
        got.Should().NotBeEmpty("20 this week against 3 the week before: P = 2048/2^23 before correction");
        var body = JsonNode.Parse(got[0].Body)!;
        body["type"]!.GetValue<string>().Should().Be("painpoint.spiked");
        body["severity"]!.GetValue<string>().Should().Be("high");
        var data = body["data"]!;
        data["currentCount"]!.GetValue<int>().Should().BeGreaterThan(data["previousCount"]!.GetValue<int>());
        data["previousCount"]!.GetValue<int>().Should().BeGreaterThan(0);
        data["pValue"]!.GetValue<double>().Should().BeLessThanOrEqualTo(0.05);
    }
}
