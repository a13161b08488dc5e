using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>What happens when the API starts: migrations, the default workspace, bootstrap keys, demo maps.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
    private readonly TestDatabase _database = TestDatabase.Create();

    private ConfiguredApp Start(string? bootstrapKey, bool seed = false) => new(new Dictionary<string, string?>
    {
        ["Storage:DataDirectory"] = _dataDirectory,
        ["Auth:BootstrapKey"] = bootstrapKey ?? "",
        ["Demo:SeedSampleMaps"] = seed ? "true" : "false",
    }, _database);

    [Fact]
    public async Task AFirstStartOnANewDatabaseLogsNoError()
    {
        // The real process and its console: on PostgreSQL, EF Core logged a failed read of the migrations history as an
        // error on every new database's first start, which sends an operator looking for a fault that is not there.
        using var api = await ApiProcess.StartAsync(_dataDirectory, "first-start-key", database: _database);
        (await api.Client.GetAsync("/api/maps")).StatusCode.Should().Be(HttpStatusCode.OK);
        api.LoggedErrors().Should().BeEmpty();
    }

    [Fact]
    public async Task FirstStartSeedsTheSampleMapsOnceIntoTheDemoWorkspace()
    {
        using (var first = Start("key-one", seed: true))
        {
            var maps = (await first.ClientWithKey("key-one").GetFromJsonAsync<JsonArray>("/api/maps"))!;
            maps.Select(m => m!["name"]!.GetValue<string>()).Should().BeEquivalentTo(
                "Online store: first purchase to advocate", "Customer support service blueprint", "Retail bank: current account and credit card, from first look to loyal customer",
                "Project-management SaaS: small agency from discovery to renewal", "App-only bank: from sign-up to everyday money",
                "Trip with an online travel agency: from idea to coming home", "Connected car app: owning a car and getting around",
                "Food app: eating out and cooking at home", "Online store with Polish keywords: first purchase to advocate");
            maps.Single(m => m!["name"]!.GetValue<string>().StartsWith("Online store:", StringComparison.Ordinal))!["stageCount"]!.GetValue<int>().Should().Be(6);
        }
        using var second = Start("key-one", seed: true);
        (await second.ClientWithKey("key-one").GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().HaveCount(9, "a restart does not seed again");
    }

    [Fact]
    public async Task ChangingTheBootstrapKeyRetiresTheOldOne()
    {
        using (var first = Start("key-one"))
            (await first.ClientWithKey("key-one").GetAsync("/api/workspaces")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var second = Start("key-two");
        (await second.ClientWithKey("key-two").GetAsync("/api/workspaces")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await second.ClientWithKey("key-one").GetAsync("/api/workspaces")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WithoutAConfiguredKeyOneAdminKeyIsGeneratedOnlyOnTheFirstStart()
    {
        using (var first = Start(bootstrapKey: null))
            (await BootstrapKeys(first)).Should().ContainSingle();
        using var second = Start(bootstrapKey: null);
        (await BootstrapKeys(second)).Should().ContainSingle("the generated key was already printed once");
        (await second.WithDb(db => db.Workspaces.CountAsync())).Should().Be(1);
    }

    private static Task<List<string>> BootstrapKeys(JourneyFeedbackApp app) =>
        app.WithDb(db => db.ApiKeys.Where(k => k.IsBootstrap && k.RevokedAt == null).Select(k => k.Role).ToListAsync());

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
