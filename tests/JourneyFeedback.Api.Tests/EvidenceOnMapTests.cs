using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// A journey built from a sample import and survey answers: items land on touchpoints (explicitly, by text, or in the
/// inbox), authors teach the matcher, and insights, pain-point themes, suggestions and exports trace back to the rows.
/// </summary>
public sealed class EvidenceOnMapTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private sealed record Journey(TestWorkspace Workspace, string MapId, Dictionary<string, string> Touchpoints, JsonObject Map)
    {
        public HttpClient Author => Workspace.As("author");
        public HttpClient Researcher => Workspace.As("researcher");
    }

    private async Task<Journey> NewJourney()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var touchpoints = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["id"]!.GetValue<string>());
        return new Journey(workspace, map["id"]!.GetValue<string>(), touchpoints, map);
    }

    private static Task<JsonObject> Import(Journey journey, string fileName, string csv, string kind = "support-log") =>
        ImportRuns.Run(journey.Researcher, fileName, csv, kind, new() { ["mapId"] = journey.MapId });

    private static async Task<List<JsonObject>> Evidence(Journey journey, string query = "")
    {
        var page = await (await journey.Author.GetAsync($"/api/evidence?pageSize=500{query}")).ReadJson(HttpStatusCode.OK);
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    private static async Task<JsonObject> Insights(Journey journey, string query = "") =>
        await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights{query}")).ReadJson(HttpStatusCode.OK);

    private static JsonObject Touchpoint(JsonObject insights, string name) =>
        insights["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray()).Single(t => t!["name"]!.GetValue<string>() == name)!.AsObject();

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, string because) where T : class
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException(because);
    }

    [Fact]
    public async Task ImportedRowsAreAttachedByTheirChannelWithReasonAndConfidence()
    {
        var journey = await NewJourney();
        var status = await Import(journey, "support-log.csv", File.ReadAllText(ImportRuns.Sample("support-log.csv")));
        status["imported"]!.GetValue<int>().Should().Be(11, "one row of the sample has no text");

        var items = (await Evidence(journey)).ToDictionary(i => i["externalId"]!.GetValue<string>());
        foreach (var item in items.Values.Where(i => i["channel"]!.GetValue<string>() == "chat"))
        {
            item["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Live chat"]);
            item["matchReason"]!.GetValue<string>().Should().Be("channel");
            item["matchConfidence"]!.GetValue<double>().Should().Be(0.95);
        }
        items["ZD-10233"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Phone"]);
        // Two touchpoints have the e-mail channel; the text decides between them, and the reason stays "channel".
        items["ZD-10232"]["touchpointId"]!.GetValue<string>().Should().BeOneOf(journey.Touchpoints["Order e-mail"], journey.Touchpoints["Review request"]);
        items["ZD-10232"]["matchReason"]!.GetValue<string>().Should().Be("channel");
        items["ZD-10232"]["matchConfidence"]!.GetValue<double>().Should().BeInRange(0.5, 0.95);
    }

    [Fact]
    public async Task TextMatchesDoubtfulItemsWaitInTheInboxAndAReassignmentTeachesTheMatcher()
    {
        var journey = await NewJourney();
        await Import(journey, "reviews.csv", """
            id,text
            r1,"My parcel never arrived, the courier tracking has been stuck for a week"
            r2,"The checkout rejected my card payment twice and the promo code did not work"
            r3,meh
            r4,"the glorbix widget zapped"
            """, "review");
        var items = (await Evidence(journey)).ToDictionary(i => i["externalId"]!.GetValue<string>());
        items["r1"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Delivery"]);
        items["r1"]["matchReason"]!.GetValue<string>().Should().Be("text");
        items["r2"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Checkout"]);
        items["r3"]["touchpointId"].Should().BeNull("a text with nothing to go on is not guessed onto a touchpoint");
        items["r4"]["touchpointId"].Should().BeNull();

        var inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        inbox["total"]!.GetValue<int>().Should().Be(2);
        inbox["items"]!.AsArray().Select(i => i!["item"]!["externalId"]!.GetValue<string>()).Should().BeEquivalentTo("r3", "r4");
        (await Insights(journey))["unassigned"]!.GetValue<int>().Should().Be(2);

        // The author files the unknown product problem under Returns; the next such text follows the lesson.
        var reassigned = await (await journey.Author.PatchAsJsonAsync($"/api/evidence/{items["r4"]["id"]}",
            new { touchpointId = journey.Touchpoints["Returns"] })).ReadJson(HttpStatusCode.OK);
        reassigned["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Returns"]);
        reassigned["matchReason"]!.GetValue<string>().Should().Be("manual");
        reassigned["matchConfidence"]!.GetValue<double>().Should().Be(1);

        await Import(journey, "reviews-2.csv", "id,text\nr5,\"glorbix widget zapped again\"\n", "review");
        var learned = (await Evidence(journey)).Single(i => i["externalId"]!.GetValue<string>() == "r5");
        learned["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Returns"]);
        learned["matchReason"]!.GetValue<string>().Should().Be("text");

        inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        inbox["items"]!.AsArray().Select(i => i!["item"]!["externalId"]!.GetValue<string>()).Should().NotContain("r4");
    }

    [Fact]
    public async Task ReassigningToAnotherMapsTouchpointIsRejectedNamingTheField()
    {
        var journey = await NewJourney();
        var other = await SampleMaps.CreateAsync(journey.Author, SampleMaps.Small());
        await Import(journey, "one.csv", "id,text\n1,\"parcel late again\"\n");
        var item = (await Evidence(journey))[0];
        var foreignTouchpoint = other["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();

        await (await journey.Author.PatchAsJsonAsync($"/api/evidence/{item["id"]}", new { touchpointId = foreignTouchpoint })).ShouldNameField("touchpointId");
        await (await journey.Author.PatchAsJsonAsync($"/api/evidence/{item["id"]}", new { touchpointId = Guid.NewGuid() })).ShouldNameField("touchpointId");
        (await Evidence(journey))[0]["touchpointId"]!.GetValue<string>().Should().Be(item["touchpointId"]!.GetValue<string>(), "nothing changed");
        (await journey.Workspace.As("researcher").PatchAsJsonAsync($"/api/evidence/{item["id"]}",
            new { touchpointId = journey.Touchpoints["Returns"] })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SurveyAnswersAttachToTheSurveysTouchpointAndInsightsCarryTheirNpsWithItsMargin()
    {
        var journey = await NewJourney();
        var survey = await (await journey.Author.PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "Post-chat", mapId = journey.MapId, touchpointId = journey.Touchpoints["Live chat"],
        })).ReadJson(HttpStatusCode.Created);
        int[] scores = [10, 10, 9, 9, 9, 8, 7, 6, 5, 3, 0, 10];
        var tokens = await Invite(journey, survey["id"]!.GetValue<string>(), scores.Length, "chat");
        for (var i = 0; i < scores.Length; i++)
            (await Answer(tokens[i], scores[i], i < 3 ? $"Answer {i}: the chat advisor was quick" : null)).StatusCode.Should().Be(HttpStatusCode.Created);

        var items = await Evidence(journey, "&kind=survey");
        items.Should().HaveCount(3);
        items.Should().OnlyContain(i => i["touchpointId"]!.GetValue<string>() == journey.Touchpoints["Live chat"] && i["matchReason"]!.GetValue<string>() == "survey");

        // NPS by hand: 6 promoters, 2 passives, 4 detractors of 12.
        double p = 6 / 12.0, d = 4 / 12.0;
        var expectedScore = 100 * (p - d);
        var expectedMargin = 100 * 1.959963984540054 * Math.Sqrt((p + d - (p - d) * (p - d)) / 12);
        var nps = Touchpoint(await Insights(journey), "Live chat")["surveys"]!["nps"]!;
        nps["responses"]!.GetValue<int>().Should().Be(12);
        nps["score"]!.GetValue<double>().Should().BeApproximately(expectedScore, 0.01);
        nps["marginOfError"]!.GetValue<double>().Should().BeApproximately(expectedMargin, 0.01);
        nps["lowSample"]!.GetValue<bool>().Should().BeTrue();
        (await Insights(journey))["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Consideration")!["surveys"]!["nps"]!["score"]!
            .GetValue<double>().Should().BeApproximately(expectedScore, 0.01, "a stage's NPS pools its touchpoints' answers");
    }

    [Fact]
    public async Task SurveyScoresCountEachStoredAnswerOnceInEveryWindowAndSegment()
    {
        var journey = await NewJourney();
        var survey = await (await journey.Author.PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "Post-chat counts", mapId = journey.MapId, touchpointId = journey.Touchpoints["Live chat"],
        })).ReadJson(HttpStatusCode.Created);
        var surveyId = survey["id"]!.GetValue<string>();
        int[] scores = [10, 9, 9, 7, 3, 0, 10];
        var tokens = await Invite(journey, surveyId, scores.Length, "chat");
        var before = DateTime.UtcNow;
        for (var i = 0; i < scores.Length; i++)
            (await Answer(tokens[i], scores[i], i == 0 ? "The advisor solved it in minutes" : null)).StatusCode.Should().Be(HttpStatusCode.Created);
        var after = DateTime.UtcNow;
        (await Answer(tokens[0], 0, null)).StatusCode.Should().Be(HttpStatusCode.Conflict, "a link is used once, and the refused answer counts nowhere");

        async Task<int> Responses(string query) =>
            (await Insights(journey, query))["surveys"]?["nps"]?["responses"]?.GetValue<int>() ?? 0;
        string At(DateTime t) => Uri.EscapeDataString(t.ToString("O"));
        var today = before.Date;

        (await Responses("")).Should().Be(7);
        (await Responses($"?from={today:yyyy-MM-dd}")).Should().Be(7, "whole days come from the daily counts");
        (await Responses($"?to={after.Date:yyyy-MM-dd}")).Should().Be(7, "a date in `to` includes that day");
        (await Responses($"?from={At(before.AddSeconds(-1))}")).Should().Be(7, "a window starting inside a day reads that day's answers");
        (await Responses($"?to={At(after.AddSeconds(1))}")).Should().Be(7, "and one ending inside a day");
        (await Responses($"?from={At(before.AddSeconds(-1))}&to={At(after.AddSeconds(1))}")).Should().Be(7);
        (await Responses($"?from={At(after.AddSeconds(1))}")).Should().Be(0);
        (await Responses($"?to={At(before.AddSeconds(-1))}")).Should().Be(0);
        (await Responses($"?from={today.AddDays(-3):yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}")).Should().Be(0);

        // A segment on item fields judges every answer alike (kind survey); one on the invitation reads the answers.
        (await Responses("?segment=" + Uri.EscapeDataString("kind = survey"))).Should().Be(7);
        (await Responses("?segment=" + Uri.EscapeDataString("kind = review"))).Should().Be(0);
        (await Responses("?segment=" + Uri.EscapeDataString("channel = chat"))).Should().Be(7);
        (await Responses("?segment=" + Uri.EscapeDataString("channel = email"))).Should().Be(0);

        var counted = await app.WithDb(db => db.SurveyScoreDays.Where(c => c.SurveyId == Guid.Parse(surveyId)).SumAsync(c => c.Count));
        counted.Should().Be(7, "the writer counts in the answers' own transaction");
    }

    [Fact]
    public async Task CommentsOfASurveyTiedOnlyToTheMapAreMatchedByTheWorker()
    {
        var journey = await NewJourney();
        var survey = await (await journey.Author.PostAsJsonAsync("/api/surveys", new { type = "csat", name = "After contact", mapId = journey.MapId }))
            .ReadJson(HttpStatusCode.Created);
        var tokens = await Invite(journey, survey["id"]!.GetValue<string>(), 1, "phone");
        (await Answer(tokens[0], 2, "Nobody picked up for twenty minutes")).StatusCode.Should().Be(HttpStatusCode.Created);

        var item = await Eventually(async () => (await Evidence(journey, "&kind=survey")).FirstOrDefault(i => i["touchpointId"] is not null),
            "the matching worker attaches the comment");
        item["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Phone"]);
        item["matchReason"]!.GetValue<string>().Should().Be("channel");
    }

    [Fact]
    public async Task PainPointsAreGroupedPerTouchpointRankedAndQuotedWithTheirFileLine()
    {
        var journey = await NewJourney();
        var recent = DateTime.UtcNow.Date.AddDays(-3);
        var old = DateTime.UtcNow.Date.AddDays(-45);
        var csv = new StringBuilder("id,date,text\n");
        var n = 0;
        void Row(DateTime date, string text) => csv.Append(FormattableString.Invariant($"d{++n},{date:yyyy-MM-dd},\"{text}\"\n"));
        Row(recent, "My parcel never arrived and the courier says it was delivered. Terrible.");
        Row(recent, "Parcel never arrived, tracking stuck at the depot for a week, awful service");
        Row(recent, "The courier lost my parcel. Parcel never arrived, no refund offered, furious");
        Row(recent.AddDays(-1), "Delivery was late again, the parcel never arrived on the promised day, really annoying");
        Row(old, "Parcel never arrived and the courier left no card, so frustrating");
        Row(recent, "Payment declined at checkout twice even though my card is fine. Terrible checkout.");
        Row(recent, "Checkout keeps failing, payment declined again, so annoying");
        Row(recent, "Delivery was quick and the parcel arrived early, lovely");
        await Import(journey, "delivery-complaints.csv", csv.ToString(), "complaint-log");
        var evidence = await Evidence(journey);

        var insights = await Insights(journey);
        var delivery = Touchpoint(insights, "Delivery");
        var themes = delivery["painPoints"]!.AsArray();
        themes.Should().NotBeEmpty();
        var top = themes[0]!;

        // Grouping is checked against what the models said about each item (not against assumed model output).
        var expected = evidence.Where(i => i["touchpointId"]?.GetValue<string>() == journey.Touchpoints["Delivery"]
                && i["analysis"]!["sentiment"]!.GetValue<string>() == "negative" && !i["analysis"]!["lowConfidence"]!.GetValue<bool>()
                && i["analysis"]!["painPoint"]!.GetValue<string>() == top["category"]!.GetValue<string>())
            .ToList();
        top["count"]!.GetValue<int>().Should().Be(expected.Count).And.BeGreaterThanOrEqualTo(3);
        top["category"]!.GetValue<string>().Should().Be("delivery-shipping");
        top["name"]!.GetValue<string>().Should().Contain("parcel", "the theme is named after its most frequent key phrase");
        top["sharePercent"]!.GetValue<double>().Should().BeApproximately(100.0 * expected.Count / delivery["items"]!.GetValue<int>(), 0.01);
        top["meanNegativity"]!.GetValue<double>().Should().BeApproximately(
            expected.Average(i => i["analysis"]!["sentimentScores"]!["negative"]!.GetValue<double>()), 0.001);
        top["firstSeen"]!.GetValue<DateTime>().Should().Be(expected.Min(i => i["occurredAt"]!.GetValue<DateTime>()));
        top["change"]!["recent"]!.GetValue<int>().Should().Be(expected.Count(i => i["occurredAt"]!.GetValue<DateTime>() >= DateTime.UtcNow.Date.AddDays(-29)));
        top["severity"]!.GetValue<double>().Should().BeGreaterThan(0);

        // Ranked: the map's top pain point is the biggest theme; quotes are 3–5 distinct items that trace back to their line.
        insights["topPainPoints"]![0]!["key"]!.GetValue<string>().Should().Be(top["key"]!.GetValue<string>());
        var quotes = top["quotes"]!.AsArray();
        quotes.Count.Should().BeInRange(3, 5);
        var lines = csv.ToString().Split('\n');
        foreach (var quote in quotes)
        {
            quote!["origin"]!["fileName"]!.GetValue<string>().Should().Be("delivery-complaints.csv");
            var line = quote["origin"]!["lineNumber"]!.GetValue<int>();
            lines[line - 1].Should().Contain(quote["text"]!.GetValue<string>(), "the quote's line number is the physical line of its row");
            expected.Select(i => i["id"]!.GetValue<string>()).Should().Contain(quote["evidenceId"]!.GetValue<string>());
        }
        var checkout = Touchpoint(insights, "Checkout")["painPoints"]!.AsArray();
        if (checkout.Count > 0) checkout[0]!["severity"]!.GetValue<double>().Should().BeLessThan(top["severity"]!.GetValue<double>());
    }

    [Fact]
    public async Task TheEmotionCurveIsTheMeanValencePerStageWithAStudentTInterval()
    {
        var journey = await NewJourney();
        var texts = new[]
        {
            "The parcel arrived early and well packed, great delivery", "Courier was rude and the parcel came late",
            "Delivery was fine, nothing special", "Parcel lost by the courier, awful", "Tracking worked well and delivery was on time",
        };
        await Import(journey, "delivery.csv", "id,text\n" + string.Concat(texts.Select((t, i) => $"v{i},\"{t}\"\n")), "review");
        var delivery = (await Evidence(journey)).Where(i => i["touchpointId"]?.GetValue<string>() == journey.Touchpoints["Delivery"]).ToList();
        var valences = delivery.Select(i => i["analysis"]!["sentimentScores"]!)
            .Select(s => s["positive"]!.GetValue<double>() - s["negative"]!.GetValue<double>()).ToList();
        valences.Should().HaveCount(5);

        var mean = valences.Average();
        var sd = Math.Sqrt(valences.Sum(v => (v - mean) * (v - mean)) / (valences.Count - 1));
        var half = 2.776 * sd / Math.Sqrt(valences.Count); // t(0.975, 4 df)
        var purchase = (await Insights(journey))["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Purchase")!;
        var score = purchase["emotionScore"]!;
        score["items"]!.GetValue<int>().Should().Be(5);
        score["mean"]!.GetValue<double>().Should().BeApproximately(mean, 0.0001);
        score["ci95"]!["low"]!.GetValue<double>().Should().BeApproximately(Math.Max(-1, mean - half), 0.0001);
        score["ci95"]!["high"]!.GetValue<double>().Should().BeApproximately(Math.Min(1, mean + half), 0.0001);
        (await Insights(journey))["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Awareness")!["emotionScore"]
            .Should().BeNull("a stage without evidence has no score rather than a made-up one");
    }

    [Fact]
    public async Task TouchpointEvidencePagesWithFiltersAndRejectsBadOnes()
    {
        var journey = await NewJourney();
        var csv = new StringBuilder("id,date,source,text\n");
        for (var i = 0; i < 12; i++)
            csv.Append(FormattableString.Invariant($"p{i},2026-10-{i + 1:00},{(i % 2 == 0 ? "Panel A" : "Panel B")},\"{(i % 3 == 0 ? "The courier was lovely and the parcel arrived early" : "Parcel late again, courier lost it, awful")}\"\n"));
        await Import(journey, "paging.csv", csv.ToString(), "review");
        var url = $"/api/maps/{journey.MapId}/touchpoints/{journey.Touchpoints["Delivery"]}/evidence";

        var all = await (await journey.Author.GetAsync($"{url}?pageSize=5")).ReadJson(HttpStatusCode.OK);
        var total = all["total"]!.GetValue<int>();
        total.Should().BeGreaterThan(5);
        var dates = all["items"]!.AsArray().Select(i => i!["occurredAt"]!.GetValue<DateTime>()).ToList();
        dates.Should().BeInDescendingOrder().And.HaveCount(5);
        var page2 = await (await journey.Author.GetAsync($"{url}?pageSize=5&page=2")).ReadJson(HttpStatusCode.OK);
        page2["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())
            .Should().NotIntersectWith(all["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        var negative = await (await journey.Author.GetAsync($"{url}?sentiment=negative&pageSize=100")).ReadJson(HttpStatusCode.OK);
        negative["items"]!.AsArray().Should().OnlyContain(i => i!["analysis"]!["sentiment"]!.GetValue<string>() == "negative");
        var trustpilot = await (await journey.Author.GetAsync($"{url}?source=panel a&from=2026-10-03&to=2026-10-08")).ReadJson(HttpStatusCode.OK);
        trustpilot["items"]!.AsArray().Select(i => i!["externalId"]!.GetValue<string>()).Should().BeSubsetOf(["p2", "p4", "p6"]);
        trustpilot["items"]!.AsArray().Should().OnlyContain(i => i!["source"]!.GetValue<string>() == "Panel A");

        await (await journey.Author.GetAsync($"{url}?emotion=rage")).ShouldNameField("emotion");
        await (await journey.Author.GetAsync($"{url}?painPoint=nope")).ShouldNameField("painPoint");
        await (await journey.Author.GetAsync($"{url}?pageSize=0")).ShouldNameField("pageSize");
        (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/touchpoints/{Guid.NewGuid()}/evidence")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights?segment=colour%20IN%20red")).ShouldNameField("segment");
        await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights?from=2026-10-05&to=2026-10-01")).ShouldNameField("to");

        var reviews = await Insights(journey, "?segment=source:panel b");
        reviews["items"]!.GetValue<int>().Should().Be(6);
    }

    [Fact]
    public async Task SuggestedLaneEntriesAreAcceptedIntoTheStageAndKeepTheirEvidenceCount()
    {
        var journey = await NewJourney();
        var csv = new StringBuilder("id,text\n");
        for (var i = 0; i < 6; i++) csv.Append($"s{i},\"Parcel never arrived, the courier lost it again. Awful. ({i})\"\n");
        csv.Append("q1,\"Where is my parcel? The tracking page shows nothing.\"\nq2,\"Where is my parcel? Nobody answers.\"\n");
        await Import(journey, "suggest.csv", csv.ToString(), "complaint-log");

        var proposed = (await (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/suggestions", null)).ReadJsonArray(HttpStatusCode.OK));
        var pain = proposed.First(s => s!["lane"]!.GetValue<string>() == "painPoints" && s["stageName"]!.GetValue<string>() == "Purchase")!;
        pain["text"]!.GetValue<string>().Should().StartWith("Delivery: ");
        pain["evidenceCount"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(3);
        proposed.Should().Contain(s => s!["lane"]!.GetValue<string>() == "questions" && s["text"]!.GetValue<string>().Contains("Where is my parcel?"));

        var accepted = await (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/suggestions/{pain["id"]}/accept", null)).ReadJson(HttpStatusCode.OK);
        accepted["status"]!.GetValue<string>().Should().Be("accepted");
        var map = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}")).ReadJson(HttpStatusCode.OK);
        map["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Purchase")!["lanes"]!["painPoints"]!.AsArray()
            .Select(e => e!.GetValue<string>()).Should().Contain(pain["text"]!.GetValue<string>());
        (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/suggestions/{pain["id"]}/accept", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        // More evidence later: the accepted entry shows its current count.
        await Import(journey, "suggest-2.csv", "id,text\ns9,\"Parcel never arrived, courier lost it, terrible\"\n", "complaint-log");
        var listed = (await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/suggestions?status=accepted")).ReadJsonArray(HttpStatusCode.OK));
        listed.Single()!["currentEvidenceCount"]!.GetValue<int>().Should().Be(pain["evidenceCount"]!.GetValue<int>() + 1);
        var markdown = await journey.Author.GetStringAsync($"/api/maps/{journey.MapId}/export?format=markdown");
        markdown.Should().Contain($"backed by {pain["evidenceCount"]!.GetValue<int>() + 1} items");

        var again = (await (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/suggestions", null)).ReadJsonArray(HttpStatusCode.OK));
        again.Should().NotContain(s => s!["text"]!.GetValue<string>() == pain["text"]!.GetValue<string>(), "an accepted entry is not proposed again");
    }

    [Fact]
    public async Task ExportsCarryTheEvidenceAsJsonExcelSafeCsvAndMarkdown()
    {
        var journey = await NewJourney();
        await Import(journey, "export.csv", "id,text\ne1,\"=HYPERLINK(\"\"http://x\"\") parcel never arrived, courier lost it\"\ne2,\"Checkout payment declined twice\"\n", "complaint-log");

        var json = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/export?format=json")).ReadJson(HttpStatusCode.OK);
        json["name"]!.GetValue<string>().Should().Be(journey.Map["name"]!.GetValue<string>());
        json["evidence"]!["insights"]!["items"]!.GetValue<int>().Should().Be(2);

        var csvResponse = await journey.Author.GetAsync($"/api/maps/{journey.MapId}/export?format=csv");
        csvResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        csvResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var csv = await csvResponse.Content.ReadAsStringAsync();
        var rows = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].Should().StartWith("stage,touchpoint,match_reason,match_confidence,evidence_id");
        rows.Should().HaveCount(3);
        csv.Should().Contain("\"'=HYPERLINK(", "a cell that starts with = is neutralised for spreadsheets");
        rows.Should().Contain(r => r.StartsWith("Purchase,Delivery,text,", StringComparison.Ordinal));
        rows.Skip(1).Should().OnlyContain(r => r.Contains(",export.csv,", StringComparison.Ordinal), "every row names the file it came from");

        var markdown = await journey.Author.GetStringAsync($"/api/maps/{journey.MapId}/export?format=markdown");
        markdown.Should().StartWith($"# {journey.Map["name"]!.GetValue<string>()}");
        markdown.Should().Contain("## Purchase").And.Contain("| Delivery |");
        await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/export?format=pdf")).ShouldNameField("format");
    }

    [Fact]
    public async Task TheMapViewIsOneSelfContainedHtmlPage()
    {
        var journey = await NewJourney();
        await Import(journey, "view.csv", "id,text\nw1,\"Parcel never arrived, the courier lost it <script>alert(1)</script>\"\nw2,\"Lovely quick delivery\"\n", "review");
        var response = await journey.Workspace.As("viewer").GetAsync($"/api/maps/{journey.MapId}/view");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("<svg").And.Contain("Purchase").And.Contain("Delivery");
        html.Should().NotContain("<script", "customer text is encoded and the page needs no scripts");
        html.Should().NotContainAny("src=\"http", "href=\"http", "@import");
    }

    /// <summary>A rematch of a big map queues every guess, in chunks of 5,000 (each a short transaction holding the map).</summary>
    [Fact]
    public async Task RematchQueuesEveryGuessOfABigMapChunkByChunk()
    {
        var journey = await NewJourney();
        const int Rows = 5_000 + 700;
        await Import(journey, "big.csv", "id,text\n" + string.Concat(Enumerable.Range(0, Rows).Select(i => $"b{i},\"The parcel {i} arrived late and the box was damaged\"\n")), "review");
        var guesses = await app.WithDb(db => db.FeedbackItems.CountAsync(f => f.MapId == Guid.Parse(journey.MapId) && f.MatchReason != "manual" && f.MatchReason != "survey"));
        guesses.Should().Be(Rows, "the premise: every row is a guess");

        var rematch = await (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/rematch", null)).ReadJson(HttpStatusCode.Accepted);
        rematch["queued"]!.GetValue<int>().Should().Be(Rows, "every guess is queued, not only the first chunk");
        await Eventually(async () => (await Insights(journey))["pendingMatching"]!.GetValue<int>() == 0 ? "" : null, "the worker matches them all");
    }

    [Fact]
    public async Task RematchMovesItemsAfterTheMapChangedButKeepsManualAssignments()
    {
        var journey = await NewJourney();
        await Import(journey, "sizes.csv", """
            id,text
            z1,"Which shoe size should I take, I am between half sizes and the fit runs small"
            z2,"The parcel never arrived"
            """, "review");
        var before = (await Evidence(journey)).ToDictionary(i => i["externalId"]!.GetValue<string>());
        var z2Touchpoint = before["z2"]["touchpointId"]!.GetValue<string>();
        (await journey.Author.PatchAsJsonAsync($"/api/evidence/{before["z2"]["id"]}", new { touchpointId = journey.Touchpoints["Help desk"] }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var stage = journey.Map["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Consideration")!["id"]!.GetValue<string>();
        var added = await (await journey.Author.PostAsJsonAsync($"/api/maps/{journey.MapId}/stages/{stage}/touchpoints", new
        {
            name = "Size advice", channel = "web", description = "Choosing the right shoe size and fit", keywords = new[] { "size", "fit", "half size" },
        })).ReadJson(HttpStatusCode.Created);

        var rematch = await (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/rematch", null)).ReadJson(HttpStatusCode.Accepted);
        rematch["queued"]!.GetValue<int>().Should().Be(1, "the manual assignment is not queued");
        var moved = await Eventually(async () => (await Evidence(journey)).FirstOrDefault(i =>
            i["externalId"]!.GetValue<string>() == "z1" && i["touchpointId"]?.GetValue<string>() == added["id"]!.GetValue<string>()), "z1 moves to Size advice");
        moved["matchReason"]!.GetValue<string>().Should().Be("text");
        (await Evidence(journey)).Single(i => i["externalId"]!.GetValue<string>() == "z2")["touchpointId"]!.GetValue<string>()
            .Should().Be(journey.Touchpoints["Help desk"]).And.NotBe(z2Touchpoint);
    }

    [Fact]
    public async Task ItemsOfADeletedTouchpointAreMatchedAgainAndADeletedMapReleasesItsItems()
    {
        var journey = await NewJourney();
        await Import(journey, "gone.csv", "id,text\ng1,\"The courier lost my parcel and the tracking never updated\"\n", "review");
        (await Evidence(journey))[0]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Delivery"]);

        (await journey.Author.DeleteAsync($"/api/maps/{journey.MapId}/touchpoints/{journey.Touchpoints["Delivery"]}")).StatusCode
            .Should().Be(HttpStatusCode.NoContent);
        // Matched again: onto another touchpoint, or into the inbox when none fits.
        await Eventually(async () =>
        {
            var item = (await Evidence(journey))[0];
            var inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
            return item["touchpointId"]?.GetValue<string>() is { } t && t != journey.Touchpoints["Delivery"] || inbox["total"]!.GetValue<int>() == 1
                ? item : null;
        }, "the item is matched again");
        var insights = await Insights(journey);
        insights["items"]!.GetValue<int>().Should().Be(1);
        insights["pendingMatching"]!.GetValue<int>().Should().Be(0);

        (await journey.Author.DeleteAsync($"/api/maps/{journey.MapId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var released = (await Evidence(journey))[0];
        released["mapId"].Should().BeNull("the feedback stays, off the deleted map");
        released["touchpointId"].Should().BeNull();
    }

    private async Task<List<string>> Invite(Journey journey, string surveyId, int count, string channel)
    {
        var recipients = Enumerable.Range(0, count).Select(i => new { externalRef = $"chat-{i}", customerId = $"c-{i}", channel }).ToArray();
        var response = await journey.Workspace.As("agent").PostAsJsonAsync($"/api/surveys/{surveyId}/invitations", new { recipients });
        return (await response.ReadJson(HttpStatusCode.Created))["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
    }

    private Task<HttpResponseMessage> Answer(string token, int score, string? comment) =>
        app.CreateClient().PostAsync($"/s/{token}", new StringContent(
            System.Text.Json.JsonSerializer.Serialize(new { score, comment }), Encoding.UTF8, "application/json"));
}
