using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// <c>/compare</c> through HTTP: two periods or two segments, per stage and touchpoint for maps and per score for
/// surveys; the numbers are the insights of each side, compared by the documented tests (hand-computed here).
/// </summary>
public sealed class ComparisonsTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private static Task SetPlansAsync(TestWorkspace workspace, IEnumerable<(string Customer, string Plan)> customers) =>
        CustomerFiles.ImportAsync(workspace.As("researcher"), customers.ToDictionary(c => c.Customer, c => new Dictionary<string, string> { ["plan"] = c.Plan }));

    [Fact]
    public async Task TwoSegmentsOfASurveyAreComparedWithTheNpsDifferenceAndItsInterval()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var survey = await (await author.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "After chat" })).ReadJson(HttpStatusCode.Created);
        // pro: 25 promoters, 10 passives, 5 detractors (NPS 50); free: 10, 10, 20 (NPS −25); team: 3 answers.
        var scores = Enumerable.Repeat(("pro", 10), 25).Concat(Enumerable.Repeat(("pro", 8), 10)).Concat(Enumerable.Repeat(("pro", 3), 5))
            .Concat(Enumerable.Repeat(("free", 9), 10)).Concat(Enumerable.Repeat(("free", 7), 10)).Concat(Enumerable.Repeat(("free", 0), 20))
            .Concat(Enumerable.Repeat(("team", 10), 3)).Select((s, i) => (Customer: $"c{i}", Plan: s.Item1, Score: s.Item2)).ToList();
        await SetPlansAsync(workspace, scores.Select(s => (s.Customer, s.Plan)));
        var invitations = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = scores.Select(s => new { externalRef = "chat-" + s.Customer, customerId = s.Customer }).ToArray(),
        })).ReadJson(HttpStatusCode.Created);
        var client = app.CreateClient();
        foreach (var (invitation, score) in invitations["invitations"]!.AsArray().Zip(scores))
            (await client.PostAsJsonAsync($"/s/{invitation!["token"]}", new { score = score.Score })).StatusCode.Should().Be(HttpStatusCode.Created);

        var compared = await (await author.GetAsync($"/api/surveys/{survey["id"]}/compare?a=plan%3Dpro&b=plan%3Dfree")).ReadJson(HttpStatusCode.OK);
        compared["mode"]!.GetValue<string>().Should().Be("segments");
        (compared["responsesA"]!.GetValue<int>(), compared["responsesB"]!.GetValue<int>()).Should().Be((40, 40));
        var nps = compared["score"]!;
        nps["difference"]!.GetValue<double>().Should().BeApproximately(75, 1e-9);
        // v(pro) = (0.625 + 0.125 − 0.5²)/40 = 0.0125, v(free) = (0.25 + 0.5 − 0.25²)/40 = 0.0171875;
        // half-width = 1.959964 × 100 × √0.0296875 = 33.7706.
        nps["ci95"]!["low"]!.GetValue<double>().Should().BeApproximately(75 - 33.7706, 0.01);
        nps["ci95"]!["high"]!.GetValue<double>().Should().BeApproximately(75 + 33.7706, 0.01);
        (nps["significant"]!.GetValue<bool>(), nps["tooSmall"]!.GetValue<bool>()).Should().Be((true, false));
        compared["a"]!["segment"]!["expression"]!.GetValue<string>().Should().Be("plan = pro");

        var small = await (await author.GetAsync($"/api/surveys/{survey["id"]}/compare?a=plan%3Dpro&b=plan%3Dteam")).ReadJson(HttpStatusCode.OK);
        (small["score"]!["tooSmall"]!.GetValue<bool>(), small["score"]!["significant"]!.GetValue<bool>())
            .Should().Be((true, false), "three answers cannot support a conclusion, however large the difference");

        // Two periods: everything was answered today, so this month has all answers and the previous month none.
        var today = DateTime.UtcNow.Date;
        var month = new DateTime(today.Year, today.Month, 1);
        var periods = await (await author.GetAsync($"/api/surveys/{survey["id"]}/compare?current={month:yyyy-MM-dd}/{today:yyyy-MM-dd}"
            + $"&previous={month.AddMonths(-1):yyyy-MM-dd}/{month.AddDays(-1):yyyy-MM-dd}&segment=plan%3Dpro")).ReadJson(HttpStatusCode.OK);
        (periods["mode"]!.GetValue<string>(), periods["responsesA"]!.GetValue<int>(), periods["responsesB"]!.GetValue<int>()).Should().Be(("periods", 40, 0));
        periods["score"].Should().BeNull("there is nothing to compare with");
    }

    [Theory]
    [InlineData("current=2026-10-01/2026-10-31", "previous")]
    [InlineData("previous=2026-10-01/2026-10-31", "current")]
    [InlineData("current=2026-10-31/2026-10-01&previous=2026-09-01/2026-09-30", "current")]
    [InlineData("current=October&previous=2026-09-01/2026-09-30", "current")]
    [InlineData("a=plan%3Dpro", "b")]
    [InlineData("a=plan%3Dpro&b=plan%3D&period=2026-10-01/2026-10-31", "b")]
    [InlineData("a=plan%3Dpro&b=plan%3Dfree&current=2026-10-01/2026-10-31", "a")]
    [InlineData("current=2026-10-01/2026-10-31&previous=2026-09-01/2026-09-30&segment=plan%20%3D", "segment")]
    public async Task BadComparisonsNameTheParameter(string query, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"));
        await (await workspace.As("viewer").GetAsync($"/api/maps/{map["id"]}/compare?{query}")).ShouldNameField(field);
    }

    [Fact]
    public async Task AMapsPeriodsAreComparedPerStageAndTouchpointAsInsightsCountThem()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"));
        var mapId = map["id"]!.GetValue<string>();
        var log = new StringBuilder("customer_id,occurred_at,text\n");
        string[] complaints = ["The card payment failed at checkout", "Checkout rejected my card", "Payment page froze with my card",
            "My card was charged twice at checkout", "The payment form lost my card details"];
        string[] praise = ["Checkout was quick and the card payment went through", "Paying by card was easy, thanks"];
        for (var i = 0; i < 40; i++)
        {
            // September: mostly complaints; October: mostly praise.
            var inSeptember = i % 4 != 0 ? complaints[i % complaints.Length] : praise[i % praise.Length];
            var inOctober = i % 4 == 0 ? complaints[i % complaints.Length] : praise[i % praise.Length];
            log.Append($"c{i % 10},2026-09-{1 + i % 28:00},\"{inSeptember} (order {i})\"\n");
            log.Append($"c{i % 10},2026-10-{1 + i % 28:00},\"{inOctober} (order {100 + i})\"\n");
        }
        (await ImportRuns.Run(workspace.As("researcher"), "log.csv", log.ToString(), "support-log", new() { ["mapId"] = mapId }))["imported"]!
            .GetValue<int>().Should().Be(80);
        await SetPlansAsync(workspace, Enumerable.Range(0, 10).Select(i => ($"c{i}", i < 5 ? "pro" : "free")));
        for (var attempt = 0; ; attempt++)
        {
            var page = await (await workspace.As("viewer").GetAsync("/api/evidence?pageSize=100")).ReadJson(HttpStatusCode.OK);
            var insights = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK);
            if (insights["pendingMatching"]!.GetValue<int>() == 0 && insights["pendingItems"]!.GetValue<int>() == 0
                && page["items"]!.AsArray().All(i => i!["analysis"]?["analyzedAt"] is JsonValue)) break;
            attempt.Should().BeLessThan(300);
            await Task.Delay(100);
        }

        var query = "current=2026-10-01/2026-10-31&previous=2026-09-01/2026-09-30&segment=plan%3Dpro";
        var compared = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/compare?{query}")).ReadJson(HttpStatusCode.OK);
        var october = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights?from=2026-10-01&to=2026-10-31&segment=plan%3Dpro")).ReadJson(HttpStatusCode.OK);
        var september = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights?from=2026-09-01&to=2026-09-30&segment=plan%3Dpro")).ReadJson(HttpStatusCode.OK);
        compared["a"]!["items"]!.GetValue<int>().Should().Be(october["items"]!.GetValue<int>());
        compared["b"]!["items"]!.GetValue<int>().Should().Be(september["items"]!.GetValue<int>());
        compared["a"]!["items"]!.GetValue<int>().Should().BeGreaterThan(0).And.BeLessThan(40, "only the pro half of the customers");

        // Each touchpoint's negative-share change is the two-proportion comparison of the two periods' insights.
        foreach (var touchpoint in compared["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray()))
        {
            JsonNode? Of(JsonObject insights) => insights["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
                .Single(t => t!["id"]!.GetValue<string>() == touchpoint!["id"]!.GetValue<string>())!["sentiment"];
            var (now, before) = (Of(october)!, Of(september)!);
            var change = touchpoint!["changes"]!["negativeShare"];
            if (now["analysed"]!.GetValue<int>() == 0 || before["analysed"]!.GetValue<int>() == 0) { change.Should().BeNull(); continue; }
            var expected = 100.0 * now["negative"]!.GetValue<int>() / now["analysed"]!.GetValue<int>()
                - 100.0 * before["negative"]!.GetValue<int>() / before["analysed"]!.GetValue<int>();
            change!["difference"]!.GetValue<double>().Should().BeApproximately(expected, 1e-6);
            change["test"]!.GetValue<string>().Should().Be("two-proportion-z");
        }
        var checkout = compared["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray()).Single(t => t!["name"]!.GetValue<string>() == "Checkout")!;
        checkout["changes"]!["negativeShare"]!["difference"]!.GetValue<double>().Should().BeNegative("October is mostly praise");
        compared["themeTest"]!.GetValue<string>().Should().Contain("Holm");

        // Segments over one period: the sides are the two segments' insights.
        var segments = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/compare?a=plan%3Dpro&b=plan%3Dfree&period=2026-09-01/2026-10-31"))
            .ReadJson(HttpStatusCode.OK);
        (segments["mode"]!.GetValue<string>(), segments["a"]!["items"]!.GetValue<int>() + segments["b"]!["items"]!.GetValue<int>())
            .Should().Be(("segments", (await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK))["items"]!.GetValue<int>()));
    }

    /// <summary>The README's "did September's fix help our pro customers?" on the shipped sample files, step by step.</summary>
    [Fact]
    public async Task TheReadmeWalkthroughShowsTheFixHelpedProCustomersOnly()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var map = await SampleMaps.CreateAsync(author, SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        var customers = await ImportRuns.Run(author, "customers.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("customers.csv")), "customers");
        customers["imported"]!.GetValue<int>().Should().Be(120);
        var log = await ImportRuns.Run(author, "support-log-sep-oct.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("support-log-sep-oct.csv")),
            "support-log", new() { ["mapId"] = mapId });
        log["rejected"]!.GetValue<int>().Should().Be(0);
        for (var attempt = 0; ; attempt++)
        {
            var insights = await (await author.GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK);
            var page = await (await author.GetAsync("/api/evidence?pageSize=500")).ReadJson(HttpStatusCode.OK);
            if (insights["pendingMatching"]!.GetValue<int>() == 0 && insights["pendingItems"]!.GetValue<int>() == 0
                && page["items"]!.AsArray().All(i => i!["analysis"]?["analyzedAt"] is JsonValue)) break;
            attempt.Should().BeLessThan(600);
            await Task.Delay(100);
        }
        var pro = await (await author.PostAsJsonAsync("/api/segments", new { name = "Pro customers", expression = "plan = pro" })).ReadJson(HttpStatusCode.Created);

        const string Months = "current=2026-10-01/2026-10-31&previous=2026-09-01/2026-09-30";
        JsonNode Checkout(JsonObject compared) => compared["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .Single(t => t!["name"]!.GetValue<string>() == "Checkout")!;
        var forPro = await (await author.GetAsync($"/api/maps/{mapId}/compare?{Months}&segment={pro["id"]}")).ReadJson(HttpStatusCode.OK);
        var proCheckout = Checkout(forPro)["changes"]!;
        proCheckout["itemsA"]!.GetValue<int>().Should().BeLessThan(proCheckout["itemsB"]!.GetValue<int>() / 3, forPro.ToJsonString());
        forPro["themes"]!.AsArray().Where(t => t!["touchpointName"]!.GetValue<string>() == "Checkout")
            .Should().Contain(t => t!["change"]!["significant"]!.GetValue<bool>() && t["change"]!["current"]!.GetValue<int>() < t["change"]!["previous"]!.GetValue<int>(),
                "the checkout pain point fell significantly after the Holm correction");

        var forFree = await (await author.GetAsync($"/api/maps/{mapId}/compare?{Months}&segment=plan%20%3D%20free")).ReadJson(HttpStatusCode.OK);
        forFree["themes"]!.AsArray().Where(t => t!["touchpointName"]!.GetValue<string>() == "Checkout")
            .Should().NotContain(t => t!["change"]!["significant"]!.GetValue<bool>());

        var side = await (await author.GetAsync($"/api/maps/{mapId}/compare?a={pro["id"]}&b=plan%20%3D%20free&period=2026-10-01/2026-10-31")).ReadJson(HttpStatusCode.OK);
        (side["a"]!["segment"]!["name"]!.GetValue<string>(), side["mode"]!.GetValue<string>()).Should().Be(("Pro customers", "segments"));
        var october = Checkout(side)["changes"]!;
        october["itemsA"]!.GetValue<int>().Should().BeLessThan(october["itemsB"]!.GetValue<int>(), "in October pro customers complain less at checkout than free ones");
    }
}
