using JourneyFeedback.Api.Data.Postgres;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Data;

internal static class DatabaseServiceCollectionExtensions
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        builder.Services.AddSingleton<WriteActivity>();
        var provider = builder.Configuration[$"{DatabaseOptions.Section}:Provider"] ?? "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString("Default");

        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var dataDirectory = DataDirectory(builder);
                Directory.CreateDirectory(dataDirectory);
                connectionString = $"Data Source={Path.Combine(dataDirectory, "journeyfeedback.db")}";
            }
            builder.Services.AddDbContextPool<JourneyFeedbackDb>(options => options.UseSqlite(connectionString));
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

    /// <summary>The data folder; a relative <c>Storage:DataDirectory</c> is taken from the content root.</summary>
    public static string DataDirectory(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{StorageOptions.Section}:DataDirectory"];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, builder.Environment.ContentRootPath);
    }
}
