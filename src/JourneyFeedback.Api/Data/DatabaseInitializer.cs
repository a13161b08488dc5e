using System.Text.Json;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data.Postgres;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Data;

/// <summary>What start-up did that the operator needs to see once.</summary>
internal sealed record StartupReport(string? GeneratedAdminKey, int SeededMaps, string DatabaseDescription);

internal static class DatabaseInitializer
{
    /// <summary>
    /// Applies migrations, makes sure the default workspace and the instance administrator's key exist,
    /// and seeds the sample maps into a brand-new default workspace.
    /// </summary>
    public static async Task<StartupReport> InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var auth = scope.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value;
        var demo = scope.ServiceProvider.GetRequiredService<IOptions<DemoOptions>>().Value;

        await PrepareSqliteFileAsync(db);
        await PostgresDatabase.MigrateAsync(db);

        // Instances that start together on one PostgreSQL database take turns, so only one creates the default workspace.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await PostgresDatabase.LockStartupAsync(db);
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.IsDefault);
        var isNewWorkspace = workspace is null;
        if (workspace is null)
        {
            workspace = new Workspace { Name = "Demo workspace", IsDefault = true };
            db.Workspaces.Add(workspace);
        }

        var generatedKey = await EnsureBootstrapKey(db, workspace.Id, auth.BootstrapKey);

        var seeded = 0;
        if (isNewWorkspace && demo.SeedSampleMaps)
        {
            foreach (var document in LoadSampleMaps())
            {
                db.Maps.Add(document.ToNewMap(workspace.Id));
                seeded++;
            }
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new StartupReport(generatedKey, seeded, DescribeDatabase(db));
    }

    /// <summary>
    /// SQLite fixes a file's page size when its first page is written, so it is set before migrations create the file:
    /// 8 KB pages make a 1M-row import's writes about a fifth faster than the default 4 KB (rows of ~460 bytes entering
    /// five indexes; docs/benchmarks.md). An existing file keeps its page size (the pragma is then a no-op). WAL is set
    /// here too, as EF Core would when it creates the file itself.
    /// </summary>
    private static async Task PrepareSqliteFileAsync(JourneyFeedbackDb db)
    {
        if (db.Database.GetDbConnection() is not Microsoft.Data.Sqlite.SqliteConnection) return;
        await db.Database.OpenConnectionAsync();
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA page_size = 8192; PRAGMA journal_mode = 'wal';");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The configured bootstrap key always works and replaces earlier bootstrap keys; without one, a key is
    /// generated once (first start) and returned so it can be printed.
    /// </summary>
    private static async Task<string?> EnsureBootstrapKey(JourneyFeedbackDb db, Guid workspaceId, string? configured)
    {
        var bootstrapKeys = await db.ApiKeys.Where(k => k.IsBootstrap && k.RevokedAt == null).ToListAsync();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var hash = ApiKeyHasher.Hash(configured);
            foreach (var stale in bootstrapKeys.Where(k => k.KeyHash != hash)) stale.RevokedAt = DateTime.UtcNow;
            if (bootstrapKeys.Any(k => k.KeyHash == hash)) return null;

            var existing = await db.ApiKeys.FirstOrDefaultAsync(k => k.KeyHash == hash);
            if (existing is not null)
            {
                // The same value was used before (and perhaps revoked by a rotation): make it the bootstrap key again.
                existing.RevokedAt = null;
                existing.IsBootstrap = true;
                existing.Role = Roles.Admin;
                return null;
            }
            db.ApiKeys.Add(ApiKey.Create(workspaceId, "Bootstrap key (Auth:BootstrapKey)", Roles.Admin, configured, isBootstrap: true).Key);
            return null;
        }

        if (bootstrapKeys.Count > 0) return null;
        var (key, secret) = ApiKey.Create(workspaceId, "Bootstrap key (generated at first start)", Roles.Admin, isBootstrap: true);
        db.ApiKeys.Add(key);
        return secret;
    }

    public static IEnumerable<MapDocument> LoadSampleMaps()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "samples", "maps");
        if (!Directory.Exists(folder)) yield break;
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var document = JsonSerializer.Deserialize<MapDocument>(File.ReadAllText(file), options)
                ?? throw new InvalidOperationException($"Sample map {file} is empty.");
            var errors = MapValidation.Validate(document);
            if (!errors.IsEmpty)
                throw new InvalidOperationException($"Sample map {file} is invalid: {JsonSerializer.Serialize(errors.ToDictionary())}");
            yield return document;
        }
    }

    private static string DescribeDatabase(JourneyFeedbackDb db)
    {
        var connection = db.Database.GetDbConnection();
        return connection is Npgsql.NpgsqlConnection postgres ? PostgresDatabase.Describe(postgres) : $"SQLite {connection.DataSource}";
    }
}
