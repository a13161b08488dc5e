using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>The API with retraining at test size: a malformed request that a retrain accepts must not train for minutes.</summary>
public sealed class MalformedInputApp() : JourneyFeedbackApp(new Dictionary<string, string?> { ["Analysis:RetrainMaxRowsPerSource"] = Retraining.TestRowsPerSource });

/// <summary>
/// Every operation in the OpenAPI document, sent malformed input — bad path ids, bad query values, broken JSON, and each
/// body property (and each property of an object in it or of an array's first element) set to values of the wrong kind or size — answers
/// with a 4xx, as a ProblemDetails for 400/413/422, and never with a 5xx. The requests are generated from the document,
/// so an endpoint is covered the day it is added.
/// </summary>
public sealed class MalformedInputTests(MalformedInputApp app) : IClassFixture<MalformedInputApp>
{
    private static readonly string[] BadJsonBodies = ["", "{", "[]", "null", "123", "\"text\"", "{\"a\":1,\"a\":2}"];

    // JSON literals of the wrong kind or size for most properties: null, negative, beyond double and long, empty,
    // 20,000 characters, a NUL, a boolean, an array, an object, a string that is no date, id or enum member.
    private static readonly string[] BadValues =
    [
        "null", "-1", "1e400", "99999999999999999999", "\"\"", $"\"{new string('x', 20_000)}\"", "\"\\u0000\"", "true", "[]", "{}",
        "\"2026-13-45T99:99:99Z\"",
    ];

    private static readonly string[] BadElementValues = ["null", "-1", "\"\"", $"\"{new string('x', 20_000)}\"", "[]", "{}"];

    private static readonly string[] BadForms =
        ["", "score=abc", "score=%00", "score=1e400&comment=", "score=5&comment=" + new string('x', 20_000), "=&&==&score", "%zz=%zz", "score=5&score=6"];

    private static readonly string[] BadQueryValues =
        ["junk", "-1", "0", "99999999999999999999", "", "2026-13-45", "a b ( = or ,", new string('x', 3_000)];

    private static readonly string[] BadPathValues = ["junk", Guid.Empty.ToString(), Guid.NewGuid().ToString(), new string('x', 300)];

    [Fact]
    public async Task EveryOperationAnswersMalformedInputWithA4xxAndNeverA5xx()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = workspace.As("admin");
        var known = await CreateOneOfEach(admin);
        var document = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJson(HttpStatusCode.OK);

        var failures = new List<string>();
        var sent = 0;
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operationNode) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "patch" or "delete")) continue;
                operations++;
                var operation = operationNode!.AsObject();
                var client = path.StartsWith("/api/workspaces", StringComparison.Ordinal) && !path.EndsWith("/current", StringComparison.Ordinal)
                    ? app.BootstrapClient() : admin;
                var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
                var pathNames = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
                var queryNames = parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
                var content = operation["requestBody"]?["content"]?.AsObject();
                var isJson = content?.ContainsKey("application/json") == true;
                var isMultipart = content?.ContainsKey("multipart/form-data") == true;
                var isForm = content?.ContainsKey("application/x-www-form-urlencoded") == true;

                // Deleting the map, survey or segment the other requests use would only turn them into 404s.
                var realIds = method != "delete";
                string Url(string? badName = null, string? badValue = null, string? query = null)
                {
                    var url = path;
                    foreach (var name in pathNames)
                        url = url.Replace("{" + name + "}", Uri.EscapeDataString(name == badName ? badValue!
                            : realIds ? known.For(path, name) : Guid.NewGuid().ToString()), StringComparison.Ordinal);
                    return query is null ? url : url + "?" + query;
                }

                async Task Send(string url, HttpContent? body, string what, bool browserForm = false)
                {
                    sent++;
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url) { Content = body };
                    using var response = await client.SendAsync(request);
                    var status = (int)response.StatusCode;
                    var mediaType = response.Content.Headers.ContentType?.MediaType;
                    // A browser's form post gets the page back with the errors on it; everything else, a ProblemDetails.
                    var problemType = browserForm ? "text/html" : "application/problem+json";
                    if (status >= 500 || status is 400 or 413 or 422 && mediaType != problemType && mediaType != "application/problem+json")
                    {
                        var text = await response.Content.ReadAsStringAsync();
                        failures.Add($"{method.ToUpperInvariant()} {Shorten(url)} {what} → {status} {mediaType}: {Shorten(text)}");
                    }
                }

                HttpContent? ValidEnoughBody() => isJson ? Json("{}") : null;

                foreach (var name in pathNames)
                    foreach (var value in BadPathValues)
                        await Send(Url(name, value), ValidEnoughBody(), $"[{name} = {Shorten(value)}]");

                foreach (var name in queryNames)
                    foreach (var value in BadQueryValues)
                        await Send(Url(query: $"{name}={Uri.EscapeDataString(value)}"), ValidEnoughBody(), $"[?{name} = {Shorten(value)}]");

                if (isJson)
                {
                    foreach (var body in BadJsonBodies) await Send(Url(), Json(body), $"[body {body}]");
                    var schema = Resolve(document, content!["application/json"]!["schema"]);
                    foreach (var (property, propertySchema) in Properties(schema))
                    {
                        foreach (var value in BadValues)
                            await Send(Url(), Json($"{{\"{property}\":{value}}}"), $"[{property} = {Shorten(value)}]");
                        var resolved = Resolve(document, propertySchema);
                        foreach (var (inner, _) in Properties(Resolve(document, resolved?["items"])))
                            foreach (var value in BadElementValues)
                                await Send(Url(), Json($"{{\"{property}\":[{{\"{inner}\":{value}}}]}}"), $"[{property}[0].{inner} = {Shorten(value)}]");
                        foreach (var (inner, _) in Properties(resolved))
                            foreach (var value in BadElementValues)
                                await Send(Url(), Json($"{{\"{property}\":{{\"{inner}\":{value}}}}}"), $"[{property}.{inner} = {Shorten(value)}]");
                    }
                }
                if (isForm)
                    foreach (var form in BadForms)
                        await Send(Url(), new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"), $"[form {Shorten(form)}]", browserForm: true);
                if (isMultipart)
                {
                    await Send(Url(), Json("{}"), "[JSON instead of a form]");
                    await Send(Url(), new MultipartFormDataContent(), "[empty form]");
                    await Send(Url(), new ByteArrayContent(Encoding.UTF8.GetBytes("--x\r\nnot a form")) { Headers = { { "Content-Type", "multipart/form-data; boundary=x" } } }, "[broken form]");
                    var noFile = new MultipartFormDataContent { { new StringContent("support-log"), "kind" } };
                    await Send(Url(), noFile, "[form without a file]");
                    var badKind = new MultipartFormDataContent { { new ByteArrayContent("message\nhello\n"u8.ToArray()), "file", "a.csv" }, { new StringContent("junk"), "kind" } };
                    await Send(Url(), badKind, "[kind = junk]");
                }
            }

        operations.Should().BeGreaterThan(80, "the document lists every operation");
        failures.Should().BeEmpty($"of {sent} malformed requests to {operations} operations none may fail on the server or answer a bad request without a ProblemDetails:\n" +
            string.Join("\n", failures.Take(40)));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + $"…({text.Length} chars)";

    private static JsonObject? Resolve(JsonObject document, JsonNode? schema)
    {
        for (var depth = 0; depth < 5 && schema?["$ref"] is JsonNode reference; depth++)
            schema = document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]];
        return schema as JsonObject;
    }

    private static IEnumerable<(string Name, JsonNode? Schema)> Properties(JsonObject? schema) =>
        schema?["properties"]?.AsObject().Select(p => (p.Key, p.Value)) ?? [];

    /// <summary>Real ids of the workspace's own resources, so a malformed body reaches the code behind the route.</summary>
    private sealed record KnownResources(string Map, string Stage, string Touchpoint, string Survey, string Segment, string Import, string Item,
        string SurveyLink, string ShareLink)
    {
        public string For(string path, string parameter) => parameter switch
        {
            "stageId" => Stage,
            "touchpointId" => Touchpoint,
            "customerId" => "C-1",
            "token" when path.StartsWith("/s/", StringComparison.Ordinal) => SurveyLink,
            "token" when path.StartsWith("/v/", StringComparison.Ordinal) => ShareLink,
            "id" when path.StartsWith("/api/maps/", StringComparison.Ordinal) => Map,
            "id" when path.StartsWith("/api/surveys/", StringComparison.Ordinal) => Survey,
            "id" when path.StartsWith("/api/segments/", StringComparison.Ordinal) => Segment,
            "id" when path.StartsWith("/api/imports/", StringComparison.Ordinal) => Import,
            "id" when path.StartsWith("/api/evidence/", StringComparison.Ordinal) => Item,
            _ => Guid.NewGuid().ToString(),
        };
    }

    private static async Task<KnownResources> CreateOneOfEach(HttpClient admin)
    {
        var map = await (await admin.PostAsJsonAsync("/api/maps", new
        {
            name = "Fuzzed map",
            stages = new[] { new { name = "Delivery", touchpoints = new[] { new { name = "Courier", channel = "chat", keywords = new[] { "parcel", "late" } } } } },
        })).ReadJson(HttpStatusCode.Created);
        var stage = map["stages"]![0]!;
        var survey = await (await admin.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Fuzzed survey" })).ReadJson(HttpStatusCode.Created);
        var segment = await (await admin.PostAsJsonAsync("/api/segments", new { name = "Pro", expression = "plan = pro" })).ReadJson(HttpStatusCode.Created);
        var import = await ImportRuns.Run(admin, "fuzz.csv",
            "ticket_id,created_at,customer_id,channel,message,plan\nT-1,2026-10-01T10:00:00Z,C-1,chat,My parcel is late again,pro\n", fields: new() { ["mapId"] = map["id"]!.ToString() });
        import["status"]!.GetValue<string>().Should().Be("succeeded", import.ToJsonString());
        var invitations = await (await admin.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = "fuzz" } } })).ReadJson(HttpStatusCode.Created);
        var share = await (await admin.PostAsJsonAsync($"/api/maps/{map["id"]}/shares", new { name = "Fuzzed link" })).ReadJson(HttpStatusCode.Created);
        var item = (await (await admin.GetAsync($"/api/evidence?importId={import["id"]}")).ReadJson(HttpStatusCode.OK))["items"]![0]!;
        return new KnownResources(map["id"]!.ToString(), stage["id"]!.ToString(), stage["touchpoints"]![0]!["id"]!.ToString(),
            survey["id"]!.ToString(), segment["id"]!.ToString(), import["id"]!.ToString(), item["id"]!.ToString(),
            invitations["invitations"]![0]!["token"]!.GetValue<string>(), share["token"]!.GetValue<string>());
    }
}
