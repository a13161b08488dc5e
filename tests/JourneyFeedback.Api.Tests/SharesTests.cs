using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>Share links: authors create read-only links to a map's view; anyone with the link sees it without an API key.</summary>
public sealed class SharesTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private const string ChatOnly = "channel = chat";

    private sealed record SharedMap(TestWorkspace Workspace, string MapId, string Name);

    /// <summary>The small sample map with a support log on it (chat, e-mail and phone tickets), matched.</summary>
    private async Task<SharedMap> MapWithEvidence(string name)
    {
        var workspace = await app.CreateWorkspaceAsync(name);
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small(name));
        var mapId = map["id"]!.GetValue<string>();
        await ImportRuns.Run(workspace.As("researcher"), "support-log.csv", File.ReadAllText(ImportRuns.Sample("support-log.csv")), "support-log",
            new() { ["mapId"] = mapId });
        // Matching runs in the background: wait (bounded) until every item is placed, so every read below sees the same evidence.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Insights(workspace, mapId))["pendingMatching"]!.GetValue<int>() > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The map's items were not matched in time.");
            await Task.Delay(50);
        }
        return new SharedMap(workspace, mapId, name);
    }

    private static async Task<JsonObject> Insights(TestWorkspace workspace, string mapId, string? segment = null) =>
        await (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights" + (segment is null ? "" : $"?segment={Uri.EscapeDataString(segment)}")))
            .ReadJson(HttpStatusCode.OK);

    private static async Task<JsonObject> Share(HttpClient client, string mapId, object? body = null)
    {
        var response = body is null ? await client.PostAsync($"/api/maps/{mapId}/shares", null) : await client.PostAsJsonAsync($"/api/maps/{mapId}/shares", body);
        return await response.ReadJson(HttpStatusCode.Created);
    }

    /// <summary>A browser's request: no Authorization header at all.</summary>
    private HttpClient Anonymous() => app.CreateClient();

    private static string Token(JsonObject share) => share["token"]!.GetValue<string>();

    [Fact]
    public async Task AuthorCreatesListsAndRevokesALinkWhoseTokenIsStoredOnlyAsAHash()
    {
        var shared = await MapWithEvidence("Create list revoke");
        var author = shared.Workspace.As("author");

        var response = await author.PostAsJsonAsync($"/api/maps/{shared.MapId}/shares", new { name = "For the board" });
        var share = await response.ReadJson(HttpStatusCode.Created);
        var token = Token(share);
        token.Should().MatchRegex("^[A-Za-z0-9_-]{43}$", "256 random bits, URL-safe");
        share["url"]!.GetValue<string>().Should().EndWith($"/v/{token}");
        response.Headers.Location!.ToString().Should().EndWith($"/v/{token}");
        share["name"]!.GetValue<string>().Should().Be("For the board");
        share["expiresAt"].Should().BeNull();
        share["segment"].Should().BeNull();
        var second = await Share(shared.Workspace.As("admin"), shared.MapId);
        Token(second).Should().NotBe(token);

        // Only the SHA-256 of the token is in the database: a copy of the table opens nothing.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var stored = await app.WithDb(db => db.Shares.AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(share["id"]!.GetValue<string>())));
        stored.TokenHash.Should().Be(hash);
        new[] { stored.TokenHash, stored.Name, stored.Segment }.Should().NotContain(token);

        var listed = await (await shared.Workspace.As("viewer").GetAsync($"/api/maps/{shared.MapId}/shares")).ReadJsonArray(HttpStatusCode.OK);
        listed.Select(s => s!["id"]!.GetValue<string>()).Should().Equal(second["id"]!.GetValue<string>(), share["id"]!.GetValue<string>());
        listed.Should().AllSatisfy(s => s!.AsObject().ContainsKey("token").Should().BeFalse());
        listed.ToJsonString().Should().NotContain(token);
        listed[1]!["createdBy"]!.GetValue<string>().Should().Be(share["createdBy"]!.GetValue<string>());

        (await Anonymous().GetAsync($"/v/{token}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await author.DeleteAsync($"/api/maps/{shared.MapId}/shares/{share["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await author.DeleteAsync($"/api/maps/{shared.MapId}/shares/{share["id"]}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var remaining = await (await author.GetAsync($"/api/maps/{shared.MapId}/shares")).ReadJsonArray(HttpStatusCode.OK);
        remaining.Select(s => s!["id"]!.GetValue<string>()).Should().Equal(second["id"]!.GetValue<string>());
        (await Anonymous().GetAsync($"/v/{Token(second)}")).StatusCode.Should().Be(HttpStatusCode.OK, "revoking one link leaves the others");
    }

    [Fact]
    public async Task TheLinkServesTheMapViewWithoutAnyAuthorization()
    {
        var shared = await MapWithEvidence("Shared checkout journey");
        var token = Token(await Share(shared.Workspace.As("author"), shared.MapId));
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization.Should().BeNull();

        var response = await client.GetAsync($"/v/{token}");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("<h1>Shared checkout journey</h1>").And.Contain("Consideration").And.Contain("Checkout").And.Contain("For everyone");
        var items = (await Insights(shared.Workspace, shared.MapId))["items"]!.GetValue<int>();
        items.Should().BeGreaterThan(0);
        html.Should().Contain($"{items} feedback items");
        // The token is in the address: nothing may keep or pass it on.
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("X-Robots-Tag").Single().Should().Contain("noindex");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'");
        // The downloads go through the same link.
        html.Should().Contain($"href=\"/v/{token}/export?format=csv\"").And.Contain($"href=\"/v/{token}/export?format=md\"");
        html.Should().NotContain("/api/maps/");
    }

    [Fact]
    public async Task TheLinksSegmentDecidesWhatTheViewAndTheDownloadsShow()
    {
        var shared = await MapWithEvidence("Segmented share");
        var author = shared.Workspace.As("author");
        var everyone = await Insights(shared.Workspace, shared.MapId);
        var chat = await Insights(shared.Workspace, shared.MapId, ChatOnly);
        chat["items"]!.GetValue<int>().Should().BeGreaterThan(0).And.BeLessThan(everyone["items"]!.GetValue<int>(), "the sample has other channels too");

        var share = await Share(author, shared.MapId, new { segment = "  channel=chat " });
        share["segment"]!.GetValue<string>().Should().Be(ChatOnly, "kept in its canonical form");
        var html = await Anonymous().GetStringAsync($"/v/{Token(share)}");
        html.Should().Contain($"For segment {ChatOnly}").And.Contain($"{chat["items"]} feedback items");

        // The downloads hold the same selection as the authenticated export of that segment.
        var csv = await Anonymous().GetStringAsync($"/v/{Token(share)}/export?format=csv");
        var authenticatedCsv = await shared.Workspace.As("viewer").GetStringAsync($"/api/maps/{shared.MapId}/export?format=csv&segment={Uri.EscapeDataString(ChatOnly)}");
        csv.Should().Be(authenticatedCsv);
        var allRows = (await shared.Workspace.As("viewer").GetStringAsync($"/api/maps/{shared.MapId}/export?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.Should().BeLessThan(allRows.Length);

        // A saved segment is followed by id: the view names it.
        var saved = await (await author.PostAsJsonAsync("/api/segments", new { name = "Chat customers", expression = ChatOnly })).ReadJson(HttpStatusCode.Created);
        var bySaved = await Share(author, shared.MapId, new { segment = saved["id"]!.GetValue<string>() });
        bySaved["segment"]!.GetValue<string>().Should().Be(saved["id"]!.GetValue<string>());
        (await Anonymous().GetStringAsync($"/v/{Token(bySaved)}")).Should().Contain($"For segment Chat customers ({ChatOnly})");

        // Deleting the saved segment stops the link, with the same answer as a revoked one.
        (await author.DeleteAsync($"/api/segments/{saved["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var gone = await (await Anonymous().GetAsync($"/v/{Token(bySaved)}")).ShouldBeProblem(HttpStatusCode.NotFound);
        gone.ToJsonString().Should().NotContain(saved["id"]!.GetValue<string>()).And.NotContain("Segmented share");
    }

    [Fact]
    public async Task TheDownloadsWorkThroughTheLinkAsCsvAndMarkdown()
    {
        var shared = await MapWithEvidence("Downloads map");
        var token = Token(await Share(shared.Workspace.As("author"), shared.MapId));
        var client = Anonymous();

        var csv = await client.GetAsync($"/v/{token}/export?format=csv");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        csv.Content.Headers.ContentDisposition!.FileName.Should().Contain("downloads-map-evidence.csv");
        var viewer = shared.Workspace.As("viewer");
        var csvText = await csv.Content.ReadAsStringAsync();
        csvText.Should().StartWith("stage,touchpoint,").And.Be(await viewer.GetStringAsync($"/api/maps/{shared.MapId}/export?format=csv"));
        csvText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.Should().BeGreaterThan(1);

        var markdown = await client.GetAsync($"/v/{token}/export?format=md");
        markdown.StatusCode.Should().Be(HttpStatusCode.OK);
        markdown.Content.Headers.ContentType!.MediaType.Should().Be("text/markdown");
        (await markdown.Content.ReadAsStringAsync()).Should().StartWith("# Downloads map")
            .And.Be(await viewer.GetStringAsync($"/api/maps/{shared.MapId}/export?format=md"));
        (await client.GetAsync($"/v/{token}/export?format=markdown")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The link reads; it does not hand out the re-importable map document.
        await (await client.GetAsync($"/v/{token}/export?format=json")).ShouldNameField("format");
        await (await client.GetAsync($"/v/{Token(await Share(shared.Workspace.As("author"), shared.MapId))[..^1]}/export?format=csv"))
            .ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheAuthenticatedViewLinksToTheNormalExportWithItsSelection()
    {
        var shared = await MapWithEvidence("Authenticated downloads");
        var html = await shared.Workspace.As("viewer").GetStringAsync($"/api/maps/{shared.MapId}/view?segment={Uri.EscapeDataString(ChatOnly)}");
        html.Should().Contain($"href=\"/api/maps/{shared.MapId}/export?format=csv&amp;segment=channel%20%3D%20chat\"")
            .And.Contain($"href=\"/api/maps/{shared.MapId}/export?format=md&amp;segment=channel%20%3D%20chat\"");
    }

    [Fact]
    public async Task AnExpiredLinkAnswers410AndRevealsNothing()
    {
        var shared = await MapWithEvidence("Expiring map");
        var share = await Share(shared.Workspace.As("author"), shared.MapId, new { expiresAt = DateTime.UtcNow.AddDays(7) });
        DateTimeOffset.Parse(share["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeAfter(DateTimeOffset.UtcNow);
        (await Anonymous().GetAsync($"/v/{Token(share)}")).StatusCode.Should().Be(HttpStatusCode.OK, "not expired yet");

        var id = Guid.Parse(share["id"]!.GetValue<string>());
        await app.WithDb(db => db.Shares.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

        foreach (var path in new[] { $"/v/{Token(share)}", $"/v/{Token(share)}/export?format=csv" })
        {
            var response = await Anonymous().GetAsync(path);
            var problem = await response.ShouldBeProblem(HttpStatusCode.Gone);
            problem.ToJsonString().Should().NotContain("Expiring map").And.NotContain(shared.MapId);
            response.Headers.CacheControl!.NoStore.Should().BeTrue();
        }
    }

    [Fact]
    public async Task RevokedUnknownAndDeletedMapsLinksAnswerTheSame404()
    {
        var shared = await MapWithEvidence("Secret roadmap");
        var author = shared.Workspace.As("author");
        var revoked = await Share(author, shared.MapId);
        (await author.DeleteAsync($"/api/maps/{shared.MapId}/shares/{revoked["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var unknown = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var onDeletedMap = await SampleMaps.CreateAsync(author, SampleMaps.Small("Deleted roadmap"));
        var deletedMapLink = await Share(author, onDeletedMap["id"]!.GetValue<string>());
        (await author.DeleteAsync($"/api/maps/{onDeletedMap["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var answers = new List<string>();
        foreach (var token in new[] { Token(revoked), unknown, "short", Token(deletedMapLink) })
        {
            var problem = await (await Anonymous().GetAsync($"/v/{token}")).ShouldBeProblem(HttpStatusCode.NotFound);
            problem.ToJsonString().Should().NotContain("roadmap").And.NotContain(shared.MapId);
            answers.Add(problem["title"] + "|" + problem["detail"]);
        }
        answers.Distinct().Should().HaveCount(1, "a visitor cannot tell a revoked link from one that never existed");
        (await app.WithDb(db => db.Shares.CountAsync(s => s.MapId == Guid.Parse(onDeletedMap["id"]!.GetValue<string>())))).Should().Be(0);
    }

    [Fact]
    public async Task OnlyAuthorsAndAdminsCreateOrRevokeLinks()
    {
        var shared = await MapWithEvidence("Roles map");
        foreach (var role in new[] { "viewer", "researcher", "agent" })
            await (await shared.Workspace.As(role).PostAsJsonAsync($"/api/maps/{shared.MapId}/shares", new { })).ShouldBeProblem(HttpStatusCode.Forbidden);
        var share = await Share(shared.Workspace.As("author"), shared.MapId);
        await (await shared.Workspace.As("viewer").DeleteAsync($"/api/maps/{shared.MapId}/shares/{share["id"]}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Anonymous().PostAsJsonAsync($"/api/maps/{shared.MapId}/shares", new { })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Anonymous().GetAsync($"/v/{Token(share)}")).StatusCode.Should().Be(HttpStatusCode.OK, "the viewer's attempt revoked nothing");
    }

    [Fact]
    public async Task AnotherWorkspacesMapAndLinksAreNotFound()
    {
        var shared = await MapWithEvidence("Own map");
        var share = await Share(shared.Workspace.As("author"), shared.MapId);
        var other = await app.CreateWorkspaceAsync("Other workspace");

        await (await other.As("author").PostAsJsonAsync($"/api/maps/{shared.MapId}/shares", new { })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await other.As("author").GetAsync($"/api/maps/{shared.MapId}/shares")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await other.As("author").DeleteAsync($"/api/maps/{shared.MapId}/shares/{share["id"]}")).ShouldBeProblem(HttpStatusCode.NotFound);
        // Nor through one of the other workspace's own maps.
        var otherMap = await SampleMaps.CreateAsync(other.As("author"));
        await (await other.As("author").DeleteAsync($"/api/maps/{otherMap["id"]}/shares/{share["id"]}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await Anonymous().GetAsync($"/v/{Token(share)}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidRequestsAre400NamingTheField()
    {
        var shared = await MapWithEvidence("Validation map");
        var author = shared.Workspace.As("author");
        var url = $"/api/maps/{shared.MapId}/shares";

        await (await author.PostAsJsonAsync(url, new { expiresAt = DateTime.UtcNow.AddMinutes(-5) })).ShouldNameField("expiresAt");
        await (await author.PostAsJsonAsync(url, new { segment = "channel ==" })).ShouldNameField("segment");
        await (await author.PostAsJsonAsync(url, new { segment = Guid.NewGuid() })).ShouldNameField("segment");
        await (await author.PostAsJsonAsync(url, new { name = new string('n', 201) })).ShouldNameField("name");
        (await author.PostAsync(url, new StringContent("""{"expires":"2030-01-01"}""", Encoding.UTF8, "application/json"))).StatusCode
            .Should().Be(HttpStatusCode.BadRequest, "an unknown member is refused, not ignored");
        (await author.GetFromJsonAsync<JsonArray>(url))!.Should().BeEmpty("nothing was created by the refused requests");
    }
}

/// <summary>Share links use the same per-address budget as survey links.</summary>
public sealed class SharedViewRateLimitTests : IDisposable
{
    private readonly ConfiguredApp _app = new(new Dictionary<string, string?> { ["RateLimits:Public:PermitLimit"] = "3" });

    [Fact]
    public async Task ShareLinksAndSurveyLinksShareThePublicRateLimit()
    {
        var client = _app.CreateClient();
        (await client.GetAsync("/s/guess-1-aaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/s/guess-2-aaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync($"/v/{new string('a', 43)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var limited = await client.GetAsync($"/v/{new string('b', 43)}");
        await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        (await _app.BootstrapClient().GetAsync("/api/maps")).StatusCode.Should().Be(HttpStatusCode.OK, "the API budget is separate");
    }

    public void Dispose() => _app.Dispose();
}
