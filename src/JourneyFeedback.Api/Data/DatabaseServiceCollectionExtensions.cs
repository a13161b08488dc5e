using JourneyFeedback.Api.Data.Postgres;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Data;

internal static class DatabaseServiceCollectionExtensions
{
    /// <summary>The database, and the data folder (<see cref="StoragePaths"/>) with the SQLite file, uploads and promoted models.</summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        builder.Services.AddSingleton<WriteActivity>();
        var paths = StoragePaths.For(builder);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton<StorageFull>();

        var provider = builder.Configuration[$"{DatabaseOptions.Section}:Provider"] ?? "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString("Default");

        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Directory.CreateDirectory(paths.DataDirectory);
                connectionString = $"Data Source={paths.SqliteFile}";
            }
            var quota = builder.Configuration.GetValue<int?>($"{StorageOptions.Section}:MaxDatabaseMegabytes");
            builder.Services.AddDbContextPool<JourneyFeedbackDb>(options => options.UseSqlite(connectionString)
                .AddInterceptors(quota is > 0 ? [new SqliteBusyTimeout(), new SqliteDatabaseQuota(quota.Value)] : [new SqliteBusyTimeout()]));
        }
        else if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddPostgresDatabase(connectionString);
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider '{provider}' is not supported. Use 'Sqlite' or 'Postgres'.");
        }
        return builder;
    }
}
