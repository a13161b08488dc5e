using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// Evidence stored before it had a map reaches one: a re-import with a map attaches its duplicates that are on no map
/// (reported apart from the skipped ones), and <c>POST /api/maps/{id}/evidence</c> attaches a selection. Attached items
/// are matched by the background worker like new ones and show in the map's insights; items on another map stay there.
/// </summary>
public sealed class AttachEvidenceTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private sealed record Journey(TestWorkspace Workspace, string MapId, Dictionary<string, string> Touchpoints)
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
        return new Journey(workspace, map["id"]!.GetValue<string>(), touchpoints);
    }

    private static Task<JsonObject> Import(Journey journey, string fileName, string csv, string kind = "review", string? mapId = null) =>
        ImportRuns.Run(journey.Researcher, fileName, csv, kind, mapId is null ? null : new() { ["mapId"] = mapId });

    private static Task<HttpResponseMessage> Attach(HttpClient client, string mapId, string json) =>
        client.PostAsync($"/api/maps/{mapId}/evidence", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<(int Attached, int AlreadyOnThisMap, int OnOtherMaps)> Attached(Journey journey, string json)
    {
        var response = await Attach(journey.Author, journey.MapId, json);
        response.Headers.Location!.ToString().Should().Be($"/api/maps/{journey.MapId}/insights");
        var body = await response.ReadJson(HttpStatusCode.Accepted);
        return (body["attached"]!.GetValue<int>(), body["alreadyOnThisMap"]!.GetValue<int>(), body["onOtherMaps"]!.GetValue<int>());
    }

    private static async Task<Dictionary<string, JsonObject>> Evidence(Journey journey) =>
        (await (await journey.Author.GetAsync("/api/evidence?pageSize=500")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray()
            .Select(i => i!.AsObject()).ToDictionary(i => i["externalId"]!.GetValue<string>());

    /// <summary>The map's insights once the matching worker has placed every item on the map and the snapshot has caught up.</summary>
    private static async Task<JsonObject> SettledInsights(Journey journey)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights")).ReadJson(HttpStatusCode.OK);
            if (insights["pendingMatching"]!.GetValue<int>() == 0 && insights["pendingItems"]!.GetValue<int>() == 0) return insights;
            attempt.Should().BeLessThan(300, "the matching worker places the attached items");
            await Task.Delay(100);
        }
    }

    private static int ItemsOn(JsonObject insights, string touchpointId) => insights["stages"]!.AsArray()
        .SelectMany(s => s!["touchpoints"]!.AsArray()).Single(t => t!["id"]!.GetValue<string>() == touchpointId)!["items"]!.GetValue<int>();

    private static void RowsAddUp(JsonObject status) =>
        (status["imported"]!.GetValue<long>() + status["skippedDuplicates"]!.GetValue<long>() + status["attached"]!.GetValue<long>()
            + status["rejected"]!.GetValue<long>()).Should().Be(status["rowsRead"]!.GetValue<long>(), "every data row is counted once");

    [Fact]
    public async Task ReimportingAFileWithAMapAttachesTheRowsTheFirstImportLeftOffTheMap()
    {
        var journey = await NewJourney();
        var sample = File.ReadAllText(ImportRuns.Sample("support-log.csv"));
        var first = await Import(journey, "support-log.csv", sample, "support-log");
        (first["imported"]!.GetValue<int>(), first["attached"]!.GetValue<int>()).Should().Be((11, 0));

        var again = await Import(journey, "support-log.csv", sample, "support-log", journey.MapId);
        again["status"]!.GetValue<string>().Should().Be("succeeded");
        (again["imported"]!.GetValue<int>(), again["attached"]!.GetValue<int>(), again["skippedDuplicates"]!.GetValue<int>(), again["rejected"]!.GetValue<int>())
            .Should().Be((0, 11, 0, 1), "every stored row was on no map; one row of the sample has no text");
        RowsAddUp(again);

        var insights = await SettledInsights(journey);
        insights["items"]!.GetValue<int>().Should().Be(11);
        var items = await Evidence(journey);
        items.Values.Should().OnlyContain(i => i["mapId"]!.GetValue<string>() == journey.MapId);
        items.Values.Where(i => i["channel"]!.GetValue<string>() == "chat").Should().NotBeEmpty().And.OnlyContain(i =>
            i["touchpointId"]!.GetValue<string>() == journey.Touchpoints["Live chat"] && i["matchReason"]!.GetValue<string>() == "channel");
        items["ZD-10233"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Phone"]);
        ItemsOn(insights, journey.Touchpoints["Live chat"]).Should().Be(items.Values.Count(i => i["channel"]!.GetValue<string>() == "chat"));

        // Once on the map they are ordinary duplicates.
        var third = await Import(journey, "support-log.csv", sample, "support-log", journey.MapId);
        (third["imported"]!.GetValue<int>(), third["attached"]!.GetValue<int>(), third["skippedDuplicates"]!.GetValue<int>()).Should().Be((0, 0, 11));
    }

    [Fact]
    public async Task AReimportCountsNewAttachedSkippedAndRejectedRowsApart()
    {
        var journey = await NewJourney();
        var other = (await SampleMaps.CreateAsync(journey.Author, SampleMaps.Small()))["id"]!.GetValue<string>();
        await Import(journey, "old.csv", """
            id,text
            r1,"My parcel never arrived, the courier tracking has been stuck for a week"
            r2,"The checkout rejected my card payment twice and the promo code did not work"
            r3,"The courier left the parcel in the rain"
            """);
        await Import(journey, "elsewhere.csv", "id,text\no1,\"The card payment failed at checkout\"\n", mapId: other);
        var onOtherMap = (await Evidence(journey))["o1"];

        // r1, r2 and r3 are on no map (attached, r3 once); o1 is on another map and n1's second line repeats the first (skipped).
        var mixed = await Import(journey, "mixed.csv", """
            id,text
            r1,"My parcel never arrived, the courier tracking has been stuck for a week"
            r2,"The checkout rejected my card payment twice and the promo code did not work"
            o1,"The card payment failed at checkout"
            n1,"The returns label never came by e-mail"
            n1,"The returns label never came by e-mail"
            r3,"The courier left the parcel in the rain"
            r3,"The courier left the parcel in the rain"
            e1,
            """, mapId: journey.MapId);
        (mixed["imported"]!.GetValue<int>(), mixed["attached"]!.GetValue<int>(), mixed["skippedDuplicates"]!.GetValue<int>(), mixed["rejected"]!.GetValue<int>())
            .Should().Be((1, 3, 3, 1));
        RowsAddUp(mixed);

        var insights = await SettledInsights(journey);
        insights["items"]!.GetValue<int>().Should().Be(4, "r1, r2, r3 and n1");
        var items = await Evidence(journey);
        items["r1"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Delivery"]);
        items["r1"]["matchReason"]!.GetValue<string>().Should().Be("text");
        items["r2"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Checkout"]);
        items["o1"]["mapId"]!.GetValue<string>().Should().Be(other, "items on another map are not moved");
        items["o1"]["touchpointId"]!.GetValue<string>().Should().Be(onOtherMap["touchpointId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AttachingBySelectionPutsOnlyItemsOnNoMapOnTheMapAndCountsTheRest()
    {
        var journey = await NewJourney();
        var other = (await SampleMaps.CreateAsync(journey.Author, SampleMaps.Small()))["id"]!.GetValue<string>();
        await Import(journey, "reviews.csv", """
            id,date,source,text
            rv1,2026-09-10,Trustpilot,"My parcel never arrived, the courier tracking has been stuck for a week"
            rv2,2026-10-02T18:30:00Z,Trustpilot,"The checkout rejected my card payment twice and the promo code did not work"
            rv3,2026-10-20,App Store,"The courier left my parcel in the rain"
            """);
        var support = await Import(journey, "support.csv", """
            id,date,channel,text
            s1,2026-10-05,chat,"The advisor could not find my order"
            s2,2026-11-01,phone,"Called about a refund and waited 40 minutes"
            """, "support-log");
        await Import(journey, "elsewhere.csv", "id,date,source,text\ne1,2026-10-01,Trustpilot,\"The card payment failed at checkout\"\n", mapId: other);
        var onOtherMap = (await Evidence(journey))["e1"];

        (await Attached(journey, $$"""{"importId":"{{support["id"]}}"}""")).Should().Be((2, 0, 0));
        (await Attached(journey, $$"""{"importId":"{{support["id"]}}"}""")).Should().Be((0, 2, 0), "attaching again changes nothing");
        // A date without a time takes the whole day: rv2 at 18:30 on the 2nd is in; e1 is on another map; rv3 is from the App Store.
        (await Attached(journey, """{"kind":"review","source":"Trustpilot","from":"2026-10-01","to":"2026-10-02"}""")).Should().Be((1, 0, 1));
        (await Evidence(journey))["rv2"]["mapId"]!.GetValue<string>().Should().Be(journey.MapId);
        (await Evidence(journey))["rv1"]["mapId"].Should().BeNull("before the range");
        (await Attached(journey, """{"all":true}""")).Should().Be((2, 3, 1));

        var insights = await SettledInsights(journey);
        insights["items"]!.GetValue<int>().Should().Be(5);
        var items = await Evidence(journey);
        items["s1"]["touchpointId"]!.GetValue<string>().Should().Be(journey.Touchpoints["Live chat"]);
        items["s1"]["matchReason"]!.GetValue<string>().Should().Be("channel");
        // Matched as a new row would be: the review's source names a touchpoint's keyword.
        (items["rv1"]["touchpointId"]!.GetValue<string>(), items["rv1"]["matchReason"]!.GetValue<string>())
            .Should().Be((journey.Touchpoints["Review sites"], "source"));
        ItemsOn(insights, journey.Touchpoints["Review sites"]).Should().Be(items.Values.Count(i => i["touchpointId"]?.GetValue<string>() == journey.Touchpoints["Review sites"]))
            .And.BeGreaterThanOrEqualTo(1);
        items["e1"]["mapId"]!.GetValue<string>().Should().Be(other);
        (items["e1"]["touchpointId"]?.GetValue<string>(), items["e1"]["matchReason"]?.GetValue<string>())
            .Should().Be((onOtherMap["touchpointId"]?.GetValue<string>(), onOtherMap["matchReason"]?.GetValue<string>()), "left where it was");
    }

    [Fact]
    public async Task ItemsReleasedByADeletedMapAreMatchedAfreshOnTheNewOne()
    {
        var journey = await NewJourney();
        var old = (await SampleMaps.CreateAsync(journey.Author, SampleMaps.Small()))["id"]!.GetValue<string>();
        await Import(journey, "old-map.csv", "id,text\nd1,\"The courier lost my parcel and the tracking never updated\"\n", mapId: old);
        (await Evidence(journey))["d1"]["matchReason"].Should().BeNull("the old map had no delivery touchpoint: its inbox");
        (await journey.Author.DeleteAsync($"/api/maps/{old}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Attached(journey, """{"kind":"review"}""")).Should().Be((1, 0, 0));
        var insights = await SettledInsights(journey);
        var item = (await Evidence(journey))["d1"];
        (item["mapId"]!.GetValue<string>(), item["touchpointId"]!.GetValue<string>(), item["matchReason"]!.GetValue<string>())
            .Should().Be((journey.MapId, journey.Touchpoints["Delivery"], "text"), "the old map's verdict does not follow the item");
        ItemsOn(insights, journey.Touchpoints["Delivery"]).Should().Be(1);
    }

    [Fact]
    public async Task ABadSelectionIsRejectedNamingTheField()
    {
        var journey = await NewJourney();
        var events = await ImportRuns.Run(journey.Researcher, "events.csv", "customer_id,timestamp,event\nc1,2026-10-01T10:00:00Z,page_view\n", "events");
        var cases = new (string Body, string Field)[]
        {
            ("{}", "all"),
            ("""{"all":false}""", "all"),
            ("""{"all":true,"kind":"review"}""", "all"),
            ("""{"kind":"tweet"}""", "kind"),
            ("""{"kind":"  "}""", "kind"),
            ("""{"source":""}""", "source"),
            ($$"""{"source":"{{new string('s', 201)}}"}""", "source"),
            ("""{"from":"2026-10-05","to":"2026-10-01"}""", "to"),
            ("""{"importId":"not-an-id"}""", "$.importId"),
            ("""{"from":"yesterday"}""", "$.from"),
            ("""{"all":"yes"}""", "$.all"),
            ($$"""{"importId":"{{events["id"]}}"}""", "importId"),
        };
        foreach (var (body, field) in cases)
            await (await Attach(journey.Author, journey.MapId, body)).ShouldNameField(field);

        // A misspelt criterion would widen the selection: refused, not ignored.
        var misspelt = await (await Attach(journey.Author, journey.MapId, """{"kind":"review","imprtId":"0190a8d2-0000-7000-8000-000000000000"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        misspelt.ToJsonString().Should().Contain("imprtId");
    }

    [Fact]
    public async Task OnlyEditorsAttachAndOnlyToTheirOwnWorkspacesMapsAndImports()
    {
        var journey = await NewJourney();
        var stranger = await NewJourney();
        var theirs = await Import(stranger, "theirs.csv", "id,text\nt1,\"Parcel late\"\n");
        await Import(journey, "mine.csv", "id,text\nm1,\"Parcel late\"\n");

        foreach (var role in new[] { "viewer", "researcher", "agent" })
            await (await Attach(journey.Workspace.As(role), journey.MapId, """{"all":true}""")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Attach(journey.Author, stranger.MapId, """{"all":true}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await Attach(journey.Author, journey.MapId, $$"""{"importId":"{{theirs["id"]}}"}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await Attach(journey.Author, journey.MapId, $$"""{"importId":"{{Guid.NewGuid()}}"}""")).ShouldBeProblem(HttpStatusCode.NotFound);

        (await Attached(journey, """{"all":true}""")).Should().Be((1, 0, 0), "the other workspace's item is not in the selection");
        (await Evidence(stranger))["t1"]["mapId"].Should().BeNull();
        var admin = await (await Attach(journey.Workspace.As("admin"), journey.MapId, """{"all":true}""")).ReadJson(HttpStatusCode.Accepted);
        admin["alreadyOnThisMap"]!.GetValue<int>().Should().Be(1);
    }
}
