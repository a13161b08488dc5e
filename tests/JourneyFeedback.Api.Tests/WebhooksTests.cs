using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

public sealed class WebhooksTests : IClassFixture<WebhooksApp>, IAsyncLifetime
{
    private readonly WebhooksApp _app;
    private WebhookReceiver _receiver = null!;

    public WebhooksTests(WebhooksApp app) => _app = app;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task ADetractorReachesTheReceiverSignedAsTheSpecificationSays()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var admin = workspace.As("admin");
        var (_, secret) = await admin.Subscribe(new
        {
            url = _receiver.Url + "/hooks/helpdesk",
            eventTypes = new[] { "survey.answered", "survey.detractor" },
            description = "Detractors to the help desk",
        });
        secret.Should().StartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.Should().BeGreaterThanOrEqualTo(24);

        var (_, tokens) = await admin.SurveyWithLinks("nps", new { customerId = "cust-42", externalRef = "chat-981", metadata = new { agent = "Ola", chatId = "c-77" } });
        var token = tokens[0];
        (await _app.CreateClient().PostAsJsonAsync($"/s/{token}", new { score = 3, comment = "Waited 40 minutes and the agent closed the chat." }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var received = await _receiver.WaitForAsync(r => r.Count >= 2);
        received.Should().HaveCount(2);
        foreach (var request in received)
        {
            StandardWebhooksVerifier.Verify(secret, request.Id, request.Timestamp, request.Signature, request.Body, DateTimeOffset.UtcNow)
                .Should().BeTrue(request.Body);
            request.Id.Should().StartWith("msg_");
            request.ContentType.Should().StartWith("application/json");
            var body = JsonNode.Parse(request.Body)!;
            body["id"]!.GetValue<string>().Should().Be(request.Id);
            body["workspaceId"]!.GetValue<string>().Should().Be(workspace.Id.ToString());
        }
        var detractor = JsonNode.Parse(received.Single(r => r.Body.Contains("\"survey.detractor\"")).Body)!;
        detractor["severity"]!.GetValue<string>().Should().Be("high");
        var data = detractor["data"]!;
        data["score"]!.GetValue<int>().Should().Be(3);
        data["comment"]!.GetValue<string>().Should().Contain("40 minutes");
        data["customerId"]!.GetValue<string>().Should().Be("cust-42");
        data["externalRef"]!.GetValue<string>().Should().Be("chat-981");
        data["metadata"]!["agent"]!.GetValue<string>().Should().Be("Ola");
        data["metadata"]!["chatId"]!.GetValue<string>().Should().Be("c-77");
        data["links"]!["survey"]!.GetValue<string>().Should().StartWith("/api/surveys/");
        received.Select(r => r.Id).Distinct().Should().HaveCount(2, "two events, two messages");
    }
}

public sealed class WebhooksOpenApiTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEventWithItsBodyAndHeaders()
    {
        var document = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJson(HttpStatusCode.OK);
        var webhooks = document["webhooks"]!.AsObject();
        webhooks.Select(w => w.Key).Should().BeEquivalentTo("survey.answered", "survey.detractor", "import.completed", "import.failed",
            "painpoint.emerged", "painpoint.spiked", "map.inbox.grew", "webhook.test");
        var detractor = webhooks["survey.detractor"]!["post"]!;
        detractor["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Should().Equal("webhook-id", "webhook-timestamp", "webhook-signature");
        var reference = detractor["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        schema["properties"]!.AsObject().Select(p => p.Key).Should().Contain(["id", "type", "timestamp", "occurredAt", "workspaceId", "data"]);
        schema["properties"]!["data"]!["properties"]!.AsObject().Select(p => p.Key).Should().Contain(["customerId", "externalRef", "metadata", "comment", "score", "links"]);
        var painPoint = document["components"]!["schemas"]!["WebhookEventOfPainPointData"]!["properties"]!["data"]!["properties"]!.AsObject();
        painPoint.Select(p => p.Key).Should().Contain(["currentCount", "previousCount", "pValue", "quotes"]);
    }
}
