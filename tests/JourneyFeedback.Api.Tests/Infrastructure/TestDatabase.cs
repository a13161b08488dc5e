using System.Collections.Concurrent;
using Npgsql;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// The database behind one test API (or several instances of it): a SQLite file in the API's data folder by default, or,
/// when <c>JF_TEST_POSTGRES</c> holds a connection string to a PostgreSQL server (<c>.ci/run</c> starts one), a fresh
/// database on that server, dropped again on dispose. The whole integration suite runs unchanged on either engine.
/// As with SQLite, an API started again on the same data folder finds the same database (<see cref="ForDataDirectory"/>).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "JF_TEST_POSTGRES";

    private static readonly ConcurrentDictionary<string, TestDatabase> ByDataDirectory = new(StringComparer.Ordinal);
    private static readonly ConcurrentBag<TestDatabase> DropAtExit = [];

    private TestDatabase(string? connectionString) => ConnectionString = connectionString;

    /// <summary>The server the suite runs against, if any.</summary>
    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;

    public static bool UsesPostgres => PostgresServer is not null;

    /// <summary>The PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>Configuration that points the API at this database (nothing on SQLite: the data folder decides).</summary>
    public IReadOnlyDictionary<string, string> Settings => ConnectionString is null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Default"] = ConnectionString };

    public static TestDatabase Create()
    {
        if (PostgresServer is not { } server) return new TestDatabase(null);
        var name = "jf_test_" + Guid.NewGuid().ToString("N");
        using (var admin = new NpgsqlConnection(Admin(server)))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            create.ExecuteNonQuery();
        }
        return new TestDatabase(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    /// <summary>
    /// The database of an API that owns <paramref name="dataDirectory"/>, so a test that starts the API again on that
    /// folder (a restart, a second instance) gets the same data on PostgreSQL as it does on SQLite. One created here
    /// lives until the test run ends.
    /// </summary>
    public static TestDatabase ForDataDirectory(string dataDirectory) =>
        ByDataDirectory.GetOrAdd(Path.GetFullPath(dataDirectory), _ =>
        {
            var database = Create();
            if (database.ConnectionString is not null && DropAtExit.IsEmpty)
                AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var d in DropAtExit) d.Dispose(); };
            DropAtExit.Add(database);
            return database;
        });

    /// <summary>Records that an API owning <paramref name="dataDirectory"/> uses <paramref name="database"/> (until it is disposed).</summary>
    public static void Register(string dataDirectory, TestDatabase database) => ByDataDirectory[Path.GetFullPath(dataDirectory)] = database;

    public void Dispose()
    {
        foreach (var (directory, database) in ByDataDirectory)
            if (ReferenceEquals(database, this)) ByDataDirectory.TryRemove(directory, out _);
        if (ConnectionString is null || PostgresServer is not { } server) return;
        // Idle pooled connections of this test process would block the drop; FORCE ends those of API processes.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        using var admin = new NpgsqlConnection(Admin(server));
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }

    private static string Admin(string server) =>
        new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
}
