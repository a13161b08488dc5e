using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// Observed journeys through the HTTP pipeline: analytics events imported as their own kind, placed by a map's event
/// rules (and placed again when the rules change), and customer timelines that mix events, tickets and survey answers.
/// </summary>
public sealed class JourneysTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    // Small map: Consideration [Website], Purchase [Checkout, Live chat].
    private const string Events = """
        event_id,user_id,event_name,page_url,timestamp,session_id,search_query
        e1,u1,page_view,https://shop.example/products/42?ref=x,2026-10-01T10:00:00Z,s1,
        e2,u1,page_view,https://shop.example/cart,2026-10-01T10:05:00Z,s1,
        e3,u1,checkout_started,https://shop.example/checkout,2026-10-01T10:06:00Z,s1,
        e4,u2,page_view,/products/7,2026-10-02T09:00:00Z,s2,mail me at ana.nowak@example.com
        e5,u2,app_heartbeat,,2026-10-02T09:01:00Z,s2,
        e6,,page_view,/products/1,2026-10-02T09:02:00Z,s3,
        e7,u3,page_view,/careers,not-a-date,s4,
        e1,u1,page_view,https://shop.example/products/42?ref=x,2026-10-01T10:00:00Z,s1,
        """;

    private static readonly object[] Rules =
    [
        new { touchpoint = "Checkout", eventName = "checkout_started" },
        new { touchpoint = "checkout", urlPath = "/cart" },
        new { touchpoint = "Website", urlPath = "/products/*" },
    ];

    private sealed record Setup(TestWorkspace Workspace, string MapId, Dictionary<string, string> Touchpoints)
    {
        public HttpClient Author => Workspace.As("author");
        public HttpClient Researcher => Workspace.As("researcher");
    }

    private async Task<Setup> NewMap()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small());
        var touchpoints = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["id"]!.GetValue<string>());
        return new Setup(workspace, map["id"]!.GetValue<string>(), touchpoints);
    }

    private static Task<JsonObject> ImportEvents(Setup setup, string csv = Events) =>
        ImportRuns.Run(setup.Researcher, "events.csv", csv, "events", new() { ["mapId"] = setup.MapId });

    private static async Task<JsonObject> PutRules(Setup setup, object[] rules, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await setup.Author.PutAsJsonAsync($"/api/maps/{setup.MapId}/event-rules", new { rules })).ReadJson(expected);

    private static async Task<JsonObject> Timeline(Setup setup, string customer, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await setup.Author.GetAsync($"/api/maps/{setup.MapId}/customers/{customer}/timeline")).ReadJson(expected);

    private static List<string> StepNames(JsonObject timeline) =>
        timeline["steps"]!.AsArray().Select(s => s!["touchpoint"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task AnEventsImportStoresEventsOnceAndNamesTheLineAndColumnOfEveryRejectedRow()
    {
        var setup = await NewMap();
        var status = await ImportEvents(setup);
        status["status"]!.GetValue<string>().Should().Be("succeeded");
        status["kind"]!.GetValue<string>().Should().Be("events");
        status["imported"]!.GetValue<int>().Should().Be(5);
        status["skippedDuplicates"]!.GetValue<int>().Should().Be(1, "e1 appears twice");
        status["rejected"]!.GetValue<int>().Should().Be(2);
        var rejected = status["firstRejectedRows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        rejected.Should().ContainSingle(r => r["line"]!.GetValue<int>() == 7 && r["column"]!.GetValue<string>() == "user_id");
        rejected.Should().ContainSingle(r => r["line"]!.GetValue<int>() == 8 && r["column"]!.GetValue<string>() == "timestamp");
        status["mapping"]!["customerId"]!.GetValue<string>().Should().Be("user_id");
        status["mapping"]!["event"]!.GetValue<string>().Should().Be("event_name");
        status["mapping"]!["url"]!.GetValue<string>().Should().Be("page_url");

        var again = await ImportEvents(setup);
        again["imported"]!.GetValue<int>().Should().Be(0);
        again["skippedDuplicates"]!.GetValue<int>().Should().Be(6);

        // Events carry no text: they never reach the evidence list or the insights.
        var evidence = await (await setup.Author.GetAsync("/api/evidence?pageSize=50")).ReadJson(HttpStatusCode.OK);
        evidence["items"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task ADryRunShowsEventsWithTheirPathAndRedactedProperties()
    {
        var setup = await NewMap();
        var response = await ImportRuns.Upload(setup.Researcher, "events.csv", Events, "events", new() { ["dryRun"] = "true" });
        var preview = await response.ReadJson(HttpStatusCode.OK);
        var events = preview["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        events.Should().HaveCount(6);
        events[0]["path"]!.GetValue<string>().Should().Be("/products/42");
        events[0]["event"]!.GetValue<string>().Should().Be("page_view");
        var properties = events.Single(e => e["customerId"]!.GetValue<string>() == "u2" && e["event"]!.GetValue<string>() == "page_view")["properties"]!.GetValue<string>();
        properties.Should().Contain("search_query").And.NotContain("ana.nowak@example.com");
        preview["rejected"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task AFileWithoutACustomerColumnIsRefusedNamingWhatIsMissing()
    {
        var setup = await NewMap();
        var response = await ImportRuns.Upload(setup.Researcher, "events.csv", "event_name,timestamp\npage_view,2026-10-01T10:00:00Z\n", "events");
        var problem = await response.ReadJson(HttpStatusCode.UnprocessableEntity);
        problem.ToJsonString().Should().Contain("customer id");
    }

    [Fact]
    public async Task RulesPlaceEventsFirstMatchWinsAndReportWhatNoRulePlaces()
    {
        var setup = await NewMap();
        await ImportEvents(setup);
        var rules = await PutRules(setup, Rules);
        rules["totalEvents"]!.GetValue<int>().Should().Be(5);
        rules["placedEvents"]!.GetValue<int>().Should().Be(4);
        rules["unmappedEvents"]!.GetValue<int>().Should().Be(1);
        rules["topUnmapped"]!.AsArray().Single()!["event"]!.GetValue<string>().Should().Be("app_heartbeat");
        rules["rules"]!.AsArray().Select(r => r!["matchedEvents"]!.GetValue<int>()).Should().Equal(1, 1, 2);
        rules["rules"]!.AsArray()[1]!["touchpointId"]!.GetValue<string>().Should().Be(setup.Touchpoints["Checkout"], "names resolve case-insensitively");

        var read = await (await setup.Author.GetAsync($"/api/maps/{setup.MapId}/event-rules")).ReadJson(HttpStatusCode.OK);
        read["rules"]!.AsArray().Should().HaveCount(3);
        read["version"]!.GetValue<long>().Should().Be(rules["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task EditingTheRulesPlacesStoredEventsAgain()
    {
        var setup = await NewMap();
        await ImportEvents(setup);
        await PutRules(setup, Rules);
        StepNames(await Timeline(setup, "u1")).Should().Equal("Website", "Checkout");

        // Without the /cart rule the cart view is unmapped; with /checkout* on Live chat the checkout moves there.
        var edited = await PutRules(setup, [new { touchpoint = "Website", urlPath = "/products/*" }, new { touchpoint = "Live chat", urlPath = "/checkout*" }]);
        edited["placedEvents"]!.GetValue<int>().Should().Be(3);
        var timeline = await Timeline(setup, "u1");
        StepNames(timeline).Should().Equal("Website", "Live chat");
        timeline["contacts"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task ATimelineMixesEventsTicketsAndSurveyAnswersInTimeOrderSplitIntoJourneys()
    {
        var setup = await NewMap();
        await ImportEvents(setup);
        await PutRules(setup, Rules);
        var tickets = """
            ticket_id,created_at,customer_id,channel,subject,message
            T-1,2026-10-01T10:20:00Z,u1,chat,Payment,My card was declined at checkout twice and the page froze.
            T-2,2026-10-01T09:00:00Z,u1,web,Question,Is the blue jacket back in stock on the website?
            """;
        var imported = await ImportRuns.Run(setup.Researcher, "tickets.csv", tickets, "support-log", new() { ["mapId"] = setup.MapId });
        imported["imported"]!.GetValue<int>().Should().Be(2);

        var survey = await (await setup.Author.PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "Post-chat", mapId = setup.MapId, touchpointId = setup.Touchpoints["Live chat"],
        })).ReadJson(HttpStatusCode.Created);
        var invitation = await (await setup.Workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = "chat-9", customerId = "u2", channel = "chat" } } })).ReadJson(HttpStatusCode.Created);
        var token = invitation["invitations"]!.AsArray()[0]!["token"]!.GetValue<string>();
        (await app.CreateClient().PostAsync($"/s/{token}", new StringContent("""{"score": 3}""", Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        // u1: the web question (09:00, Website by its channel), product view, cart and checkout, then the chat ticket.
        var u1 = await Timeline(setup, "u1");
        StepNames(u1).Should().Equal("Website", "Checkout", "Live chat");
        var steps = u1["steps"]!.AsArray();
        steps[0]!["contacts"]!.AsArray().Select(c => c!["kind"]!.GetValue<string>()).Should().Equal("support-log", "event");
        steps[1]!["contacts"]!.AsArray().Select(c => c!["event"]!.GetValue<string>()).Should().Equal("page_view", "checkout_started");
        steps[2]!["contacts"]!.AsArray().Single()!["text"]!.GetValue<string>().Should().Contain("declined");
        u1["journeys"]!.GetValue<int>().Should().Be(1);

        // u2: a product view in October, then (today) a score-only NPS answer: more than 30 days apart, two journeys.
        var u2 = await Timeline(setup, "u2");
        StepNames(u2).Should().Equal("Website", "Live chat");
        u2["journeys"]!.GetValue<int>().Should().Be(2);
        var answer = u2["steps"]!.AsArray()[1]!["contacts"]!.AsArray().Single()!;
        answer["kind"]!.GetValue<string>().Should().Be("survey");
        answer["score"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public async Task EventsOfAnotherWorkspaceAreNeverCounted()
    {
        var mine = await NewMap();
        var theirs = await NewMap();
        await ImportEvents(theirs);
        var rules = await PutRules(mine, Rules);
        rules["totalEvents"]!.GetValue<int>().Should().Be(0);
        var problem = await Timeline(mine, "u1", HttpStatusCode.NotFound);
        problem["title"]!.GetValue<string>().Should().Contain("No contacts");
        (await theirs.Author.GetAsync($"/api/maps/{mine.MapId}/event-rules")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadRulesAreRefusedNamingTheFieldAndKeepTheStoredOnes()
    {
        var setup = await NewMap();
        await PutRules(setup, Rules);
        var problem = await PutRules(setup, [new { touchpoint = "Nowhere", eventName = "x" }, new { touchpoint = "Website" },
            new { touchpoint = "Website", property = "plan" }], HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo("rules[0].touchpoint", "rules[1]", "rules[2].value");
        var read = await (await setup.Author.GetAsync($"/api/maps/{setup.MapId}/event-rules")).ReadJson(HttpStatusCode.OK);
        read["rules"]!.AsArray().Should().HaveCount(3);

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/maps/{setup.MapId}/event-rules") { Content = JsonContent.Create(new { rules = Rules }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        (await setup.Author.SendAsync(stale)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await setup.Workspace.As("viewer").PutAsJsonAsync($"/api/maps/{setup.MapId}/event-rules", new { rules = Rules }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await setup.Author.GetAsync($"/api/maps/{setup.MapId}/customers/u1/timeline?window=soon")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private static async Task<JsonObject> Get(Setup setup, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await setup.Author.GetAsync($"/api/maps/{setup.MapId}/{path}")).ReadJson(expected);

    [Fact]
    public async Task JourneysGiveTheHandComputedGraphPathsAndEndpoints()
    {
        var setup = await NewMap();
        await ImportEvents(setup);
        await PutRules(setup, Rules);

        // u1: Website (10:00) → Checkout (10:05, 10:06: one step); u2: Website only. The app_heartbeat is unmapped.
        var graph = await Get(setup, "journeys");
        graph["customers"]!.GetValue<int>().Should().Be(2);
        graph["journeys"]!.GetValue<int>().Should().Be(2);
        graph["contacts"]!.GetValue<int>().Should().Be(4);
        graph["transitions"]!.GetValue<int>().Should().Be(1);
        var edge = graph["edges"]!.AsArray().Single()!;
        edge["fromName"]!.GetValue<string>().Should().Be("Website");
        edge["toName"]!.GetValue<string>().Should().Be("Checkout");
        edge["customers"]!.GetValue<int>().Should().Be(1);
        edge["medianSeconds"]!.GetValue<double>().Should().Be(300, "from the end of the Website step (10:00) to the start of Checkout (10:05)");
        edge["backward"]!.GetValue<bool>().Should().BeFalse();
        graph["starts"]!.AsArray().Single()!["journeys"]!.GetValue<int>().Should().Be(2);
        graph["variants"]!.AsArray().Select(v => v!["share"]!.GetValue<double>()).Should().Equal(0.5, 0.5);
        graph["squiggle"]!["backwardShare"]!.GetValue<double>().Should().Be(0);
        graph["current"]!.GetValue<bool>().Should().BeTrue();

        // A `to` without a time includes that whole day, as for insights: only u1's 1 October.
        (await Get(setup, "journeys?from=2026-10-01&to=2026-10-01"))["customers"]!.GetValue<int>().Should().Be(1);

        var csv = await setup.Author.GetAsync($"/api/maps/{setup.MapId}/journeys?format=csv");
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("from,to,transitions,customers,median_seconds");
        lines[1].Should().StartWith("Website,Checkout,1,1,300");

        // The same CSV through Accept; the funnel too. Markdown is not an answer of these endpoints.
        async Task<HttpResponseMessage> Negotiate(string path, string accept)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/maps/{setup.MapId}/{path}");
            request.Headers.TryAddWithoutValidation("Accept", accept);
            return await setup.Author.SendAsync(request);
        }
        var negotiated = await Negotiate("journeys", "text/csv");
        negotiated.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await negotiated.Content.ReadAsStringAsync()).Should().Be(await csv.Content.ReadAsStringAsync());
        (await Negotiate("funnel", "text/csv")).Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await Negotiate("funnel", "application/json")).Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        await (await Negotiate("journeys", "text/markdown")).ShouldBeProblem(HttpStatusCode.NotAcceptable);
        await (await setup.Author.GetAsync($"/api/maps/{setup.MapId}/funnel?format=md")).ShouldNameField("format");
    }

    [Fact]
    public async Task TheFunnelTiesWhereCustomersStopToWhatTheySaidAndFollowsLateEvents()
    {
        var setup = await NewMap();
        await ImportEvents(setup);
        await PutRules(setup, Rules);
        var ticket = """
            ticket_id,created_at,customer_id,channel,subject,message
            T-9,2026-10-02T09:00:30Z,u2,web,Card,"Terrible. My card was declined three times at checkout and I gave up, awful experience."
            """;
        await ImportRuns.Run(setup.Researcher, "tickets.csv", ticket, "support-log", new() { ["mapId"] = setup.MapId });
        var ticketId = (await (await setup.Author.GetAsync("/api/evidence?pageSize=5")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray()
            .Single()!["id"]!.GetValue<string>();

        // Stages: Consideration (Website) → Purchase (Checkout, Live chat). u1 and u2 enter; u1 reaches Purchase; u2 stops.
        var funnel = await Get(setup, "funnel");
        funnel["entered"]!.GetValue<int>().Should().Be(2);
        var steps = funnel["steps"]!.AsArray();
        steps.Select(s => s!["customers"]!.GetValue<int>()).Should().Equal(2, 1);
        steps[0]!["droppedAfter"]!.GetValue<int>().Should().Be(1);
        var drop = steps[0]!["dropOff"]!;
        drop["lastTouchpoints"]!.AsArray().Single()!["name"]!.GetValue<string>().Should().Be("Website");
        drop["sentiment"]!["negative"]!.GetValue<int>().Should().Be(1, "u2's ticket before leaving is negative");
        var theme = drop["themes"]!.AsArray().Single()!;
        theme["itemIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(ticketId);
        steps[1]!["dropOff"].Should().BeNull();

        // Steps by name: a touchpoint's, or a stage's; the same answer as by id.
        var byName = await Get(setup, "funnel?steps=Website,Purchase");
        byName["steps"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).Should().Equal("touchpoint", "stage");
        byName["steps"]!.AsArray().Select(s => s!["customers"]!.GetValue<int>()).Should().Equal(2, 1);

        // The same customers, only those with a ticket.
        (await Get(setup, "funnel?segment=kind:support-log"))["entered"]!.GetValue<int>().Should().Be(1);

        // A late event: u2 reaches checkout within 14 days; the next answer counts them.
        await ImportEvents(setup, """
            event_id,user_id,event_name,page_url,timestamp
            e20,u2,checkout_started,/checkout,2026-10-05T09:00:00Z
            """);
        (await Get(setup, "funnel"))["steps"]!.AsArray().Select(s => s!["customers"]!.GetValue<int>()).Should().Equal(2, 2);
        // Outside a 2-day window it does not count.
        (await Get(setup, "funnel?window=2d"))["steps"]!.AsArray().Select(s => s!["customers"]!.GetValue<int>()).Should().Equal(2, 1);
    }

    [Fact]
    public async Task BadJourneyQueriesAreRefusedNamingTheParameter()
    {
        var setup = await NewMap();
        async Task<string> BadField(string path) =>
            (await Get(setup, path, HttpStatusCode.BadRequest))["errors"]!.AsObject().Single().Key;
        (await BadField("funnel?mode=sideways")).Should().Be("mode");
        (await BadField("funnel?steps=not-a-step,Website")).Should().Be("steps");
        (await BadField($"funnel?steps={Guid.NewGuid()},{setup.Touchpoints["Website"]}")).Should().Be("steps");
        (await BadField($"funnel?steps={setup.Touchpoints["Website"]}")).Should().Be("steps");
        (await BadField("journeys?window=0d")).Should().Be("window");
        (await BadField("journeys?segment=language:pl")).Should().Be("segment");
        (await BadField("journeys?from=2026-10-02&to=2026-10-01")).Should().Be("to");
        (await BadField("journeys?format=xml")).Should().Be("format");
        (await setup.Author.GetAsync($"/api/maps/{Guid.NewGuid()}/journeys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
