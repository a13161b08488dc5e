using System.Net.Http.Headers;
using System.Net.Http.Json;
using JourneyFeedback.Api.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// The real API over a real database of its own (one per test class fixture), with a known bootstrap key: a SQLite
/// file, or a fresh PostgreSQL database when <c>JF_TEST_POSTGRES</c> is set (see <see cref="TestDatabase"/>).
/// </summary>
public class JourneyFeedbackApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;

    public JourneyFeedbackApp() : this(new Dictionary<string, string?>()) { }

    /// <param name="database">A database shared with other instances (the caller disposes it); null: one of its own.</param>
    protected JourneyFeedbackApp(Dictionary<string, string?> settings, TestDatabase? database = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
        // Same data folder, same database: a test that restarts the API on a folder finds its data on either engine.
        var folder = settings.GetValueOrDefault("Storage:DataDirectory");
        _ownsDatabase = database is null && folder is null;
        Database = database ?? (folder is not null ? TestDatabase.ForDataDirectory(folder) : TestDatabase.Create());
        if (_ownsDatabase) TestDatabase.Register(DataDirectory, Database);
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Auth:BootstrapKey"] = BootstrapKey,
            ["Demo:SeedSampleMaps"] = "false",
            // The encoder costs a second and ~300 MB per app: only the semantic tier's own tests turn it on.
            ["Semantic:Enabled"] = "false",
            ["RateLimits:Api:PermitLimit"] = "1000000",
            ["RateLimits:Public:PermitLimit"] = "1000000",
        };
        foreach (var (key, value) in Database.Settings) _settings[key] = value;
        foreach (var (key, value) in settings) _settings[key] = value;
    }

    public string DataDirectory { get; }
    public TestDatabase Database { get; }
    public string BootstrapKey { get; } = "test-bootstrap-" + Guid.NewGuid().ToString("N");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        // A query EF Core calls unpredictable (a row limit without an order: pages that skip or repeat rows) or
        // ambiguous (several collections loaded without saying how) fails the test that runs it, not only a log line.
        builder.ConfigureServices(services =>
        {
            services.ConfigureDbContext<JourneyFeedbackDb>(StrictQueries);
            services.ConfigureDbContext<JourneyFeedback.Api.Data.Postgres.PostgresJourneyFeedbackDb>(StrictQueries);
        });
    }

    private static void StrictQueries(DbContextOptionsBuilder options) => options.ConfigureWarnings(w => w.Throw(
        CoreEventId.RowLimitingOperationWithoutOrderByWarning, CoreEventId.FirstWithoutOrderByAndFilterWarning,
        CoreEventId.DistinctAfterOrderByWithoutRowLimitingOperatorWarning, RelationalEventId.MultipleCollectionIncludeWarning));

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient BootstrapClient() => ClientWithKey(BootstrapKey);

    /// <summary>A fresh workspace with one key per role, created through the API like an operator would.</summary>
    public async Task<TestWorkspace> CreateWorkspaceAsync(string name = "Test workspace")
    {
        var response = await BootstrapClient().PostAsJsonAsync("/api/workspaces", new { name });
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<CreatedWorkspace>())!;

        var admin = ClientWithKey(created.AdminKey.Key);
        var keys = new Dictionary<string, string> { ["admin"] = created.AdminKey.Key };
        foreach (var role in new[] { "author", "researcher", "agent", "viewer" })
        {
            var keyResponse = await admin.PostAsJsonAsync("/api/keys", new { name = $"{role} key", role });
            keyResponse.EnsureSuccessStatusCode();
            keys[role] = (await keyResponse.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }
        return new TestWorkspace(this, created.Id, keys);
    }

    /// <summary>Direct database access for assertions about what was stored.</summary>
    internal async Task<T> WithDb<T>(Func<JourneyFeedbackDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>());
    }

    /// <summary>A context of its own on the app's database, with <paramref name="interceptors"/> added (the caller disposes it).</summary>
    internal JourneyFeedbackDb DbWith(params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors)
    {
        if (Services.GetService<DbContextOptions<JourneyFeedback.Api.Data.Postgres.PostgresJourneyFeedbackDb>>() is { } postgres)
            return new JourneyFeedback.Api.Data.Postgres.PostgresJourneyFeedbackDb(
                new DbContextOptionsBuilder<JourneyFeedback.Api.Data.Postgres.PostgresJourneyFeedbackDb>(postgres).AddInterceptors(interceptors).Options);
        return new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>(Services.GetRequiredService<DbContextOptions<JourneyFeedbackDb>>())
            .AddInterceptors(interceptors).Options);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_ownsDatabase) Database.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed record CreatedWorkspace(Guid Id, string Name, CreatedKey AdminKey);

    private sealed record CreatedKey(Guid Id, string Key);
}

public sealed record TestWorkspace(JourneyFeedbackApp App, Guid Id, IReadOnlyDictionary<string, string> Keys)
{
    public HttpClient As(string role) => App.ClientWithKey(Keys[role]);
}
