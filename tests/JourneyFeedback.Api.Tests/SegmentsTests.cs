using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// Saved segments and the <c>segment=</c> filter on every kind of read: insights, evidence pages, the evidence list,
/// exports, survey results and journeys; the map's persona bound to a segment; workspaces never see each other's
/// segments or attributes.
/// </summary>
public sealed class SegmentsTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private const string Log = """
        customer_id,occurred_at,text
        c-pro-1,2026-10-03,"The card payment failed at checkout twice"
        c-pro-1,2026-10-04,"Checkout rejected my card again"
        c-pro-2,2026-10-05,"Payment page froze when I entered my card"
        c-free-1,2026-10-06,"The website search is slow and the site crashed"
        c-free-2,2026-10-07,"Site navigation is confusing"
        ,2026-10-08,"Payment with card was declined without a reason"
        """;

    /// <summary>A workspace with the small map, six items on it (five of known customers) and their attributes.</summary>
    private async Task<(TestWorkspace Workspace, Guid MapId)> SeededAsync()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"));
        var mapId = Guid.Parse(map["id"]!.GetValue<string>());
        var status = await ImportRuns.Run(workspace.As("researcher"), "log.csv", Log, "support-log", new() { ["mapId"] = mapId.ToString() });
        status["imported"]!.GetValue<int>().Should().Be(6);
        await CustomerFiles.ImportAsync(workspace.As("researcher"), new Dictionary<string, Dictionary<string, string>>
        {
            ["c-pro-1"] = new() { ["plan"] = "pro", ["country"] = "PL", ["tenuremonths"] = "14" },
            ["c-pro-2"] = new() { ["plan"] = "Pro", ["country"] = "RO", ["tenuremonths"] = "3" },
            ["c-free-1"] = new() { ["plan"] = "free", ["country"] = "PL" },
            ["c-free-2"] = new() { ["plan"] = "free", ["country"] = "IT", ["tenuremonths"] = "30" },
        });
        await Settled(workspace, mapId);
        return (workspace, mapId);
    }

    private static async Task Settled(TestWorkspace workspace, Guid mapId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = await (await workspace.As("author").GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK);
            if (insights["pendingMatching"]!.GetValue<int>() == 0 && insights["pendingItems"]!.GetValue<int>() == 0) return;
            attempt.Should().BeLessThan(300, "matching settles");
            await Task.Delay(100);
        }
    }

    private static int Total(JsonObject insights) =>
        insights["items"]!.GetValue<int>() + insights["unassigned"]!.GetValue<int>() + insights["pendingMatching"]!.GetValue<int>();

    private static async Task<JsonObject> Insights(TestWorkspace workspace, Guid mapId, string query) =>
        await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights?{query}")).ReadJson(HttpStatusCode.OK);

    [Fact]
    public async Task SegmentsAreSavedValidatedAndNamedUniquely()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var created = await (await author.PostAsJsonAsync("/api/segments", new { name = "Pro in PL/RO", expression = "plan=pro and country in (PL,RO)" }))
            .ReadJson(HttpStatusCode.Created);
        created["expression"]!.GetValue<string>().Should().Be("plan = pro AND country IN (PL, RO)", "the canonical form is stored");
        var id = created["id"]!.GetValue<string>();

        var bad = await (await author.PostAsJsonAsync("/api/segments", new { name = "Broken", expression = "plan = pro AND (country = PL" }))
            .ReadJson(HttpStatusCode.BadRequest);
        bad["errors"]!["expression"]![0]!.GetValue<string>().Should().Contain("parenthesis opened at position 16 is not closed");
        (await author.PostAsJsonAsync("/api/segments", new { name = "Pro in PL/RO", expression = "plan = pro" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await author.PostAsJsonAsync("/api/segments", new { expression = "plan = pro" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await workspace.As("viewer").PostAsJsonAsync("/api/segments", new { name = "V", expression = "plan = pro" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var updated = await (await workspace.As("researcher").PutAsJsonAsync($"/api/segments/{id}", new { name = "Pro", expression = "plan = pro", description = "Paying" }))
            .ReadJson(HttpStatusCode.OK);
        (updated["name"]!.GetValue<string>(), updated["expression"]!.GetValue<string>()).Should().Be(("Pro", "plan = pro"));
        (await (await workspace.As("viewer").GetAsync("/api/segments")).ReadJsonArray(HttpStatusCode.OK)).Should().ContainSingle();

        // Another workspace neither lists, reads, edits nor filters with it.
        var other = await app.CreateWorkspaceAsync("Other");
        (await (await other.As("viewer").GetAsync("/api/segments")).ReadJsonArray(HttpStatusCode.OK)).Should().BeEmpty();
        (await other.As("viewer").GetAsync($"/api/segments/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.As("author").PutAsJsonAsync($"/api/segments/{id}", new { name = "X", expression = "plan = x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.As("author").DeleteAsync($"/api/segments/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var otherMap = await SampleMaps.CreateAsync(other.As("author"));
        var foreign = await (await other.As("viewer").GetAsync($"/api/maps/{otherMap["id"]}/insights?segment={id}")).ReadJson(HttpStatusCode.BadRequest);
        foreign["errors"]!["segment"]![0]!.GetValue<string>().Should().Contain("no segment");

        (await author.DeleteAsync($"/api/segments/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await author.GetAsync($"/api/segments/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InsightsEvidenceAndExportsCountOnlyTheSegmentsItems()
    {
        var (workspace, mapId) = await SeededAsync();
        Total(await Insights(workspace, mapId, "")).Should().Be(6);
        var pro = await Insights(workspace, mapId, "segment=" + Uri.EscapeDataString("plan = pro"));
        Total(pro).Should().Be(3, "c-pro-1 has two items and c-pro-2 one; 'Pro' matches 'pro' ignoring case");
        pro["segment"]!.GetValue<string>().Should().Be("plan = pro");
        pro["for"]!.GetValue<string>().Should().Be("segment");
        Total(await Insights(workspace, mapId, "segment=" + Uri.EscapeDataString("plan = pro AND tenureMonths >= 12"))).Should().Be(2);
        Total(await Insights(workspace, mapId, "segment=" + Uri.EscapeDataString("country IN (PL, IT)"))).Should().Be(4);
        Total(await Insights(workspace, mapId, "segment=" + Uri.EscapeDataString("plan != pro"))).Should().Be(3, "two free customers' items and the item without a customer");
        Total(await Insights(workspace, mapId, "segment=" + Uri.EscapeDataString("kind = review"))).Should().Be(0);
        Total(await Insights(workspace, mapId, "segment=kind:support-log")).Should().Be(6, "the older key:value form still works");

        var saved = await (await workspace.As("author").PostAsJsonAsync("/api/segments", new { name = "Pro", expression = "plan = pro" })).ReadJson(HttpStatusCode.Created);
        var byId = await Insights(workspace, mapId, $"segment={saved["id"]}");
        Total(byId).Should().Be(3);
        byId["segmentDetails"]!["name"]!.GetValue<string>().Should().Be("Pro");

        var list = await (await workspace.As("viewer").GetAsync("/api/evidence?segment=" + Uri.EscapeDataString("plan = free"))).ReadJson(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(2);
        list["items"]!.AsArray().Select(i => i!["customerId"]!.GetValue<string>()).Should().BeEquivalentTo(["c-free-1", "c-free-2"]);

        var checkout = (await Insights(workspace, mapId, "")).AsObject()["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .Single(t => t!["name"]!.GetValue<string>() == "Checkout")!["id"]!.GetValue<string>();
        var page = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/touchpoints/{checkout}/evidence?segment=" + Uri.EscapeDataString("country = RO")))
            .ReadJson(HttpStatusCode.OK);
        page["items"]!.AsArray().Select(i => i!["customerId"]!.GetValue<string>()).Should().Equal("c-pro-2");

        var csv = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/export?format=csv&segment=" + Uri.EscapeDataString("plan = pro")))
            .Content.ReadAsStringAsync();
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1 + 3, "a header and the segment's three items");

        var bad = await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights?segment=" + Uri.EscapeDataString("plan = "))).ReadJson(HttpStatusCode.BadRequest);
        bad["errors"]!["segment"]![0]!.GetValue<string>().Should().Contain("Expected a value");
    }

    [Fact]
    public async Task ChangedAttributesChangeTheSegmentAtOnce()
    {
        var (workspace, mapId) = await SeededAsync();
        var query = "segment=" + Uri.EscapeDataString("plan = pro");
        Total(await Insights(workspace, mapId, query)).Should().Be(3);
        await CustomerFiles.ImportAsync(workspace.As("researcher"), new Dictionary<string, Dictionary<string, string>> { ["c-free-2"] = new() { ["plan"] = "pro" } });
        Total(await Insights(workspace, mapId, query)).Should().Be(4, "the attributes' version moved, so the filter re-reads them");
    }

    [Fact]
    public async Task AMapsPersonaCanBeBoundToASegmentAndTheViewSaysWhoItIsFor()
    {
        var (workspace, mapId) = await SeededAsync();
        var author = workspace.As("author");
        (await (await author.GetAsync($"/api/maps/{mapId}/insights?for=persona")).ReadJson(HttpStatusCode.BadRequest))["errors"]!["for"]![0]!
            .GetValue<string>().Should().Contain("not bound");

        var segment = await (await author.PostAsJsonAsync("/api/segments", new { name = "Loyal Poles", expression = "country = PL" })).ReadJson(HttpStatusCode.Created);
        var map = await (await author.GetAsync($"/api/maps/{mapId}")).ReadJson(HttpStatusCode.OK);
        var document = new JsonObject
        {
            ["name"] = map["name"]!.DeepClone(), ["goal"] = map["goal"]!.DeepClone(), ["template"] = map["template"]!.DeepClone(),
            ["persona"] = map["persona"]!.DeepClone(),
            // Stages and touchpoints by id keep their evidence; only the document's own members are sent back.
            ["stages"] = new JsonArray(map["stages"]!.AsArray().Select(stage => (JsonNode)new JsonObject
            {
                ["id"] = stage!["id"]!.DeepClone(), ["name"] = stage["name"]!.DeepClone(), ["lanes"] = stage["lanes"]!.DeepClone(),
                ["touchpoints"] = new JsonArray(stage["touchpoints"]!.AsArray().Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t!["id"]!.DeepClone(), ["name"] = t["name"]!.DeepClone(), ["channel"] = t["channel"]?.DeepClone(),
                    ["phase"] = t["phase"]?.DeepClone(), ["keywords"] = t["keywords"]?.DeepClone(),
                }).ToArray()),
            }).ToArray()),
        };
        document["persona"]!["segmentId"] = Guid.NewGuid().ToString();
        var unknown = await (await author.PutAsJsonAsync($"/api/maps/{mapId}", document)).ReadJson(HttpStatusCode.BadRequest);
        unknown["errors"]!.AsObject().Select(e => e.Key).Should().Contain("persona.segmentId", unknown.ToJsonString());
        document["persona"]!["segmentId"] = segment["id"]!.GetValue<string>();
        (await author.PutAsJsonAsync($"/api/maps/{mapId}", document)).StatusCode.Should().Be(HttpStatusCode.OK);

        var persona = await Insights(workspace, mapId, "for=persona");
        Total(persona).Should().Be(3, "c-pro-1 (two items) and c-free-1 are in Poland");
        persona["for"]!.GetValue<string>().Should().Be("persona");
        persona["segmentDetails"]!["name"]!.GetValue<string>().Should().Be("Loyal Poles");
        var everyone = await Insights(workspace, mapId, "for=everyone");
        (Total(everyone), everyone["for"]!.GetValue<string>()).Should().Be((6, "everyone"));
        (await author.GetAsync($"/api/maps/{mapId}/insights?for=persona&segment=plan%3Dpro")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var view = await (await author.GetAsync($"/api/maps/{mapId}/view?for=persona")).Content.ReadAsStringAsync();
        view.Should().Contain("For this persona (Loyal Poles: country = PL)");
        (await (await author.GetAsync($"/api/maps/{mapId}/view")).Content.ReadAsStringAsync()).Should().Contain("For everyone");

        (await author.DeleteAsync($"/api/segments/{segment["id"]}")).StatusCode.Should().Be(HttpStatusCode.Conflict, "the persona uses it");
    }

    [Fact]
    public async Task SurveyResultsAndJourneysTakeTheSegmentToo()
    {
        var (workspace, mapId) = await SeededAsync();
        var author = workspace.As("author");
        var survey = await (await author.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "After chat", mapId })).ReadJson(HttpStatusCode.Created);
        var invitations = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = new[] { new { externalRef = "chat-1", customerId = "c-pro-1" }, new { externalRef = "chat-2", customerId = "c-free-1" } },
        })).ReadJson(HttpStatusCode.Created);
        var scores = new[] { 10, 2 };
        for (var i = 0; i < 2; i++)
        {
            var token = invitations["invitations"]![i]!["token"]!.GetValue<string>();
            (await app.CreateClient().PostAsJsonAsync($"/s/{token}", new { score = scores[i] })).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        var pro = await (await author.GetAsync($"/api/surveys/{survey["id"]}/results?segment=" + Uri.EscapeDataString("plan = pro"))).ReadJson(HttpStatusCode.OK);
        (pro["answered"]!.GetValue<int>(), pro["overall"]!["nps"]!["score"]!.GetValue<double>()).Should().Be((1, 100.0));
        pro["segment"]!["expression"]!.GetValue<string>().Should().Be("plan = pro");
        var free = await (await author.GetAsync($"/api/surveys/{survey["id"]}/results?segment=" + Uri.EscapeDataString("plan = free"))).ReadJson(HttpStatusCode.OK);
        (free["answered"]!.GetValue<int>(), free["overall"]!["nps"]!["score"]!.GetValue<double>()).Should().Be((1, -100.0));

        var csv = await (await author.GetAsync($"/api/surveys/{survey["id"]}/responses.csv?segment=" + Uri.EscapeDataString("plan = pro"))).Content.ReadAsStringAsync();
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "a header and c-pro-1's answer").And.Contain(l => l.Contains("c-pro-1"));

        // Journeys: a customer is in when one of their contacts is; language is not known for events.
        var journeys = await (await author.GetAsync($"/api/maps/{mapId}/journeys?segment=" + Uri.EscapeDataString("plan = pro"))).ReadJson(HttpStatusCode.OK);
        journeys["customers"]!.GetValue<int>().Should().Be(2);
        (await author.GetAsync($"/api/maps/{mapId}/journeys?segment=" + Uri.EscapeDataString("language = pl"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnotherWorkspacesAttributesNeverReachTheFilter()
    {
        var (workspace, mapId) = await SeededAsync();
        var other = await app.CreateWorkspaceAsync("Other");
        // The same customer ids elsewhere, with other attributes.
        await CustomerFiles.ImportAsync(other.As("researcher"), new Dictionary<string, Dictionary<string, string>> { ["c-free-1"] = new() { ["plan"] = "pro" }, ["c-free-2"] = new() { ["plan"] = "pro" } });
        Total(await Insights(workspace, mapId, "segment=" + Uri.EscapeDataString("plan = pro"))).Should().Be(3);
    }

    [Fact]
    public async Task AMapWithSeveralLanguagesShowsItsCountsPerLanguage()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"));
        var mapId = map["id"]!.GetValue<string>();
        (await ImportRuns.Run(workspace.As("researcher"), "mixed.csv", """
            id,text
            1,"The card payment failed at checkout twice"
            2,"My card was declined and the site crashed"
            3,"Płatność kartą nie przeszła, już drugi raz dzisiaj i nikt mi nie pomógł"
            """, "review", new() { ["mapId"] = mapId }))["imported"]!.GetValue<int>().Should().Be(3);
        await Settled(workspace, Guid.Parse(mapId));

        var insights = await Insights(workspace, Guid.Parse(mapId), "");
        insights["languages"]!.AsArray().Select(l => (l!["language"]!.GetValue<string>(), l["items"]!.GetValue<int>()))
            .Should().Equal(("en", 2), ("pl", 1));
        var polish = await Insights(workspace, Guid.Parse(mapId), "segment=" + Uri.EscapeDataString("language = pl"));
        polish["languages"]!.AsArray().Should().ContainSingle().Which!["language"]!.GetValue<string>().Should().Be("pl");
        (await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/view")).Content.ReadAsStringAsync()).Should().Contain("Languages: en 2, pl 1");
        (await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/export?format=markdown")).Content.ReadAsStringAsync())
            .Should().Contain("**Languages:** en 2, pl 1");
    }
}
