using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// One journey for every trends test: the e-commerce sample map fed a support log and reviews spread over the last six
/// weeks, and three NPS answers on Live chat this week. Weeks are counted back from the current ISO week (week 0).
/// </summary>
public sealed class TrendsApp : JourneyFeedbackApp
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private TrendsJourney? _journey;

    /// <summary>Monday 00:00 UTC of the current week, taken once before anything is written.</summary>
    public static DateTime ThisWeek { get; } = DateTime.UtcNow.Date.AddDays(-(((int)DateTime.UtcNow.DayOfWeek + 6) % 7));

    public static DateTime WeeksAgo(int weeks, int hour = 10) => ThisWeek.AddDays(-7 * weeks + 1).AddHours(hour);

    public async Task<TrendsJourney> Journey()
    {
        await _lock.WaitAsync();
        try
        {
            return _journey ??= await CreateAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<TrendsJourney> CreateAsync()
    {
        var workspace = await CreateWorkspaceAsync("Trends");
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        var touchpoints = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["id"]!.GetValue<string>());
        var fields = new Dictionary<string, string> { ["mapId"] = mapId };

        const string chatBad = "The chat agent never answered, I waited an hour and gave up. Terrible service.";
        const string chatGood = "Lovely quick help in the chat, thank you so much!";
        const string phoneBad = "Nobody picks up the phone, on hold for forty minutes again. Awful.";
        const string phoneGood = "The phone advisor sorted everything in two minutes, great.";
        var log = new StringBuilder("ticket_id,occurred_at,customer_id,channel,message\n");
        void Ticket(string id, int weeksAgo, int hour, string channel, string text) =>
            log.Append(CultureInfo.InvariantCulture, $"{id},{WeeksAgo(weeksAgo, hour):yyyy-MM-ddTHH:mm:ssZ},C-{id},{channel},\"{text}\"\n");
        Ticket("s1", 5, 9, "chat", chatBad); Ticket("s2", 5, 10, "chat", chatGood); Ticket("s3", 5, 11, "phone", phoneBad);
        Ticket("s4", 4, 9, "phone", phoneBad); Ticket("s5", 4, 10, "phone", phoneGood);
        Ticket("s6", 3, 9, "chat", chatBad); Ticket("s7", 3, 10, "chat", chatBad); Ticket("s8", 3, 11, "chat", chatGood);
        Ticket("s9", 1, 9, "chat", chatBad); Ticket("s10", 1, 10, "phone", phoneGood);
        (await ImportRuns.Run(workspace.As("researcher"), "support.csv", log.ToString(), "support-log", fields))["imported"]!.GetValue<int>().Should().Be(10);

        const string parcelBad = "My parcel never arrived, the courier lost it and the tracking is stuck. Awful.";
        const string parcelGood = "Parcel arrived a day early and well packed, very happy.";
        var reviews = new StringBuilder("id,date,channel,text\n");
        void Review(string id, int weeksAgo, int hour, string text) =>
            reviews.Append(CultureInfo.InvariantCulture, $"{id},{WeeksAgo(weeksAgo, hour):yyyy-MM-ddTHH:mm:ssZ},delivery,\"{text}\"\n");
        Review("r1", 5, 12, parcelBad);
        Review("r2", 3, 12, parcelBad); Review("r3", 3, 13, parcelGood);
        Review("r4", 2, 12, parcelBad);
        (await ImportRuns.Run(workspace.As("researcher"), "reviews.csv", reviews.ToString(), "review", fields))["imported"]!.GetValue<int>().Should().Be(4);

        // NPS on Live chat this week, without comments (so no items): 2 promoters, 1 detractor.
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "After chat", mapId, touchpointId = touchpoints["Live chat"],
        })).ReadJson(HttpStatusCode.Created);
        var recipients = Enumerable.Range(0, 3).Select(i => new { externalRef = $"chat-{i}", customerId = $"n-{i}", channel = "chat" }).ToArray();
        var tokens = (await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients }))
            .ReadJson(HttpStatusCode.Created))["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
        int[] scores = [10, 9, 3];
        for (var i = 0; i < scores.Length; i++)
        {
            var answered = await CreateClient().PostAsync($"/s/{tokens[i]}", new StringContent(
                System.Text.Json.JsonSerializer.Serialize(new { score = scores[i] }), Encoding.UTF8, "application/json"));
            answered.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        return new TrendsJourney(workspace, mapId, touchpoints);
    }
}

public sealed record TrendsJourney(TestWorkspace Workspace, string MapId, Dictionary<string, string> Touchpoints)
{
    public HttpClient Viewer => Workspace.As("viewer");
}

public sealed class TrendsTests(TrendsApp app) : IClassFixture<TrendsApp>
{
    // Items per week of the fixture, oldest first, for the default 12 weeks ending with the current one (index 11).
    private static readonly int[] LiveChat = [0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 1, 0];
    private static readonly int[] Phone = [0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 1, 0];
    private static readonly int[] Delivery = [0, 0, 0, 0, 0, 0, 1, 0, 2, 1, 0, 0];

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonObject> Trends(TrendsJourney journey, string query) =>
        await (await journey.Viewer.GetAsync($"/api/maps/{journey.MapId}/trends{query}")).ReadJson(HttpStatusCode.OK);

    private static JsonArray Points(JsonObject trends, string touchpoint) =>
        trends["touchpoints"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == touchpoint)!["points"]!.AsArray();

    private static int[] Items(JsonArray points) => points.Select(p => p!["items"]!.GetValue<int>()).ToArray();

    private static int[] Sum(params int[][] series) => Enumerable.Range(0, series[0].Length).Select(b => series.Sum(s => s[b])).ToArray();

    [Fact]
    public async Task WeeklySeriesCountEachTouchpointsItemsAndAnswersInMapOrder()
    {
        var journey = await app.Journey();
        var trends = await Trends(journey, $"?interval=week&to={Today}");

        var buckets = trends["buckets"]!.AsArray();
        buckets.Should().HaveCount(12);
        buckets[11]!["start"]!.GetValue<DateTime>().Should().Be(TrendsApp.ThisWeek);
        buckets[0]!["start"]!.GetValue<DateTime>().Should().Be(TrendsApp.ThisWeek.AddDays(-77));
        buckets[11]!["end"]!.GetValue<DateTime>().Should().Be(TrendsApp.ThisWeek.AddDays(7));
        buckets[11]!["label"]!.GetValue<string>().Should().Be($"{ISOWeek.GetYear(TrendsApp.ThisWeek)}-W{ISOWeek.GetWeekOfYear(TrendsApp.ThisWeek):00}");
        trends["interval"]!.GetValue<string>().Should().Be("week");
        trends["segment"].Should().BeNull();

        Items(Points(trends, "Live chat")).Should().Equal(LiveChat);
        Items(Points(trends, "Phone")).Should().Equal(Phone);
        Items(Points(trends, "Delivery")).Should().Equal(Delivery);
        Items(trends["map"]!.AsArray()).Should().Equal(Sum(LiveChat, Phone, Delivery));
        trends["touchpoints"]!.AsArray().Where(t => t!["name"]!.GetValue<string>() is not ("Live chat" or "Phone" or "Delivery"))
            .Should().OnlyContain(t => t!["points"]!.AsArray().All(p => p!["items"]!.GetValue<int>() == 0 && p["meanValence"] == null));
        trends["touchpoints"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal(
            "Social media", "Paid ads", "Search results", "Referrals", "Review sites", "Product videos", "Website", "Live chat", "Phone",
            "Checkout", "Order e-mail", "Delivery", "Help desk", "Returns", "Newsletter", "Review request", "Referral programme");
        var liveChat = trends["touchpoints"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "Live chat")!;
        liveChat["stageName"]!.GetValue<string>().Should().Be("Consideration");
        liveChat["id"]!.GetValue<string>().Should().Be(journey.Touchpoints["Live chat"]);

        foreach (var point in Points(trends, "Live chat").Where(p => p!["analysed"]!.GetValue<int>() > 0))
        {
            var shares = point!["negativePercent"]!.GetValue<double>() + point["neutralPercent"]!.GetValue<double>() + point["positivePercent"]!.GetValue<double>();
            shares.Should().BeApproximately(100, 0.05);
            point["meanValence"]!.GetValue<double>().Should().BeInRange(-1, 1);
        }

        // This week's answers: 2 promoters, 1 detractor → 100 × (2/3 − 1/3) = 33.33, a low sample; none before.
        var nps = Points(trends, "Live chat")[11]!["nps"]!;
        nps["score"]!.GetValue<double>().Should().BeApproximately(33.33, 0.01);
        nps["responses"]!.GetValue<int>().Should().Be(3);
        nps["lowSample"]!.GetValue<bool>().Should().BeTrue();
        trends["map"]![11]!["nps"]!["responses"]!.GetValue<int>().Should().Be(3);
        Points(trends, "Live chat").Take(11).Should().OnlyContain(p => p!["nps"] == null);
        Points(trends, "Phone")[11]!["nps"].Should().BeNull();

        // Without a range the 12 weeks end with the newest item (last week), so this week's answers are outside.
        var byDefault = await Trends(journey, "");
        byDefault["buckets"]![11]!["start"]!.GetValue<DateTime>().Should().Be(TrendsApp.ThisWeek.AddDays(-7));
        Items(Points(byDefault, "Live chat")).Should().Equal([0, .. LiveChat[..11]]);
        byDefault["map"]!.AsArray().Should().OnlyContain(p => p!["nps"] == null);
        byDefault["asOf"]!.GetValue<DateTime>().Should().BeAfter(TrendsApp.ThisWeek.AddDays(-1));
        byDefault["pendingItems"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task BucketsAddUpToTheInsightsOfTheSameRangeAndNameThemesAsInsightsDo()
    {
        var journey = await app.Journey();
        var from = Day(TrendsApp.ThisWeek.AddDays(-35));
        var to = Day(TrendsApp.ThisWeek.AddDays(-1)); // a date: the whole Sunday, so the range ends where this week starts
        var trends = await Trends(journey, $"?from={from}&to={to}&themes=20");
        trends["buckets"]!.AsArray().Should().HaveCount(5);
        var insights = await (await journey.Viewer.GetAsync($"/api/maps/{journey.MapId}/insights?from={from}&to={to}&themes=20")).ReadJson(HttpStatusCode.OK);

        foreach (var touchpoint in insights["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray()))
        {
            var name = touchpoint!["name"]!.GetValue<string>();
            var points = Points(trends, name);
            points.Sum(p => p!["items"]!.GetValue<int>()).Should().Be(touchpoint["items"]!.GetValue<int>(), name);
            points.Sum(p => p!["analysed"]!.GetValue<int>()).Should().Be(touchpoint["sentiment"]!["analysed"]!.GetValue<int>(), name);
            points.Sum(p => (int)Math.Round(p!["negativePercent"]!.GetValue<double>() * p["analysed"]!.GetValue<int>() / 100))
                .Should().Be(touchpoint["sentiment"]!["negative"]!.GetValue<int>(), name);

            // Every theme of a week is one of the touchpoint's themes in insights, under the same key and name.
            var named = touchpoint["painPoints"]!.AsArray().ToDictionary(t => t!["key"]!.GetValue<string>(), t => t!["name"]!.GetValue<string>());
            var counted = new Dictionary<string, int>();
            foreach (var theme in points.SelectMany(p => p!["topThemes"]!.AsArray()))
            {
                named.Should().ContainKey(theme!["key"]!.GetValue<string>(), name);
                theme["name"]!.GetValue<string>().Should().Be(named[theme["key"]!.GetValue<string>()]);
                counted[theme["key"]!.GetValue<string>()] = counted.GetValueOrDefault(theme["key"]!.GetValue<string>()) + theme["count"]!.GetValue<int>();
            }
            foreach (var theme in touchpoint["painPoints"]!.AsArray())
                counted.GetValueOrDefault(theme!["key"]!.GetValue<string>()).Should().Be(theme["count"]!.GetValue<int>(), $"{name}: the weeks add up to the theme");
        }
        Points(trends, "Delivery").SelectMany(p => p!["topThemes"]!.AsArray()).Should().NotBeEmpty("the parcel complaints are a pain point");

        var one = await Trends(journey, $"?from={from}&to={to}&themes=1");
        one["touchpoints"]!.AsArray().SelectMany(t => t!["points"]!.AsArray()).Should().OnlyContain(p => p!["topThemes"]!.AsArray().Count <= 1);
    }

    [Fact]
    public async Task ASegmentKeepsOnlyItsItemsAndAnswers()
    {
        var journey = await app.Journey();
        var reviews = await Trends(journey, $"?to={Today}&segment={Uri.EscapeDataString("kind = review")}");
        Items(reviews["map"]!.AsArray()).Should().Equal(Delivery);
        Items(Points(reviews, "Delivery")).Should().Equal(Delivery);
        Items(Points(reviews, "Live chat")).Should().OnlyContain(n => n == 0);
        reviews["map"]!.AsArray().Should().OnlyContain(p => p!["nps"] == null, "survey answers are of kind survey");
        var insights = await (await journey.Viewer.GetAsync($"/api/maps/{journey.MapId}/insights?segment={Uri.EscapeDataString("kind = review")}"))
            .ReadJson(HttpStatusCode.OK);
        reviews["segment"]!.GetValue<string>().Should().Be(insights["segment"]!.GetValue<string>()).And.Contain("review");

        var everyone = await Trends(journey, $"?to={Today}");
        Items(everyone["map"]!.AsArray()).Sum().Should().Be(14).And.BeGreaterThan(Items(reviews["map"]!.AsArray()).Sum());

        var answers = await Trends(journey, $"?to={Today}&segment={Uri.EscapeDataString("kind = survey AND channel = chat")}");
        Items(answers["map"]!.AsArray()).Should().OnlyContain(n => n == 0);
        Points(answers, "Live chat")[11]!["nps"]!["responses"]!.GetValue<int>().Should().Be(3);

        // Insights judge the answers the same way (one shared query and segment mask).
        var surveyInsights = await (await journey.Viewer.GetAsync(
            $"/api/maps/{journey.MapId}/insights?segment={Uri.EscapeDataString("kind = survey AND channel = chat")}")).ReadJson(HttpStatusCode.OK);
        surveyInsights["surveys"]!["nps"]!["responses"]!.GetValue<int>().Should().Be(3);
        insights["surveys"].Should().BeNull("no answer is a review");
        var phoneAnswers = await (await journey.Viewer.GetAsync(
            $"/api/maps/{journey.MapId}/insights?segment={Uri.EscapeDataString("channel = phone")}")).ReadJson(HttpStatusCode.OK);
        phoneAnswers["surveys"].Should().BeNull("the invitations went out by chat");
    }

    [Fact]
    public async Task MonthlyBucketsAreCalendarMonths()
    {
        var journey = await app.Journey();
        var first = new DateTime(TrendsApp.WeeksAgo(5).Year, TrendsApp.WeeksAgo(5).Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var trends = await Trends(journey, $"?interval=MONTH&from={Day(first)}&to={Today}");
        trends["interval"]!.GetValue<string>().Should().Be("month");
        var buckets = trends["buckets"]!.AsArray();
        buckets[0]!["start"]!.GetValue<DateTime>().Should().Be(first);
        buckets.Should().OnlyContain(b => b!["start"]!.GetValue<DateTime>().Day == 1 && b["end"]!.GetValue<DateTime>() == b["start"]!.GetValue<DateTime>().AddMonths(1));
        buckets[^1]!["label"]!.GetValue<string>().Should().Be(DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Items(trends["map"]!.AsArray()).Sum().Should().Be(14);
        Items(Points(trends, "Live chat")).Sum().Should().Be(6);
    }

    [Fact]
    public async Task BadParametersAreRefusedNamingTheParameter()
    {
        var journey = await app.Journey();
        var url = $"/api/maps/{journey.MapId}/trends";
        await (await journey.Viewer.GetAsync($"{url}?interval=day")).ShouldNameField("interval");
        await (await journey.Viewer.GetAsync($"{url}?from=2020-01-01&to=2026-01-01")).ShouldNameField("from");
        (await journey.Viewer.GetAsync($"{url}?interval=month&from=2020-01-01&to=2026-01-01")).StatusCode.Should().Be(HttpStatusCode.OK,
            "72 months are within the limit");
        await (await journey.Viewer.GetAsync($"{url}?themes=21")).ShouldNameField("themes");
        await (await journey.Viewer.GetAsync($"{url}?segment={Uri.EscapeDataString("kind = ")}")).ShouldNameField("segment");
        await (await journey.Viewer.GetAsync($"{url}?from=2026-10-05&to=2026-10-01")).ShouldNameField("to");
    }

    [Fact]
    public async Task AnotherWorkspacesMapIsNotFound()
    {
        var journey = await app.Journey();
        var other = await app.CreateWorkspaceAsync("Other");
        (await other.As("admin").GetAsync($"/api/maps/{journey.MapId}/trends")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await journey.Viewer.GetAsync($"/api/maps/{Guid.NewGuid()}/trends")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheMapViewDrawsAWeeklySparklinePerTouchpointWithItems()
    {
        var journey = await app.Journey();
        var html = await (await journey.Viewer.GetAsync($"/api/maps/{journey.MapId}/view")).Content.ReadAsStringAsync();
        var sparklines = Regex.Matches(html, "<svg class=\"spark\".*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToList();
        sparklines.Select(s => (string)s.Attribute("aria-label")!).Should().SatisfyRespectively(
            live => live.Should().StartWith("Live chat, 12 weeks from").And.Contain("0 to 3 items a week"),
            phone => phone.Should().StartWith("Phone, ").And.Contain("0 to 2 items a week"),
            delivery => delivery.Should().StartWith("Delivery, ").And.Contain("0 to 2 items a week"));
        html.Should().NotContain("<script");

        XNamespace svg = "http://www.w3.org/2000/svg";
        // The view's weeks end with the newest item's (last week): Live chat's counts shifted by one.
        var bars = sparklines[0].Elements(svg + "rect").ToList();
        bars.Should().HaveCount(12);
        var heights = bars.Select(b => double.Parse((string)b.Attribute("height")!, CultureInfo.InvariantCulture)).ToArray();
        int[] expected = [0, .. LiveChat[..11]];
        heights.Should().Equal(expected.Select(n => 30.0 * n / 3), "bars are scaled to the busiest week");
        bars[^1].Element(svg + "title")!.Value.Should().StartWith($"Week of {Day(TrendsApp.ThisWeek.AddDays(-7))}: 1 item");
        bars[^2].Element(svg + "title")!.Value.Should().Be($"Week of {Day(TrendsApp.ThisWeek.AddDays(-14))}: 0 items");
        sparklines[0].Element(svg + "title")!.Value.Should().Be((string)sparklines[0].Attribute("aria-label")!);
        sparklines[0].Elements(svg + "circle").Should().HaveCount(expected.Count(n => n > 0), "a point of the negative share for each week with analysed items");
        sparklines[0].Elements(svg + "polyline").Should().BeEmpty("no two weeks in a row have Live chat items: the line is broken, not invented");
        sparklines[2].Elements(svg + "polyline").Should().ContainSingle("Delivery has items in weeks −3 and −2 in a row");
    }
}
