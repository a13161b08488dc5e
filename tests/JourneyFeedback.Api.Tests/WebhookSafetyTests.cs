using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests;

/// <summary>What the API refuses to call (SSRF), at subscription time and at delivery time, and the body cap.</summary>
public sealed class WebhookSafetyTests(StrictWebhooksApp strict) : IClassFixture<StrictWebhooksApp>
{
    [Theory]
    [InlineData("http://hooks.example.com/in")]
    [InlineData("https://127.0.0.1/in")]
    [InlineData("https://127.8.9.10:8443/in")]
    [InlineData("https://localhost/in")]
    [InlineData("https://api.localhost/in")]
    [InlineData("https://[::1]/in")]
    [InlineData("https://[::ffff:127.0.0.1]/in")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.1.2.3/in")]
    [InlineData("https://172.16.0.9/in")]
    [InlineData("https://192.168.1.20/in")]
    [InlineData("https://100.100.100.200/in")]
    [InlineData("https://[fd00:ec2::254]/in")]
    [InlineData("https://[fe80::1]/in")]
    [InlineData("https://0.0.0.0/in")]
    [InlineData("https://user:pass@hooks.example.com/in")]
    public async Task InternalOrUnsafeTargetsAreRefusedByDefault(string url)
    {
        var admin = (await strict.CreateWorkspaceAsync()).As("admin");
        await (await admin.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = new[] { "survey.answered" } })).ShouldNameField("url");
        (await admin.GetFromJsonAsync<JsonArray>("/api/webhooks"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task APublicHttpsTargetIsAccepted()
    {
        var admin = (await strict.CreateWorkspaceAsync()).As("admin");
        // A literal public address: no DNS needed (this machine may have none).
        (await admin.PostAsJsonAsync("/api/webhooks", new { url = "https://93.184.215.14/hooks", eventTypes = new[] { "survey.answered" } }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ATargetThatResolvesInwardsAtDeliveryTimeIsRefusedThenAndNothingIsSent()
    {
        // As if the name had resolved outwards when it was saved: the row is written past the API's checks.
        using var app = WebhooksApp.With(new() { ["Webhooks:AllowPrivateTargets"] = "false" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var workspace = await app.CreateWorkspaceAsync();
        var subscription = new WebhookSubscription
        {
            WorkspaceId = workspace.Id, Url = receiver.Url.Replace("127.0.0.1", "localhost") + "/in", EventTypes = ["survey.answered"],
            Secret = WebhookSignature.NewSecret(),
        };
        await app.WithDb(async db =>
        {
            db.WebhookSubscriptions.Add(subscription);
            return await db.SaveChangesAsync();
        });
        var admin = workspace.As("admin");
        (await admin.PostAsync($"/api/webhooks/{subscription.Id}/test", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var log = await admin.WaitForDeliveries(subscription.Id.ToString(), l => l.Count == 1 && l[0]!["lastError"] is not null);
        log[0]!["lastError"]!.GetValue<string>().Should().StartWith("Refused:").And.Contain("loopback");
        log[0]!["lastStatusCode"].Should().BeNull();
        receiver.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task ABodyOverTheCapIsCutAndStillSigned()
    {
        using var app = WebhooksApp.With(new() { ["Webhooks:MaxBodyBytes"] = "2048" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = (await app.CreateWorkspaceAsync()).As("admin");
        var (_, secret) = await admin.Subscribe(new { url = receiver.Url, eventTypes = new[] { "survey.detractor" } });
        var (_, tokens) = await admin.SurveyWithLinks("nps", new { customerId = "c-1", externalRef = "chat-1" });
        var comment = string.Concat(Enumerable.Repeat("The parcel never came and nobody answered my emails. ", 100))[..4900];
        await app.CreateClient().Answer(tokens[0], new { score = 0, comment });

        var got = (await receiver.WaitForAsync(r => r.Count == 1)).Single();
        Encoding.UTF8.GetByteCount(got.Body).Should().BeLessThanOrEqualTo(2048);
        var data = JsonNode.Parse(got.Body)!["data"]!;
        data["truncated"]!.GetValue<bool>().Should().BeTrue();
        data["comment"]!.GetValue<string>().Length.Should().BeLessThan(comment.Length);
        data["externalRef"]!.GetValue<string>().Should().Be("chat-1", "short fields stay");
        StandardWebhooksVerifier.Verify(secret, got.Id, got.Timestamp, got.Signature, got.Body, DateTimeOffset.UtcNow).Should().BeTrue();
    }
}
