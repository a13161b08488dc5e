using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

public sealed class KeysAndWorkspacesTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [Fact]
    public async Task NewKeyIsShownOnceStoredOnlyAsAHashAndWorksForItsRole()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var created = await (await workspace.As("admin").PostAsJsonAsync("/api/keys", new { name = "Chat tool", role = "agent" }))
            .ReadJson(HttpStatusCode.Created);
        var secret = created["key"]!.GetValue<string>();
        secret.Should().StartWith("jf_").And.HaveLength(46);

        var listed = (await workspace.As("admin").GetFromJsonAsync<JsonArray>("/api/keys"))!;
        var entry = listed.Single(k => k!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>())!.AsObject();
        entry.ContainsKey("key").Should().BeFalse("the key is shown only at creation");
        entry["prefix"]!.GetValue<string>().Should().Be(secret[..10]);

        var stored = await app.WithDb(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == Guid.Parse(created["id"]!.GetValue<string>())));
        stored.KeyHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
        var anyRowHoldsTheSecret = await app.WithDb(db => db.ApiKeys.AnyAsync(k => k.KeyHash == secret || k.Name == secret || k.Prefix == secret));
        anyRowHoldsTheSecret.Should().BeFalse();

        var current = await (await app.ClientWithKey(secret).GetAsync("/api/workspaces/current")).ReadJson(HttpStatusCode.OK);
        current["role"]!.GetValue<string>().Should().Be("agent");
        current["id"]!.GetValue<string>().Should().Be(workspace.Id.ToString());
        current["instanceAdmin"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task RevokedKeyIsRefusedAtOnce()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var created = await (await workspace.As("admin").PostAsJsonAsync("/api/keys", new { name = "Temp", role = "viewer" })).ReadJson(HttpStatusCode.Created);
        var client = app.ClientWithKey(created["key"]!.GetValue<string>());
        (await client.GetAsync("/api/maps")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await workspace.As("admin").DeleteAsync($"/api/keys/{created["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var problem = await (await client.GetAsync("/api/maps")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        problem["detail"]!.GetValue<string>().Should().Contain("revoked");

        (await workspace.As("admin").DeleteAsync($"/api/keys/{created["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent, "revoking twice is harmless");
        var listed = (await workspace.As("admin").GetFromJsonAsync<JsonArray>("/api/keys"))!;
        listed.Single(k => k!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>())!["revokedAt"].Should().NotBeNull();
    }

    [Fact]
    public async Task TheBootstrapKeyCannotBeRevokedThroughTheApi()
    {
        var keys = (await app.BootstrapClient().GetFromJsonAsync<JsonArray>("/api/keys"))!;
        var bootstrap = keys.Single(k => k!["isBootstrap"]!.GetValue<bool>())!;
        await (await app.BootstrapClient().DeleteAsync($"/api/keys/{bootstrap["id"]}")).ShouldBeProblem(HttpStatusCode.Conflict);
        (await app.BootstrapClient().GetAsync("/api/maps")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"name":"k","role":"owner"}""", "role")]
    [InlineData("""{"name":"k"}""", "role")]
    [InlineData("""{"role":"viewer"}""", "name")]
    public async Task InvalidKeyRequestsNameTheField(string body, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var response = await workspace.As("admin").PostAsync("/api/keys", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldNameField(field);
    }

    [Fact]
    public async Task NewWorkspaceStartsEmptyWithAWorkingAdminKey()
    {
        var created = await (await app.BootstrapClient().PostAsJsonAsync("/api/workspaces", new { name = "Acme Retail" })).ReadJson(HttpStatusCode.Created);
        var admin = app.ClientWithKey(created["adminKey"]!["key"]!.GetValue<string>());

        (await admin.GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().BeEmpty();
        var current = await (await admin.GetAsync("/api/workspaces/current")).ReadJson(HttpStatusCode.OK);
        current["name"]!.GetValue<string>().Should().Be("Acme Retail");
        current["role"]!.GetValue<string>().Should().Be("admin");

        var all = (await app.BootstrapClient().GetFromJsonAsync<JsonArray>("/api/workspaces"))!;
        all.Select(w => w!["name"]!.GetValue<string>()).Should().Contain("Acme Retail");
        all.Count(w => w!["isDefault"]!.GetValue<bool>()).Should().Be(1);
    }

    [Fact]
    public async Task WorkspaceNameIsRequired()
    {
        await (await app.BootstrapClient().PostAsJsonAsync("/api/workspaces", new { name = " " })).ShouldNameField("name");
    }
}
