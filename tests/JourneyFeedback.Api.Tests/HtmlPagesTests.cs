using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>The server-rendered pages (map view, survey form) show untrusted text as text: encoded, never as markup.</summary>
public sealed class HtmlPagesTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    // A script element, and a break-out of a quoted attribute value into a new element with an event handler.
    private const string Hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

    [Fact]
    public async Task HostileTextInAMapAndItsEvidenceIsEncodedInTheMapView()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var document = SampleMaps.Small();
        document["name"] = "Checkout " + Hostile;
        document["persona"]!["name"] = "Ana " + Hostile;
        var purchase = document["stages"]![1]!;
        purchase["name"] = "Purchase " + Hostile;
        purchase["lanes"]!["painPoints"] = new JsonArray("Card declined " + Hostile);
        purchase["touchpoints"]![0]!["name"] = "Checkout " + Hostile;
        var map = await SampleMaps.CreateAsync(workspace.As("author"), document);
        var mapId = map["id"]!.GetValue<string>();
        const string complaint = "The checkout rejected my card payment twice, terrible and frustrating " + Hostile;
        await ImportRuns.Run(workspace.As("researcher"), "reviews.csv", $"id,text\nr1,\"{complaint.Replace("\"", "\"\"")}\"\n", "review",
            new() { ["mapId"] = mapId });

        var response = await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/view");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("text/html; charset=utf-8");
        var html = await response.Content.ReadAsStringAsync();

        ShouldShowOnlyAsText(html, "Checkout " + Hostile, "Ana " + Hostile, "Purchase " + Hostile, "Card declined " + Hostile, complaint);
        html.Should().Contain("<blockquote>", "the complaint is shown as a quote of its pain point");
    }

    [Fact]
    public async Task HostileTextInASurveyAndInARefusedAnswerIsEncodedInTheSurveyForm()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new
        {
            type = "attribution", name = "Hello " + Hostile, question = "Where did you hear about us? " + Hostile,
            options = new[] { new { id = "tv", label = "TV " + Hostile } },
        })).ReadJson(HttpStatusCode.Created);
        var invited = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = "r-1" } } })).ReadJson(HttpStatusCode.Created);
        var token = invited["invitations"]![0]!["token"]!.GetValue<string>();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var form = await client.GetAsync($"/s/{token}");
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        form.Content.Headers.ContentType!.ToString().Should().Be("text/html; charset=utf-8");
        ShouldShowOnlyAsText(await form.Content.ReadAsStringAsync(), "Hello " + Hostile, "Where did you hear about us? " + Hostile, "TV " + Hostile);

        // An unknown option is refused, and its error message quotes it; the form comes back with what was typed: the
        // comment as the textarea's text, the other-text inside a quoted value attribute.
        var refused = await client.PostAsync($"/s/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["option"] = "radio" + Hostile, ["other"] = "a friend " + Hostile, ["comment"] = "typed " + Hostile,
        }));
        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var page = await refused.Content.ReadAsStringAsync();
        // The message quotes the option shortened to 40 characters.
        ShouldShowOnlyAsText(page, "Unknown option 'radio<script>alert(1)</script>\"><img", "a friend " + Hostile, "typed " + Hostile);
        page.Should().Contain("role=\"alert\"");
    }

    /// <summary>Every text is on the page once decoded, and nothing of it became an element or an attribute.</summary>
    private static void ShouldShowOnlyAsText(string html, params string[] texts)
    {
        html.Should().NotContainEquivalentOf("<script", "no script element comes from the data (the pages have none of their own)")
            .And.NotContainEquivalentOf("<img", "a quote in the data must not close an attribute value and open an element");
        var shown = WebUtility.HtmlDecode(html);
        foreach (var text in texts) shown.Should().Contain(text);
    }
}
