using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class WebhookBodyTests
{
    private static readonly DateTime At = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    private static OutboxEvent Answer(string comment, Dictionary<string, string>? metadata = null)
    {
        var surveyId = Guid.NewGuid();
        var data = new SurveyAnswerData(Guid.NewGuid(), surveyId, "Post-chat NPS", "nps", Guid.NewGuid(), 2, true, null, null, comment,
            "cust-42", "chat-981", "chat", metadata ?? new Dictionary<string, string> { ["agent"] = "Ola" }, Guid.NewGuid(), null, At,
            new Dictionary<string, string> { ["survey"] = $"/api/surveys/{surveyId}" });
        return new OutboxEvent(Guid.NewGuid(), WebhookEventTypes.SurveyDetractor, WebhookSeverity.High, At, data, surveyId);
    }

    private static int Bytes(string body) => Encoding.UTF8.GetByteCount(body);

    [Fact]
    public void ABodyWithinTheLimitIsTheWholeEnvelope()
    {
        var e = Answer("Waited 40 minutes.");
        var body = JsonNode.Parse(WebhookBody.Serialize("msg_1", e, 64 * 1024))!;
        body["id"]!.GetValue<string>().Should().Be("msg_1");
        body["type"]!.GetValue<string>().Should().Be("survey.detractor");
        body["timestamp"]!.GetValue<DateTime>().Should().Be(At);
        body["occurredAt"]!.GetValue<DateTime>().Should().Be(At);
        body["workspaceId"]!.GetValue<Guid>().Should().Be(e.WorkspaceId);
        body["severity"]!.GetValue<string>().Should().Be("high");
        body["data"]!["comment"]!.GetValue<string>().Should().Be("Waited 40 minutes.");
        body["data"]!["metadata"]!["agent"]!.GetValue<string>().Should().Be("Ola");
        body["data"]!.AsObject().ContainsKey("truncated").Should().BeFalse();
    }

    [Fact]
    public void ALongCommentIsCutToFitAndMarkedTruncated()
    {
        var e = Answer(new string('a', 20_000));
        var full = WebhookBody.Serialize("msg_1", e, int.MaxValue);
        var body = WebhookBody.Serialize("msg_1", e, 8 * 1024);
        Bytes(full).Should().BeGreaterThan(8 * 1024, "the premise");
        Bytes(body).Should().BeLessThanOrEqualTo(8 * 1024);
        var data = JsonNode.Parse(body)!["data"]!;
        data["truncated"]!.GetValue<bool>().Should().BeTrue();
        data["comment"]!.GetValue<string>().Should().Be(new string('a', 1000) + "…");
        data["customerId"]!.GetValue<string>().Should().Be("cust-42", "short fields stay as they were");
        data["metadata"]!["agent"]!.GetValue<string>().Should().Be("Ola");
    }

    [Fact]
    public void LongStringsInsideMetadataAreCutToo()
    {
        var metadata = new Dictionary<string, string> { ["transcript"] = new string('t', 30_000), ["agent"] = "Ola" };
        var body = WebhookBody.Serialize("msg_1", Answer("short", metadata), 16 * 1024);
        Bytes(body).Should().BeLessThanOrEqualTo(16 * 1024);
        var data = JsonNode.Parse(body)!["data"]!;
        data["metadata"]!["transcript"]!.GetValue<string>().Should().HaveLength(1001);
        data["metadata"]!["agent"]!.GetValue<string>().Should().Be("Ola");
        data["comment"]!.GetValue<string>().Should().Be("short");
    }

    [Fact]
    public void WhenCuttingIsNotEnoughOnlyIdsAndLinksStay()
    {
        // Many long values: each is cut to 1000 characters, and together they are still far over the limit.
        var metadata = Enumerable.Range(0, 50).ToDictionary(i => $"field{i}", i => new string('m', 2000));
        var e = Answer(new string('c', 5000), metadata);
        var body = WebhookBody.Serialize("msg_1", e, 4 * 1024);
        Bytes(body).Should().BeLessThanOrEqualTo(4 * 1024);
        var root = JsonNode.Parse(body)!;
        root["id"]!.GetValue<string>().Should().Be("msg_1", "the envelope stays whole");
        root["type"]!.GetValue<string>().Should().Be("survey.detractor");
        var data = root["data"]!.AsObject();
        data.Select(p => p.Key).Should().BeEquivalentTo("truncated", "answerId", "surveyId", "invitationId", "optionId", "customerId", "mapId", "touchpointId", "links");
        data["truncated"]!.GetValue<bool>().Should().BeTrue();
        data["surveyId"]!.GetValue<Guid>().Should().Be(((SurveyAnswerData)e.Data).SurveyId);
        data["links"]!["survey"]!.GetValue<string>().Should().StartWith("/api/surveys/");
    }

    [Fact]
    public void ACutNeverSplitsACharacterInTwo()
    {
        // An emoji (two UTF-16 units) straddling the 1000th character.
        var comment = new string('a', 999) + "😡" + new string('b', 20_000);
        var body = WebhookBody.Serialize("msg_1", Answer(comment), 8 * 1024);
        var cut = JsonNode.Parse(body)!["data"]!["comment"]!.GetValue<string>();
        cut.Should().StartWith(new string('a', 999)).And.EndWith("…");
        cut.Where(char.IsSurrogate).Count().Should().BeOneOf(0, 2);
        cut.Should().NotContain("\uFFFD", "no half character is replaced by a question mark");
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(body)).Should().Be(body, "the body is valid UTF-8 text");
        body.Should().NotContain("\\uD83D", "no lone surrogate is escaped into the JSON");
    }
}
