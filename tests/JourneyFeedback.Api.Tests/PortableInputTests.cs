using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// Text that one engine could store and the other could not (PostgreSQL refuses U+0000 in text) is answered the same way
/// on both: a clear 4xx naming the field, or a rejected row, never a 500 or a stored value on one engine only.
/// </summary>
public sealed class PortableInputTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [Theory]
    [InlineData("name")]
    [InlineData("goal")]
    public async Task ANulCharacterInAJsonFieldIs400NamingIt(string field)
    {
        var map = SampleMaps.Small();
        map[field] = "Checkout\u0000journey";
        var response = await app.BootstrapClient().PostAsJsonAsync("/api/maps", map);
        await response.ShouldNameField($"$.{field}");
    }

    [Fact]
    public async Task ANulCharacterInADictionaryKeyIs400()
    {
        var map = SampleMaps.Small();
        map["persona"]!["demographics"] = new JsonObject { ["ag\u0000e"] = "29" };
        var response = await app.BootstrapClient().PostAsJsonAsync("/api/maps", map);
        await response.ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ALoneSurrogateEscapeIs400NotA500()
    {
        var body = SampleMaps.Small().ToJsonString().Replace("\"Checkout journey\"", "\"Checkout \\ud800 journey\"", StringComparison.Ordinal);
        var response = await app.BootstrapClient().PostAsync("/api/maps", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldNameField("$.name");
    }

    [Fact]
    public async Task ANulCharacterInTheQueryStringIs400()
    {
        var response = await app.BootstrapClient().GetAsync("/api/evidence?q=late%00parcel");
        await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        (await app.BootstrapClient().GetAsync("/api/evidence?q=late%20parcel")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ANulCharacterInASurveyAnswerIs422NamingTheField()
    {
        var client = app.BootstrapClient();
        var survey = await (await client.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "NPS" })).ReadJson(HttpStatusCode.Created);
        var token = (await (await client.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients = new[] { new { externalRef = "n-1" } } }))
            .ReadJson(HttpStatusCode.Created))["invitations"]![0]!["token"]!.GetValue<string>();

        var json = await client.PostAsync($"/s/{token}", new StringContent("""{"score":9,"comment":"fine\u0000"}""", Encoding.UTF8, "application/json"));
        await json.ShouldNameField("comment", HttpStatusCode.UnprocessableEntity);
        var form = await client.PostAsync($"/s/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "9", ["comment"] = "fine\0" }));
        await form.ShouldBeProblem(HttpStatusCode.BadRequest); // the framework's form reader refuses NUL itself

        (await client.PostAsync($"/s/{token}", new StringContent("""{"score":9,"comment":"fine"}""", Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.Created, "the invalid attempts stored nothing");
    }

    [Fact]
    public async Task ACsvRowWithANulCharacterIsRejectedAndTheOthersImported()
    {
        // NUL bytes make a UTF-8 file binary (refused whole); in UTF-16 a NUL character is one bad row.
        var csv = "id,text\nnul-1,The parcel was late\nnul-2,Broken\u0000lid\nnul-3,Refund took a month\n";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(csv)).ToArray();
        var final = await ImportRuns.Run(app.BootstrapClient(), "reviews.csv", bytes, "review");

        final["status"]!.GetValue<string>().Should().Be("succeeded", final.ToJsonString());
        final["imported"]!.GetValue<long>().Should().Be(2);
        final["rejected"]!.GetValue<long>().Should().Be(1);
        var rejected = final["firstRejectedRows"]!.AsArray().Should().ContainSingle().Subject!;
        rejected["line"]!.GetValue<long>().Should().Be(3);
        rejected["reason"]!.GetValue<string>().Should().Contain("NUL");
    }

    [Fact]
    public async Task AnUploadFileNameWithControlCharactersIsStoredWithoutThem()
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("id,text\nname-1,The parcel was late\n"));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "reviews.csv");
        file.Headers.ContentDisposition!.FileNameStar = "rev\u0000iews.csv";
        form.Add(new StringContent("review"), "kind");
        var accepted = await (await app.BootstrapClient().PostAsync("/api/imports", form)).ReadJson(HttpStatusCode.Accepted);
        var final = await ImportRuns.WaitUntilFinished(app.BootstrapClient(), accepted["id"]!.GetValue<string>());
        final["fileName"]!.GetValue<string>().Should().Be("reviews.csv");
    }
}
