using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace JourneyFeedback.Api.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts the status and that the body is an RFC 7807 problem; returns it.</summary>
    public static async Task<JsonObject> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        var problem = JsonNode.Parse(body)!.AsObject();
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        return problem;
    }

    /// <summary>Asserts a 400 validation problem that names <paramref name="field"/>.</summary>
    public static async Task<JsonObject> ShouldNameField(this HttpResponseMessage response, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var problem = await response.ShouldBeProblem(status);
        var errors = problem["errors"]?.AsObject();
        errors.Should().NotBeNull(problem.ToJsonString());
        errors!.Select(e => e.Key).Should().Contain(field, problem.ToJsonString());
        return problem;
    }

    public static async Task<JsonObject> ReadJson(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonArray> ReadJsonArray(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        return JsonNode.Parse(body)!.AsArray();
    }

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, JsonNode body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }
}
