using System.Net;
using System.Net.Http.Json;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests.Browser;

/// <summary>A share link opened in headless Chromium, as whoever receives it would: no API key, no Authorization header.</summary>
public sealed class SharedMapBrowserTests(KestrelJourneyFeedbackApp app) : IClassFixture<KestrelJourneyFeedbackApp>
{
    [BrowserFact]
    public async Task TheSharedViewRendersInTheBrowserWithoutAKeyOrConsoleErrors()
    {
        var workspace = await app.CreateWorkspaceAsync("Shared view");
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        var name = map["name"]!.GetValue<string>();
        await ImportRuns.Run(workspace.As("researcher"), "support-log.csv", File.ReadAllText(ImportRuns.Sample("support-log.csv")), "support-log",
            new() { ["mapId"] = mapId });
        var share = await (await workspace.As("author").PostAsJsonAsync($"/api/maps/{mapId}/shares", new { name = "For the board" }))
            .ReadJson(HttpStatusCode.Created);
        var url = new Uri(share["url"]!.GetValue<string>());
        url.Host.Should().Be("127.0.0.1", "the link must point at the Kestrel server the browser can reach");

        string csvLink;
        await using (var browser = await ChromiumDriver.StartAsync(1400, 900))
        {
            await browser.NavigateAsync(url);
            (await browser.TitleAsync()).Should().StartWith(name);
            (await browser.TextAsync("h1")).Should().Be(name);
            (await browser.ExecuteAsync("return document.querySelectorAll('section.stage').length"))!.GetValue<int>()
                .Should().Be(map["stages"]!.AsArray().Count);
            (await browser.ExecuteAsync("return document.querySelector('svg').getBoundingClientRect().width"))!.GetValue<double>()
                .Should().BeGreaterThan(100, "the emotion curve is drawn (inline SVG and styles are allowed by the page's policy)");
            (await browser.TextAsync("#downloads")).Should().Contain("CSV").And.Contain("Markdown");
            csvLink = (await browser.ExecuteAsync("return document.querySelector('#downloads a').href"))!.GetValue<string>();
            (await browser.ScreenshotAsync()).Should().StartWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }).And.HaveCountGreaterThan(5000);
            (await browser.ConsoleErrorsAsync()).Should().BeEmpty("the shared view must load without console errors");
        }

        // The page's download link works with nothing but the link itself.
        csvLink.Should().Be($"{url}/export?format=csv");
        using var anonymous = new HttpClient();
        var csv = await anonymous.GetAsync(csvLink);
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        (await csv.Content.ReadAsStringAsync()).Should().StartWith("stage,touchpoint,");
    }
}
