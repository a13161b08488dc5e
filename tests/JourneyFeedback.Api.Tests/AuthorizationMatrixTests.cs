using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>Two workspaces with one key per role each, created once for the whole matrix.</summary>
public sealed class MatrixApp : JourneyFeedbackApp
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (TestWorkspace Own, TestWorkspace Other)? _workspaces;

    public async Task<(TestWorkspace Own, TestWorkspace Other)> Workspaces()
    {
        await _lock.WaitAsync();
        try
        {
            return _workspaces ??= (await CreateWorkspaceAsync("Own"), await CreateWorkspaceAsync("Other"));
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>Every endpoint × every role × own/other workspace, asserting the exact status code.</summary>
public sealed class AuthorizationMatrixTests(MatrixApp app) : IClassFixture<MatrixApp>
{
    private static readonly string[] AllRoles = ["admin", "author", "researcher", "agent", "viewer"];
    private static readonly string[] Editors = ["admin", "author"];
    private static readonly string[] Admins = ["admin"];
    private static readonly string[] Nobody = [];
    private static readonly string[] Senders = ["admin", "author", "agent"];
    private static readonly string[] Importers = ["admin", "author", "researcher"];
    private static readonly string[] Analysts = ["admin", "author", "researcher"];

    public sealed record Endpoint(string Method, string Path, string? Body, string[] Allowed, HttpStatusCode Success)
    {
        public bool TargetsAResource => Path.Contains('{', StringComparison.Ordinal);
        public override string ToString() => $"{Method} {Path}";
    }

    private static readonly Endpoint[] Endpoints =
    [
        new("GET", "/api/maps", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/maps", """{"name":"New map","stages":[{"name":"Buy"}]}""", Editors, HttpStatusCode.Created),
        new("GET", "/api/maps/{map}", null, AllRoles, HttpStatusCode.OK),
        new("PUT", "/api/maps/{map}", """{"name":"Renamed map"}""", Editors, HttpStatusCode.OK),
        new("DELETE", "/api/maps/{map}", null, Editors, HttpStatusCode.NoContent),
        new("GET", "/api/maps/{map}/export?format=json", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/export?format=csv", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/export?format=markdown", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/view", null, AllRoles, HttpStatusCode.OK),
        // Share links: editors create and revoke, everyone lists (tokens are never listed); /v/{token} itself needs no key.
        new("POST", "/api/maps/{map}/shares", """{"name":"Matrix link","segment":"channel = chat"}""", Editors, HttpStatusCode.Created),
        new("GET", "/api/maps/{map}/shares", null, AllRoles, HttpStatusCode.OK),
        new("DELETE", "/api/maps/{map}/shares/{share}", null, Editors, HttpStatusCode.NoContent),
        new("GET", "/api/maps/{map}/insights", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/trends", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/touchpoints/{touchpoint}/evidence", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/unassigned", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/maps/{map}/rematch", null, Editors, HttpStatusCode.Accepted),
        new("POST", "/api/maps/{map}/evidence", """{"all":true}""", Editors, HttpStatusCode.Accepted),
        new("POST", "/api/maps/{map}/suggestions", null, Editors, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/suggestions", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/maps/{map}/suggestions/{suggestion}/accept", null, Editors, HttpStatusCode.OK),
        new("POST", "/api/maps/{map}/suggestions/{suggestion}/reject", null, Editors, HttpStatusCode.OK),
        new("GET", "/api/maps/{map}/stages/{stage}", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/maps/{map}/stages", """{"name":"Loyalty"}""", Editors, HttpStatusCode.Created),
        new("PUT", "/api/maps/{map}/stages/{stage}", """{"name":"Research"}""", Editors, HttpStatusCode.OK),
        new("DELETE", "/api/maps/{map}/stages/{stage}", null, Editors, HttpStatusCode.NoContent),
        new("GET", "/api/maps/{map}/touchpoints/{touchpoint}", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/maps/{map}/stages/{stage}/touchpoints", """{"name":"Phone"}""", Editors, HttpStatusCode.Created),
        new("PUT", "/api/maps/{map}/touchpoints/{touchpoint}", """{"name":"Site"}""", Editors, HttpStatusCode.OK),
        new("DELETE", "/api/maps/{map}/touchpoints/{touchpoint}", null, Editors, HttpStatusCode.NoContent),
        new("GET", "/api/surveys", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/surveys", """{"type":"nps","name":"Post-chat NPS"}""", Editors, HttpStatusCode.Created),
        new("GET", "/api/surveys/{survey}", null, AllRoles, HttpStatusCode.OK),
        new("PATCH", "/api/surveys/{survey}", """{"name":"Renamed survey"}""", Editors, HttpStatusCode.OK),
        new("POST", "/api/surveys/{survey}/invitations", """{"recipients":[{"externalRef":"chat-1"}]}""", Senders, HttpStatusCode.Created),
        new("GET", "/api/surveys/{survey}/results", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/surveys/{survey}/responses.csv", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/imports", "multipart:id,text\n1,The parcel was late\n", Importers, HttpStatusCode.Accepted),
        new("GET", "/api/imports", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/imports/{import}", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/imports/{import}/errors.csv", null, AllRoles, HttpStatusCode.OK),
        new("DELETE", "/api/imports/{import}", null, Importers, HttpStatusCode.Conflict),
        new("GET", "/api/evidence", null, AllRoles, HttpStatusCode.OK),
        new("PATCH", "/api/evidence/{evidence}", """{"sentiment":"negative"}""", Editors, HttpStatusCode.OK),
        new("GET", "/api/customers", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/customers/{customer}", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/analysis/classify", """{"texts":["The parcel is late"]}""", AllRoles, HttpStatusCode.OK),
        new("GET", "/api/analysis/models", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/analysis/reanalyze", """{}""", Editors, HttpStatusCode.Accepted),
        // A dry run passes the same role check as a real retrain without training anything (RetrainTests trains).
        new("POST", "/api/analysis/retrain", """{"dryRun":true}""", Editors, HttpStatusCode.OK),
        new("GET", "/api/analysis/retrain", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/analysis/retrain/{retrain}", null, AllRoles, HttpStatusCode.OK),
        new("PATCH", "/api/workspaces/current", """{"redactPersonalData":true}""", Admins, HttpStatusCode.OK),
        new("GET", "/api/keys", null, Admins, HttpStatusCode.OK),
        new("POST", "/api/keys", """{"name":"New key","role":"viewer"}""", Admins, HttpStatusCode.Created),
        new("DELETE", "/api/keys/{key}", null, Admins, HttpStatusCode.NoContent),
        new("GET", "/api/workspaces/current", null, AllRoles, HttpStatusCode.OK),
        // Segments: everyone reads, editors and researchers write; comparisons read like insights.
        new("GET", "/api/segments", null, AllRoles, HttpStatusCode.OK),
        new("POST", "/api/segments", """{"name":"Pro {unique}","expression":"plan = pro"}""", Analysts, HttpStatusCode.Created),
        new("GET", "/api/segments/{segment}", null, AllRoles, HttpStatusCode.OK),
        new("PUT", "/api/segments/{segment}", """{"name":"Team {unique}","expression":"plan = team"}""", Analysts, HttpStatusCode.OK),
        new("DELETE", "/api/segments/{segment}", null, Analysts, HttpStatusCode.NoContent),
        new("GET", "/api/maps/{map}/compare?current=2026-10-01/2026-10-31&previous=2026-09-01/2026-09-30", null, AllRoles, HttpStatusCode.OK),
        new("GET", "/api/surveys/{survey}/compare?a=plan%3Dpro&b=plan%3Dfree", null, AllRoles, HttpStatusCode.OK),
        // Webhooks: admins only. Targets are a public documentation address (203.0.113.0/24): no DNS, not refused as internal.
        new("GET", "/api/webhooks/event-types", null, Admins, HttpStatusCode.OK),
        new("GET", "/api/webhooks", null, Admins, HttpStatusCode.OK),
        new("POST", "/api/webhooks", """{"url":"https://203.0.113.10/hooks","eventTypes":["survey.answered"]}""", Admins, HttpStatusCode.Created),
        new("GET", "/api/webhooks/{webhook}", null, Admins, HttpStatusCode.OK),
        new("PUT", "/api/webhooks/{webhook}", """{"url":"https://203.0.113.11/hooks","eventTypes":["survey.detractor"]}""", Admins, HttpStatusCode.OK),
        new("DELETE", "/api/webhooks/{webhook}", null, Admins, HttpStatusCode.NoContent),
        new("POST", "/api/webhooks/{webhook}/rotate-secret", """{"overlapHours":1}""", Admins, HttpStatusCode.OK),
        new("POST", "/api/webhooks/{webhook}/test", null, Admins, HttpStatusCode.Accepted),
        new("GET", "/api/webhooks/{webhook}/deliveries", null, Admins, HttpStatusCode.OK),
        new("GET", "/api/webhooks/{webhook}/deliveries/{delivery}", null, Admins, HttpStatusCode.OK),
        new("POST", "/api/webhooks/{webhook}/deliveries/{delivery}/replay", null, Admins, HttpStatusCode.Accepted),
        new("GET", "/api/workspaces", null, Nobody, HttpStatusCode.OK),
        new("POST", "/api/workspaces", """{"name":"Another"}""", Nobody, HttpStatusCode.Created),
    ];

    public static TheoryData<Endpoint, string, string> Cases()
    {
        var data = new TheoryData<Endpoint, string, string>();
        foreach (var endpoint in Endpoints)
            foreach (var role in AllRoles)
            {
                data.Add(endpoint, role, "own");
                if (endpoint.TargetsAResource) data.Add(endpoint, role, "other");
            }
        return data;
    }

    public static TheoryData<Endpoint> AllEndpoints()
    {
        var data = new TheoryData<Endpoint>();
        foreach (var endpoint in Endpoints) data.Add(endpoint);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RoleAndWorkspaceDecideTheStatus(Endpoint endpoint, string role, string scope)
    {
        var (own, other) = await app.Workspaces();
        var target = scope == "own" ? own : other;
        var url = await Resolve(endpoint.Path, target);

        var response = await Send(own.As(role), endpoint, url);

        var expected = !endpoint.Allowed.Contains(role) ? HttpStatusCode.Forbidden
            : scope == "own" ? endpoint.Success
            : HttpStatusCode.NotFound; // another workspace's ids do not exist for this key
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, $"{role} key, {scope} workspace: {body}");
        if ((int)expected >= 400) await response.ShouldBeProblem(expected);
    }

    [Theory]
    [MemberData(nameof(AllEndpoints))]
    public async Task WithoutAKeyEveryEndpointIs401WithAChallenge(Endpoint endpoint)
    {
        var (own, _) = await app.Workspaces();
        var response = await Send(app.ClientWithKey(null), endpoint, await Resolve(endpoint.Path, own));
        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Theory]
    [InlineData("Bearer jf_not-a-real-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task UnknownKeyOrOtherSchemeIs401(string header)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        await (await client.GetAsync("/api/maps")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "/api/workspaces", null, HttpStatusCode.OK)]
    [InlineData("POST", "/api/workspaces", """{"name":"Created by the instance admin"}""", HttpStatusCode.Created)]
    public async Task OnlyTheBootstrapKeyManagesWorkspaces(string method, string path, string? body, HttpStatusCode expected)
    {
        var response = await Send(app.BootstrapClient(), new Endpoint(method, path, body, Nobody, expected), path);
        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task ListsOnlyShowTheCallersWorkspace()
    {
        var (own, other) = await app.Workspaces();
        await SampleMaps.CreateAsync(other.As("admin"), SampleMaps.Small("Secret map of the other workspace"));

        var maps = (await own.As("viewer").GetFromJsonAsync<JsonArray>("/api/maps"))!;
        maps.Select(m => m!["name"]!.GetValue<string>()).Should().NotContain("Secret map of the other workspace");
        var keys = (await own.As("admin").GetFromJsonAsync<JsonArray>("/api/keys"))!;
        var otherKeyIds = (await other.As("admin").GetFromJsonAsync<JsonArray>("/api/keys"))!.Select(k => k!["id"]!.GetValue<string>());
        keys.Select(k => k!["id"]!.GetValue<string>()).Should().NotIntersectWith(otherKeyIds);
    }

    /// <summary>Fills the path with fresh resources of the target workspace (destructive cases need their own).</summary>
    private static async Task<string> Resolve(string path, TestWorkspace workspace)
    {
        if (!path.Contains('{', StringComparison.Ordinal)) return path;
        var admin = workspace.As("admin");
        if (path.Contains("{key}", StringComparison.Ordinal))
        {
            var key = await (await admin.PostAsJsonAsync("/api/keys", new { name = "to revoke", role = "viewer" })).ReadJson(HttpStatusCode.Created);
            return path.Replace("{key}", key["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        if (path.Contains("{retrain}", StringComparison.Ordinal))
        {
            // A finished job of the target workspace, stored directly: training one here would cost seconds per case.
            var job = new RetrainJob
            {
                WorkspaceId = workspace.Id, Status = RetrainStatus.Rejected, Reason = "Matrix job", Tolerance = 0.005,
                StartedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
            };
            await workspace.App.WithDb(db => { db.RetrainJobs.Add(job); return db.SaveChangesAsync(); });
            return path.Replace("{retrain}", job.Id.ToString(), StringComparison.Ordinal);
        }
        if (path.Contains("{webhook}", StringComparison.Ordinal))
        {
            var webhook = await (await admin.PostAsJsonAsync("/api/webhooks", new { url = "https://203.0.113.10/matrix", eventTypes = new[] { "survey.answered" } }))
                .ReadJson(HttpStatusCode.Created);
            var webhookId = Guid.Parse(webhook["id"]!.GetValue<string>());
            if (path.Contains("{delivery}", StringComparison.Ordinal))
            {
                // A finished delivery, stored directly: replaying it is allowed, and nothing waits on a real receiver.
                var message = new Api.Webhooks.WebhookMessage
                {
                    Id = Api.Webhooks.WebhookBody.NewMessageId(), WorkspaceId = workspace.Id, Type = "survey.answered", Body = "{}",
                    OccurredAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow,
                };
                var delivery = new Api.Webhooks.WebhookDelivery
                {
                    WorkspaceId = workspace.Id, SubscriptionId = webhookId, MessageId = message.Id, Type = message.Type,
                    Status = Api.Webhooks.DeliveryStatus.Succeeded, Attempts = 1, CreatedAt = DateTime.UtcNow, DeliveredAt = DateTime.UtcNow,
                };
                await workspace.App.WithDb(db => { db.WebhookMessages.Add(message); db.WebhookDeliveries.Add(delivery); return db.SaveChangesAsync(); });
                path = path.Replace("{delivery}", delivery.Id.ToString(), StringComparison.Ordinal);
            }
            return path.Replace("{webhook}", webhookId.ToString(), StringComparison.Ordinal);
        }
        if (path.Contains("{segment}", StringComparison.Ordinal))
        {
            var segment = await (await admin.PostAsJsonAsync("/api/segments", new { name = $"Matrix {Guid.NewGuid():N}", expression = "plan = pro" }))
                .ReadJson(HttpStatusCode.Created);
            return path.Replace("{segment}", segment["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        if (path.Contains("{customer}", StringComparison.Ordinal))
        {
            // A customer id unique to this workspace, so another workspace's key finds nothing under it.
            var customerId = $"matrix-{Guid.NewGuid():N}";
            await ImportRuns.Run(admin, "customers.csv", $"customer_id,plan\n{customerId},pro\n", "customers");
            return path.Replace("{customer}", customerId, StringComparison.Ordinal);
        }
        if (path.Contains("{evidence}", StringComparison.Ordinal))
        {
            var import = await ImportRuns.Run(admin, "matrix.csv", $"id,text\n{Guid.NewGuid()},Matrix row {Guid.NewGuid()}\n");
            var items = (await (await admin.GetAsync($"/api/evidence?importId={import["id"]}")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
            return path.Replace("{evidence}", items[0]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        if (path.Contains("{import}", StringComparison.Ordinal))
        {
            // A finished import: reading it works, cancelling it is a 409 (still proving the role got through).
            var import = await ImportRuns.Run(admin, "matrix.csv", "id,text\n1,Matrix row\n");
            return path.Replace("{import}", import["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        if (path.Contains("{survey}", StringComparison.Ordinal))
        {
            var survey = await (await admin.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Matrix survey" })).ReadJson(HttpStatusCode.Created);
            return path.Replace("{survey}", survey["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var map = await SampleMaps.CreateAsync(admin);
        if (path.Contains("{share}", StringComparison.Ordinal))
        {
            var share = await (await admin.PostAsJsonAsync($"/api/maps/{map["id"]}/shares", new { name = "Matrix link" })).ReadJson(HttpStatusCode.Created);
            path = path.Replace("{share}", share["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var stage = map["stages"]![1]!;
        if (path.Contains("{suggestion}", StringComparison.Ordinal))
        {
            // A proposed lane entry needs evidence behind it; the row itself is what the endpoints act on.
            var suggestion = new Api.Insights.LaneSuggestion
            {
                WorkspaceId = workspace.Id, MapId = Guid.Parse(map["id"]!.GetValue<string>()), StageId = Guid.Parse(stage["id"]!.GetValue<string>()),
                Lane = "painPoints", Text = "Parcel late", EvidenceCount = 1,
            };
            await workspace.App.WithDb(db => { db.LaneSuggestions.Add(suggestion); return db.SaveChangesAsync(); });
            path = path.Replace("{suggestion}", suggestion.Id.ToString(), StringComparison.Ordinal);
        }
        return path
            .Replace("{map}", map["id"]!.GetValue<string>(), StringComparison.Ordinal)
            .Replace("{stage}", stage["id"]!.GetValue<string>(), StringComparison.Ordinal)
            .Replace("{touchpoint}", stage["touchpoints"]![0]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, Endpoint endpoint, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url);
        if (endpoint.Body is { } body && body.StartsWith("multipart:", StringComparison.Ordinal))
        {
            var form = new MultipartFormDataContent { { new StringContent(body["multipart:".Length..]), "file", "matrix.csv" }, { new StringContent("support-log"), "kind" } };
            request.Content = form;
        }
        else if (endpoint.Body is not null) request.Content = new StringContent(endpoint.Body.Replace("{unique}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal), Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }
}
