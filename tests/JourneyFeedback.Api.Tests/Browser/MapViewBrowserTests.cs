using System.Net;
using System.Net.Http.Json;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests.Browser;

/// <summary>The map view renders in headless Chromium as the self-contained page an author saves or shares.</summary>
public sealed class MapViewBrowserTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [BrowserFact]
    public async Task TheMapViewRendersWithoutConsoleErrors()
    {
        var workspace = await app.CreateWorkspaceAsync("Map view");
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        await ImportRuns.Run(workspace.As("researcher"), "support-log.csv", File.ReadAllText(ImportRuns.Sample("support-log.csv")), "support-log",
            new() { ["mapId"] = mapId });
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "Post-chat", mapId,
            touchpointId = map["stages"]![2]!["touchpoints"]![1]!["id"]!.GetValue<string>(),
        })).ReadJson(HttpStatusCode.Created);
        survey["id"].Should().NotBeNull();

        var html = await workspace.As("viewer").GetStringAsync($"/api/maps/{mapId}/view");
        // Saved as a file, as an author would keep it: the page must not need the server (or anything else) to render.
        var file = Path.Combine(Path.GetTempPath(), $"journeyfeedback-map-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, html);
        try
        {
            await using var browser = await ChromiumDriver.StartAsync(1400, 900);
            await browser.NavigateAsync(new Uri(file));
            (await browser.TitleAsync()).Should().StartWith(map["name"]!.GetValue<string>());
            (await browser.TextAsync("h1")).Should().Be(map["name"]!.GetValue<string>());
            var stages = await browser.ExecuteAsync("return document.querySelectorAll('section.stage').length");
            stages!.GetValue<int>().Should().Be(map["stages"]!.AsArray().Count);
            var curve = await browser.ExecuteAsync("return document.querySelector('svg').getBoundingClientRect().width");
            curve!.GetValue<double>().Should().BeGreaterThan(100, "the emotion curve is drawn");
            var screenshot = await browser.ScreenshotAsync();
            screenshot.Should().StartWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }).And.HaveCountGreaterThan(5000);
            (await browser.ConsoleErrorsAsync()).Should().BeEmpty("the map view must load without console errors");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [BrowserFact]
    public async Task ThePathDiagramAndTheFunnelRenderWithBackwardMovesVisible()
    {
        var workspace = await app.CreateWorkspaceAsync("Path diagram");
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small());
        var mapId = map["id"]!.GetValue<string>();
        // Two customers go website → checkout; one of them goes back to the website (a backward move), one stops.
        await ImportRuns.Run(workspace.As("researcher"), "events.csv", """
            user_id,event_name,page_url,timestamp
            a,page_view,/products/1,2026-10-01T10:00:00Z
            a,page_view,/checkout,2026-10-01T10:05:00Z
            a,page_view,/products/2,2026-10-01T10:09:00Z
            b,page_view,/products/3,2026-10-02T10:00:00Z
            b,page_view,/checkout,2026-10-02T10:02:00Z
            c,page_view,/products/3,2026-10-03T10:00:00Z
            """, "events");
        (await workspace.As("author").PutAsJsonAsync($"/api/maps/{mapId}/event-rules", new
        {
            rules = new object[] { new { touchpoint = "Website", urlPath = "/products/*" }, new { touchpoint = "Checkout", urlPath = "/checkout" } },
        })).StatusCode.Should().Be(HttpStatusCode.OK);

        var html = await workspace.As("viewer").GetStringAsync($"/api/maps/{mapId}/view");
        var file = Path.Combine(Path.GetTempPath(), $"journeyfeedback-paths-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, html);
        try
        {
            await using var browser = await ChromiumDriver.StartAsync(1400, 900);
            await browser.NavigateAsync(new Uri(file));
            var width = await browser.ExecuteAsync("return document.querySelector('svg.paths').getBoundingClientRect().width");
            width!.GetValue<double>().Should().BeGreaterThan(100, "the path diagram is drawn");
            (await browser.ExecuteAsync("return document.querySelectorAll('svg.paths rect.node').length"))!.GetValue<int>()
                .Should().Be(2, "Website and Checkout have contacts");
            (await browser.ExecuteAsync("return document.querySelectorAll('svg.paths path.backward').length"))!.GetValue<int>()
                .Should().Be(1, "checkout → website goes back a stage");
            (await browser.ExecuteAsync("return document.querySelectorAll('#funnel .step').length"))!.GetValue<int>()
                .Should().Be(2, "the funnel runs through the map's two stages");
            (await browser.TextAsync("#funnel")).Should().Contain("stopped here");
            var screenshot = await browser.ScreenshotAsync();
            screenshot.Should().StartWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }).And.HaveCountGreaterThan(5000);
            (await browser.ConsoleErrorsAsync()).Should().BeEmpty("the map view must load without console errors");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
