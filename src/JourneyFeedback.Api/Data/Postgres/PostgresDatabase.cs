using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace JourneyFeedback.Api.Data.Postgres;

/// <summary>Everything PostgreSQL-specific about setting up the database, kept apart from the shared code.</summary>
internal static class PostgresDatabase
{
    public static void AddPostgresDatabase(this IServiceCollection services, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "Database:Provider=Postgres needs ConnectionStrings:Default, e.g. 'Host=db.internal;Database=journeyfeedback;Username=jf;Password=...'.");
        // Every service still asks for JourneyFeedbackDb; the subclass only selects the PostgreSQL migrations.
        services.AddDbContextPool<JourneyFeedbackDb, PostgresJourneyFeedbackDb>(options => options.UseNpgsql(WithAutoPrepare(connectionString)));
    }

    /// <summary>
    /// The same few statements run for every request (key and link lookups); prepared once per connection, PostgreSQL
    /// does not parse and plan them again each time. An explicit <c>Max Auto Prepare</c> in the connection string wins.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    /// <summary>
    /// Applies the migrations. On PostgreSQL, EF Core's migration lock is held per migration transaction, so an instance
    /// starting while another applies a later migration can run the same migration too; the loser's transaction rolls
    /// back whole (PostgreSQL's DDL is transactional), and its next attempt finds the migration applied. Likewise when
    /// both find the database missing and one creates it first.
    /// </summary>
    public static async Task MigrateAsync(JourneyFeedbackDb db)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // EF Core's PostgreSQL provider reads the migrations history before it creates the table, and logs that
                // failed read as an error on a new database's first start (npgsql/efcore.pg#3407). Creating the table
                // first, as its own script does, keeps a first start's log free of errors.
                if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync())
                    await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript());
                await db.Database.MigrateAsync();
                return;
            }
            catch (PostgresException ex) when (attempt < 5 && ex.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateColumn
                or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateFunction
                or PostgresErrorCodes.DuplicateDatabase)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300 * attempt));
            }
        }
    }

    /// <summary>
    /// Holds a transaction-scoped advisory lock until the caller's transaction ends, so instances that start at the same
    /// moment seed the default workspace and bootstrap key one after the other. SQLite: nothing to do (one machine, and
    /// its write lock already serialises writers).
    /// </summary>
    public static async Task LockStartupAsync(JourneyFeedbackDb db)
    {
        if (db.Database.GetDbConnection() is NpgsqlConnection)
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7318204455012345001)");
    }

    public static string Describe(NpgsqlConnection connection) => $"PostgreSQL {connection.Host}:{connection.Port}/{connection.Database}";
}
