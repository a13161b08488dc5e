using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// Polish, Italian and Romanian text is analysed by the models of its language, end to end: routing by the detected or
/// declared language, the analysing language stored on every item, the models endpoint per language, and the README's
/// Polish complaint log (Windows-1250) on a map with Polish keywords.
/// </summary>
public sealed class LanguageAnalysisTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    static LanguageAnalysisTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static async Task<JsonArray> Evidence(HttpClient client, string query = "") =>
        (await (await client.GetAsync($"/api/evidence?pageSize=500{query}")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();

    [Fact]
    public async Task APolishComplaintLogInWindows1250IsAnalysedByThePolishModelsOntoTheMapWithPolishPainPoints()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var mapJson = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "maps", "ecommerce-journey-pl.json"));
        var map = await (await author.PostAsync("/api/maps", new StringContent(mapJson, Encoding.UTF8, "application/json"))).ReadJson(HttpStatusCode.Created);
        var mapId = map["id"]!.GetValue<string>();

        var bytes = await File.ReadAllBytesAsync(ImportRuns.Sample("reklamacje-pl-windows1250.csv"));
        var status = await ImportRuns.Run(workspace.As("researcher"), "reklamacje-pl-windows1250.csv", bytes, "complaint-log", new() { ["mapId"] = mapId });
        status["detectedEncoding"]!.GetValue<string>().Should().Be("windows-1250");
        status["imported"]!.GetValue<int>().Should().Be(36);

        var items = await Evidence(author);
        items.Should().HaveCount(36);
        items.Where(i => i!["analysis"]!["modelLanguage"]!.GetValue<string>() != "pl").Select(i => i!.ToJsonString()).Should().BeEmpty();
        items.Should().AllSatisfy(i =>
        {
            i!["analysis"]!["modelLanguage"]!.GetValue<string>().Should().Be("pl");
            i["analysis"]!["language"]!.GetValue<string>().Should().Be("pl");
            i["analysis"]!["lowConfidence"]!.GetValue<bool>().Should().BeFalse();
        });
        var polishModels = await (await author.GetAsync("/api/analysis/models")).ReadJson(HttpStatusCode.OK);
        var polishVersion = polishModels["languages"]!.AsArray().Single(l => l!["language"]!.GetValue<string>() == "pl")!["version"]!.GetValue<string>();
        items[0]!["analysis"]!["modelVersion"]!.GetValue<string>().Should().Contain(polishVersion);

        // Diacritics survive the Windows-1250 decoding, storage and the key phrases.
        var payment = items.Single(i => i!["externalId"]!.GetValue<string>() == "PL-712")!;
        payment["text"]!.GetValue<string>().Should().StartWith("Płatność kartą została odrzucona trzy razy");
        var phrases = items.SelectMany(i => i!["analysis"]!["keyPhrases"]!.AsArray().Select(p => p!.GetValue<string>())).ToList();
        phrases.Should().Contain(p => p.Contains('ł') || p.Contains('ą') || p.Contains('ę') || p.Contains('ś') || p.Contains('ż'));
        string[] functionWords = ["i", "w", "na", "się", "z", "do", "a"];
        phrases.Select(p => p.Split(' ')[^1]).Should().NotContain(functionWords, "a phrase does not end on a Polish function word");
        phrases.Select(p => p.Split(' ')[0]).Should().NotContain(functionWords, "nor start on one (negation such as \"nie działa\" stays)");

        // The semantic tier is English-only, so few Polish complaints pass the word matcher's threshold on their own
        // (honest confidence: the rest wait in the inbox with a guess). The author assigns from the inbox; those
        // assignments are Polish examples for the map's matcher from then on.
        items.Count(i => i!["touchpointId"] is not null).Should().BeLessThan(18);
        foreach (var (externalId, touchpoint) in new[] { ("PL-700", "Delivery"), ("PL-701", "Delivery"), ("PL-702", "Delivery"),
            ("PL-703", "Delivery"), ("PL-704", "Delivery"), ("PL-705", "Delivery"), ("PL-706", "Delivery"), ("PL-707", "Returns"), ("PL-708", "Returns"), ("PL-712", "Checkout"), ("PL-714", "Checkout") })
        {
            var id = items.Single(i => i!["externalId"]!.GetValue<string>() == externalId)!["id"]!.GetValue<string>();
            (await Assign(author, id, Touchpoint(map, touchpoint))).Should().Be(HttpStatusCode.OK);
        }

        // Their pain points (no longer low-confidence) reach the map, named after the items' Polish key phrases.
        JsonArray painPoints = [];
        JsonObject insights = [];
        for (var attempt = 0; painPoints.Count == 0; attempt++)
        {
            attempt.Should().BeLessThan(300, "the assignments reach the map's insights");
            if (attempt > 0) await Task.Delay(100);
            insights = await (await author.GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK);
            painPoints = insights["stages"]!.AsArray().SelectMany(st => st!["touchpoints"]!.AsArray())
                .Single(t => t!["name"]!.GetValue<string>() == "Delivery")!["painPoints"]!.AsArray();
        }
        items = await Evidence(author);
        var delivery = items.Where(i => i!["touchpointId"]?.GetValue<string>() == Touchpoint(map, "Delivery")).ToList();
        var expected = delivery.Count(i => i!["analysis"]!["sentiment"]!.GetValue<string>() == "negative"
            && i["analysis"]!["painPoint"]!.GetValue<string>() == painPoints[0]!["category"]!.GetValue<string>());
        painPoints[0]!["count"]!.GetValue<int>().Should().Be(expected).And.BeGreaterThanOrEqualTo(2);
        // Named in Polish: by the most frequent phrase two items share, or — Polish inflects ("paczka", "paczkę"), so
        // few items rarely share one — by the category in Polish; its phrases are the items' own.
        var ownPhrases = delivery.SelectMany(i => i!["analysis"]!["keyPhrases"]!.AsArray().Select(p => p!.GetValue<string>())).ToList();
        var name = painPoints[0]!["name"]!.GetValue<string>();
        (ownPhrases.Contains(name) || name == "Inne problemy: dostawa i wysyłka").Should().BeTrue("the theme is named in Polish, not {0}", name);
        var themePhrases = painPoints[0]!["phrases"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        themePhrases.Should().NotBeEmpty().And.OnlyContain(p => ownPhrases.Contains(p));
        string.Concat(themePhrases).Should().ContainAny("ą", "ę", "ł", "ó", "ś", "ż", "ź", "ć", "ń");
        insights["languages"]!.ToJsonString().Should().Contain("\"pl\"");
    }

    [Fact]
    public async Task ADeclaredLanguageColumnRoutesItsRowAndEveryLanguageIsListedWithItsModels()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var researcher = workspace.As("researcher");
        await ImportRuns.Run(researcher, "declared.csv", """
            id,text,language
            r1,ok,pl-PL
            r2,ok,
            r3,"Livrarea a întârziat o săptămână, nimeni nu răspunde la telefon.",
            """, "support-log");
        var items = await Evidence(researcher);
        string ModelLanguage(string id) => items.Single(i => i!["externalId"]!.GetValue<string>() == id)!["analysis"]!["modelLanguage"]!.GetValue<string>();
        ModelLanguage("r1").Should().Be("pl", "the row declares Polish");
        ModelLanguage("r2").Should().Be("en", "a bare 'ok' is detected as English");
        ModelLanguage("r3").Should().Be("ro", "detected Romanian");

        var models = await (await researcher.GetAsync("/api/analysis/models")).ReadJson(HttpStatusCode.OK);
        var languages = models["languages"]!.AsArray();
        languages.Select(l => l!["language"]!.GetValue<string>()).Should().Equal("en", "it", "pl", "ro");
        foreach (var language in languages)
        {
            var manifests = language!["models"]!.AsArray();
            manifests.Select(m => m!["name"]!.GetValue<string>()).Should().BeEquivalentTo("sentiment", "emotions", "painpoints");
            manifests.Should().AllSatisfy(m =>
            {
                m!["language"]!.GetValue<string>().Should().Be(language["language"]!.GetValue<string>());
                m["heldOutMetrics"]!["values"]!.AsObject().Count.Should().BeGreaterThan(0);
                m["trainingData"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
            });
        }

        var classified = await (await researcher.PostAsJsonAsync("/api/analysis/classify",
            new { texts = new[] { "Il rimborso non è mai arrivato.", "The refund never arrived." }, language = "it" })).ReadJson(HttpStatusCode.OK);
        classified["results"]!.AsArray().Should().AllSatisfy(r => r!["modelLanguage"]!.GetValue<string>().Should().Be("it"));
        var detected = await (await researcher.PostAsJsonAsync("/api/analysis/classify",
            new { texts = new[] { "Il rimborso non è mai arrivato e nessuno risponde.", "The refund never arrived." } })).ReadJson(HttpStatusCode.OK);
        detected["results"]!.AsArray().Select(r => r!["modelLanguage"]!.GetValue<string>()).Should().Equal("it", "en");
    }

    [Fact]
    public async Task CorrectionsOfItemsOtherLanguagesModelsAnalysedDoNotRetrainTheEnglishModels()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await ImportRuns.Run(workspace.As("researcher"), "mixed.csv", """
            id,text
            en1,The parcel arrived two weeks late and nobody answered my emails.
            pl1,"Paczka dotarła z dwutygodniowym opóźnieniem, a nikt nie odpowiadał na moje maile."
            """, "support-log");
        var author = workspace.As("author");
        foreach (var item in await Evidence(author))
        {
            (await author.PatchAsJsonAsync($"/api/evidence/{item!["id"]}", new { sentiment = "neutral", painPoint = "communication-information" }))
                .StatusCode.Should().Be(HttpStatusCode.OK);
        }
        var preview = await (await author.PostAsJsonAsync("/api/analysis/retrain", new { dryRun = true })).ReadJson(HttpStatusCode.OK);
        preview["examples"]!["sentimentCorrections"]!.GetValue<int>().Should().Be(1, "only the English item teaches the English models");
        preview["examples"]!["painPointCorrections"]!.GetValue<int>().Should().Be(1);

        // A workspace whose only corrections are Polish has nothing to teach the English models.
        var polishOnly = await app.CreateWorkspaceAsync();
        await ImportRuns.Run(polishOnly.As("researcher"), "pl.csv", """
            id,text
            pl1,"Paczka dotarła z dwutygodniowym opóźnieniem, a nikt nie odpowiadał na moje maile."
            """, "support-log");
        var polishAuthor = polishOnly.As("author");
        var polishItem = (await Evidence(polishAuthor)).Single()!;
        (await polishAuthor.PatchAsJsonAsync($"/api/evidence/{polishItem["id"]}", new { sentiment = "neutral" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await polishAuthor.PostAsJsonAsync("/api/analysis/retrain", new { })).ShouldBeProblem(HttpStatusCode.Conflict);
    }

    // An assignment re-queues the map's inbox for the matching worker; on PostgreSQL the next assignment can meet the
    // worker's updates and lose a deadlock, answered 503 + Retry-After (DatabaseUnavailableExceptionHandler): a client
    // repeats it, and so does this test.
    private static async Task<HttpStatusCode> Assign(HttpClient author, string itemId, string touchpointId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var status = (await author.PatchAsJsonAsync($"/api/evidence/{itemId}", new { touchpointId })).StatusCode;
            if (status != HttpStatusCode.ServiceUnavailable || attempt == 5) return status;
            await Task.Delay(200 * attempt);
        }
    }

    private static string Touchpoint(JsonObject map, string name) =>
        map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray()).Single(t => t!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();
}
