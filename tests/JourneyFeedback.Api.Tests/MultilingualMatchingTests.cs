using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// A touchpoint's keywords in other languages: stored and returned with the map, validated, and read by the word
/// matcher, so Polish feedback finds a touchpoint of an English map.
/// </summary>
public sealed class MultilingualMatchingTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [Fact]
    public async Task PolishKeywordsPlacePolishFeedbackOnAnEnglishMap()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var map = await SampleMaps.CreateAsync(author);
        var mapId = map["id"]!.GetValue<string>();
        var website = map["stages"]![0]!["touchpoints"]![0]!;
        (await ImportRuns.Run(workspace.As("researcher"), "opinie.csv", """
            id,text
            pl-1,"Wyszukiwarka sklepu w ogóle nie działa, strona się zawiesza przy każdym filtrze"
            """, "review", new() { ["mapId"] = mapId }))["imported"]!.GetValue<int>().Should().Be(1);
        (await Touchpoint(author, "pl-1")).Should().BeNull("no English keyword or description word of the map is in the text");

        var bad = await (await author.PutAsJsonAsync($"/api/maps/{mapId}/touchpoints/{website["id"]}", new
        {
            keywordsByLanguage = new Dictionary<string, string[]> { ["polish"] = ["wyszukiwarka"] },
        })).ReadJson(HttpStatusCode.BadRequest);
        bad["errors"]!.AsObject().Select(e => e.Key).Should().Contain("keywordsByLanguage.polish");

        var updated = await (await author.PutAsJsonAsync($"/api/maps/{mapId}/touchpoints/{website["id"]}", new
        {
            keywordsByLanguage = new Dictionary<string, string[]> { ["PL"] = ["wyszukiwarka", "strona", " "], ["it"] = ["sito"] },
        })).ReadJson(HttpStatusCode.OK);
        updated["keywordsByLanguage"]!.ToJsonString().Should().Be("""{"pl":["wyszukiwarka","strona"],"it":["sito"]}""",
            "languages are lower-cased and blank keywords dropped");
        updated["keywords"]!.AsArray().Select(k => k!.GetValue<string>()).Should().Equal("site");

        (await author.PostAsync($"/api/maps/{mapId}/rematch", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        for (var attempt = 0; await Touchpoint(author, "pl-1") is null; attempt++)
        {
            attempt.Should().BeLessThan(300, "the rematch places the Polish review on Website");
            await Task.Delay(100);
        }
        (await Touchpoint(author, "pl-1")).Should().Be(website["id"]!.GetValue<string>());

        // The keywords travel with the map: GET, and the export that POST accepts again.
        var read = await (await author.GetAsync($"/api/maps/{mapId}")).ReadJson(HttpStatusCode.OK);
        read["stages"]![0]!["touchpoints"]![0]!["keywordsByLanguage"]!["pl"]!.AsArray().Should().HaveCount(2);
        var exported = await (await author.GetAsync($"/api/maps/{mapId}/export?format=json")).ReadJson(HttpStatusCode.OK);
        exported.Remove("evidence");
        exported["name"] = "Copy";
        var copy = await (await author.PostAsJsonAsync("/api/maps", exported)).ReadJson(HttpStatusCode.Created);
        copy["stages"]![0]!["touchpoints"]![0]!["keywordsByLanguage"]!["it"]![0]!.GetValue<string>().Should().Be("sito");
    }

    private static async Task<string?> Touchpoint(HttpClient client, string externalId)
    {
        var page = await (await client.GetAsync("/api/evidence?pageSize=50")).ReadJson(HttpStatusCode.OK);
        var item = page["items"]!.AsArray().Single(i => i!["externalId"]!.GetValue<string>() == externalId)!;
        return item["touchpointId"]?.GetValue<string>();
    }
}
