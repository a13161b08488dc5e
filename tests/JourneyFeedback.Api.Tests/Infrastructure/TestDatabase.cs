using Npgsql;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// The database behind one test API (or several instances of it): a SQLite file in the API's data folder by default, or,
/// when <c>JF_TEST_POSTGRES</c> holds a connection string to a PostgreSQL server (<c>.ci/run</c> starts one), a fresh
/// database on that server, dropped again on dispose. The whole integration suite runs unchanged on either engine.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "JF_TEST_POSTGRES";

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

    public void Dispose()
    {
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
