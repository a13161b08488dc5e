using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace JourneyFeedback.Api.Tests.Browser;

/// <summary>End to end: a customer answers an NPS invitation in headless Chromium, and the answer shows up in the results.</summary>
public sealed class SurveyBrowserTests(KestrelJourneyFeedbackApp app, ITestOutputHelper output) : IClassFixture<KestrelJourneyFeedbackApp>
{
    [BrowserFact]
    public async Task CustomerAnswersAnNpsInvitationInTheBrowser()
    {
        var clock = Stopwatch.StartNew();
        var workspace = await app.CreateWorkspaceAsync("Browser test");
        var created = await workspace.As("author").PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat NPS" });
        var survey = await created.ReadJson(HttpStatusCode.Created);
        var surveyId = survey["id"]!.GetValue<string>();
        var invited = await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{surveyId}/invitations",
            new { recipients = new[] { new { externalRef = "chat-1", customerId = "c-1" } } });
        var invitation = (await invited.ReadJson(HttpStatusCode.Created))["invitations"]![0]!;
        var url = new Uri(invitation["url"]!.GetValue<string>());
        url.Host.Should().Be("127.0.0.1", "the invitation link must point at the Kestrel server the browser can reach");

        const string comment = "Quick and friendly help in the chat.";
        await using (var browser = await ChromiumDriver.StartAsync())
        {
            await browser.NavigateAsync(url);
            (await browser.TitleAsync()).Should().Be("Post-chat NPS");

            // The radio input is visually hidden; customers click the visible score "button", a span inside its label.
            await browser.ClickAsync("input[name=score][value='9'] + span");
            var chosen = await browser.ExecuteAsync("return document.querySelector('input[name=score]:checked')?.value ?? null");
            (chosen?.GetValue<string>()).Should().Be("9", "clicking the score button selects that score");
            await browser.TypeAsync("textarea#comment", comment);
            await browser.ClickAsync("button[type=submit]");

            await ChromiumDriver.WaitUntilAsync(async () => (await browser.TitleAsync()) == "Thank you!", "the thank-you page");
            (await browser.TextAsync("main p")).Should().Contain("Your answer has been recorded");
            (await browser.ScreenshotAsync()).Should().StartWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }).And.HaveCountGreaterThan(1000);
            (await browser.ConsoleErrorsAsync()).Should().BeEmpty("the survey page should load and submit without console errors");
        }

        // The answer goes through the background group-commit writer: poll (bounded) until it is counted.
        JsonObject results = null!;
        await ChromiumDriver.WaitUntilAsync(async () =>
        {
            results = await (await workspace.As("viewer").GetAsync($"/api/surveys/{surveyId}/results")).ReadJson(HttpStatusCode.OK);
            return results["answered"]!.GetValue<int>() > 0;
        }, "the answer to appear in the results");

        results["invited"]!.GetValue<int>().Should().Be(1);
        results["answered"]!.GetValue<int>().Should().Be(1);
        var nps = results["overall"]?["nps"];
        nps.Should().NotBeNull("the NPS answer must be counted in the results: {0}", results.ToJsonString());
        nps!["responses"]!.GetValue<int>().Should().Be(1);
        nps["promoters"]!.GetValue<int>().Should().Be(1, "9 is a promoter score");
        nps["score"]!.GetValue<double>().Should().Be(100);

        var feedback = await app.WithDb(db => db.FeedbackItems.AsNoTracking()
            .Where(f => f.SurveyId == Guid.Parse(surveyId)).ToListAsync());
        feedback.Should().ContainSingle().Which.Should().Match<Evidence.FeedbackItem>(f =>
            f.Text == comment && f.Rating == 9 && f.CustomerId == "c-1" && f.InvitationRef == "chat-1");

        output.WriteLine($"Browser test took {clock.Elapsed.TotalSeconds:0.0} s against {app.BaseAddress}");
    }

    [BrowserFact]
    public async Task TheElevenNpsButtonsAreLaidOutEvenlyOnAPhone()
    {
        var workspace = await app.CreateWorkspaceAsync("NPS layout");
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Layout NPS" })).ReadJson(HttpStatusCode.Created);
        var invited = await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = "layout-1" } } });
        var url = new Uri((await invited.ReadJson(HttpStatusCode.Created))["invitations"]![0]!["url"]!.GetValue<string>());
        const string measure = """
            return [...document.querySelectorAll('.scale label')].map(l => {
              const r = l.getBoundingClientRect();
              return { top: Math.round(r.top), width: r.width };
            });
            """;

        // One browser, laid out as two phones: the window itself cannot be narrower than 500 px.
        await using var browser = await ChromiumDriver.StartAsync();
        async Task<JsonArray> LayOutAt(int width)
        {
            await browser.EmulateViewportAsync(width, 900);
            await browser.NavigateAsync(url);
            (await browser.ExecuteAsync("return document.documentElement.clientWidth"))!.GetValue<int>().Should().Be(width);
            return (await browser.ExecuteAsync(measure))!.AsArray();
        }

        // A 420-px phone: one row of eleven equal buttons (before, 0–7 filled a row and 8, 9, 10 stretched across the next).
        var phone = await LayOutAt(420);
        phone.Should().HaveCount(11);
        phone.Select(c => c!["top"]!.GetValue<int>()).Distinct().Should().ContainSingle("all eleven buttons sit on one row");
        var widths = phone.Select(c => c!["width"]!.GetValue<double>()).ToList();
        (widths.Max() - widths.Min()).Should().BeLessThan(1, "every button is as wide as the others");
        widths.Min().Should().BeGreaterThanOrEqualTo(24, "each stays a usable touch target");

        // A very narrow screen: two rows of equal cells, 6 + 5.
        var narrow = await LayOutAt(320);
        narrow.GroupBy(c => c!["top"]!.GetValue<int>()).Select(row => row.Count()).Should().Equal(6, 5);
        widths = narrow.Select(c => c!["width"]!.GetValue<double>()).ToList();
        (widths.Max() - widths.Min()).Should().BeLessThan(1);
        (await browser.ConsoleErrorsAsync()).Should().BeEmpty();
    }
}
