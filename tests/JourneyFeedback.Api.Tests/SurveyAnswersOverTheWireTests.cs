using System.Net;
using System.Net.Http.Json;
using System.Text;
using JourneyFeedback.Api.Tests.Browser;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>What a survey answer's response looks like on a real socket (the in-process test server never chunks).</summary>
public sealed class SurveyAnswersOverTheWireTests(KestrelJourneyFeedbackApp app) : IClassFixture<KestrelJourneyFeedbackApp>
{
    [Fact]
    public async Task An201AnswerIsSentWithItsLengthNotChunked()
    {
        var author = (await app.CreateWorkspaceAsync()).As("author");
        var survey = await (await author.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat" })).ReadJson(HttpStatusCode.Created);
        var invited = await (await author.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients = new[] { new { externalRef = "chat-1" } } }))
            .ReadJson(HttpStatusCode.Created);
        var token = invited["invitations"]![0]!["token"]!.GetValue<string>();

        var response = await app.CreateClient().PostAsync($"/s/{token}", new StringContent("""{"score":9,"comment":"Quick and kind"}""", Encoding.UTF8, "application/json"));

        // One write with a Content-Length; a streamed body goes out chunked, its end in a second write (docs/benchmarks.md).
        response.Headers.TransferEncodingChunked.Should().NotBe(true);
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.Should().Be(body.Length);
        var accepted = await response.ReadJson(HttpStatusCode.Created);
        accepted["responseId"]!.GetValue<string>().Should().NotBeEmpty();
        response.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
    }
}
