using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>The webhook calls tests make again and again: subscribe, answer a survey, read and wait on the delivery log.</summary>
public static class WebhookCalls
{
    public static async Task<(string Id, string Secret)> Subscribe(this HttpClient admin, object body)
    {
        var created = await (await admin.PostAsJsonAsync("/api/webhooks", body)).ReadJson(HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    /// <summary>A survey of <paramref name="type"/> and one single-use link per recipient; returns the survey id and tokens.</summary>
    public static async Task<(string SurveyId, List<string> Tokens)> SurveyWithLinks(this HttpClient admin, string type, params object[] recipients)
    {
        var survey = await (await admin.PostAsJsonAsync("/api/surveys", new { type, name = $"Post-chat {type} {Guid.NewGuid():N}" })).ReadJson(HttpStatusCode.Created);
        var invited = await (await admin.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients })).ReadJson(HttpStatusCode.Created);
        return (survey["id"]!.GetValue<string>(), invited["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList());
    }

    public static async Task Answer(this HttpClient anyone, string token, object answer) =>
        (await anyone.PostAsJsonAsync($"/s/{token}", answer)).StatusCode.Should().Be(HttpStatusCode.Created);

    public static async Task<JsonArray> Deliveries(this HttpClient admin, string subscriptionId) =>
        (await (await admin.GetAsync($"/api/webhooks/{subscriptionId}/deliveries?pageSize=500")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();

    /// <summary>Polls the delivery log until <paramref name="done"/> holds (60 s at most); returns the last log read.</summary>
    public static async Task<JsonArray> WaitForDeliveries(this HttpClient admin, string subscriptionId, Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonArray log;
        do
        {
            log = await admin.Deliveries(subscriptionId);
            if (done(log)) return log;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return log;
    }

    public static async Task<JsonObject> Webhook(this HttpClient admin, string subscriptionId) =>
        await (await admin.GetAsync($"/api/webhooks/{subscriptionId}")).ReadJson(HttpStatusCode.OK);
}
