using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

public sealed class HostingTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [Fact]
    public async Task HealthIs200WhenTheDatabaseIsReachable()
    {
        var response = await app.CreateClient().GetAsync("/health");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task OpenApiDocumentListsEveryEndpointWithTheBearerSchemeAndExamples()
    {
        var document = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJson(HttpStatusCode.OK);

        var paths = document["paths"]!.AsObject();
        paths.Select(p => p.Key).Should().Contain([
            "/api/maps", "/api/maps/{id}", "/api/maps/{id}/export", "/api/maps/{id}/stages", "/api/maps/{id}/stages/{stageId}",
            "/api/maps/{id}/stages/{stageId}/touchpoints", "/api/maps/{id}/touchpoints/{touchpointId}",
            "/api/keys", "/api/keys/{id}", "/api/workspaces", "/api/workspaces/current"]);
        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().Should().Be("bearer");

        var createMap = paths["/api/maps"]!["post"]!;
        createMap["security"]!.AsArray().Should().NotBeEmpty();
        createMap["responses"]!.AsObject().Select(r => r.Key).Should().Contain(["201", "400", "401", "403"]);
        var example = createMap["requestBody"]!["content"]!["application/json"]!["example"]!;
        example["stages"]!.AsArray().Should().HaveCount(6);
        document["components"]!["schemas"]!.AsObject().Select(s => s.Key).Should().Contain(["MapDocument", "MapResponse", "StageDocument", "TouchpointDocument"]);
    }

    [Fact]
    public async Task OpenApiDescriptionShowsTheAuthorizationHeaderWithoutAnythingReadAsHtml()
    {
        var document = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJson(HttpStatusCode.OK);
        var description = document["info"]!["description"]!.GetValue<string>();
        description.Should().Contain("`Authorization: Bearer YOUR_API_KEY`");
        description.Should().NotContain("<", "Swagger UI renders descriptions as Markdown with HTML, so <key> disappears as a tag");
    }

    [Fact]
    public async Task OpenApiDocumentStatesLicenceTagsPublicOperationsAndSuccessResponses()
    {
        var document = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJson(HttpStatusCode.OK);

        document["info"]!["license"]!["name"]!.GetValue<string>().Should().Be("MIT");
        document["servers"]!.AsArray().Should().OnlyContain(s => !s!["url"]!.GetValue<string>().EndsWith('/'));
        document["tags"]!.AsArray().Should().NotBeEmpty()
            .And.OnlyContain(t => !string.IsNullOrWhiteSpace((string?)t!["description"]), "every tag says what its operations are for");

        var operations = document["paths"]!.AsObject().Concat(document["webhooks"]!.AsObject())
            .SelectMany(path => path.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (Name: $"{o.Key.ToUpperInvariant()} {path.Key}", Operation: o.Value!)))
            .ToList();
        operations.Should().HaveCountGreaterThan(50);
        operations.Where(o => !o.Operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2'))).Select(o => o.Name)
            .Should().BeEmpty("every operation declares its success response");
        operations.Where(o => o.Operation["security"] is null).Select(o => o.Name)
            .Should().BeEmpty("every operation states its security, an empty list when it is public");
        document["paths"]!["/s/{token}"]!["post"]!["security"]!.AsArray().Should().BeEmpty("survey links need no key");
        document["paths"]!["/api/maps"]!["get"]!["security"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        var response = await app.CreateClient().GetAsync("/swagger/index.html");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task UnknownRouteIs404Problem()
    {
        await (await app.BootstrapClient().GetAsync("/api/nothing-here")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongContentTypeIs415Problem()
    {
        var response = await app.BootstrapClient().PostAsync("/api/maps", new StringContent("name=x", Encoding.UTF8, "text/plain"));
        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task WrongJsonTypeIs400NamingTheField()
    {
        var response = await app.BootstrapClient().PostAsync("/api/maps", new StringContent("""{"name":5}""", Encoding.UTF8, "application/json"));
        await response.ShouldNameField("$.name");
    }

    [Fact]
    public async Task EmptyBodyIs400Problem()
    {
        var response = await app.BootstrapClient().PostAsync("/api/maps", new StringContent("", Encoding.UTF8, "application/json"));
        await response.ShouldBeProblem(HttpStatusCode.BadRequest);
    }
}

public sealed class LimitsTests : IDisposable
{
    private readonly ConfiguredApp _app = new(new Dictionary<string, string?>
    {
        ["Limits:MaxJsonBodyBytes"] = "4096",
        ["RateLimits:Api:PermitLimit"] = "5",
        ["RateLimits:Api:WindowSeconds"] = "60",
    });

    [Fact]
    public async Task OversizeJsonBodyIs413ProblemAndStoresNothing()
    {
        var map = SampleMaps.Ecommerce(); // ~9 KB
        var client = _app.BootstrapClient();
        var problem = await (await client.PostAsJsonAsync("/api/maps", map)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        problem["detail"]!.GetValue<string>().Should().Contain("4096");
        (await client.GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task TooManyRequestsPerKeyIs429WithRetryAfter()
    {
        var workspace = await _app.CreateWorkspaceAsync(); // uses its own keys' budgets, not the viewer's below
        var viewer = workspace.As("viewer");
        for (var i = 0; i < 5; i++) (await viewer.GetAsync("/api/maps")).StatusCode.Should().Be(HttpStatusCode.OK);

        var limited = await viewer.GetAsync("/api/maps");
        await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 60);
        (await workspace.As("author").GetAsync("/api/maps")).StatusCode.Should().Be(HttpStatusCode.OK, "limits are per key");
    }

    public void Dispose() => _app.Dispose();
}
