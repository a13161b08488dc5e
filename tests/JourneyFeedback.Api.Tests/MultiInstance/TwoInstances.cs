using JourneyFeedback.Api.Tests.Infrastructure;
using Npgsql;

namespace JourneyFeedback.Api.Tests.MultiInstance;

/// <summary>
/// Two API processes on one PostgreSQL database, as behind a load balancer: their own memory, caches and background
/// workers, one shared database and one shared data folder (uploads must be readable by whichever instance imports them).
/// </summary>
public class TwoInstances : IAsyncLifetime
{
    public const string Key = "multi-instance-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
    private TestDatabase? _database;

    public ApiProcess A { get; private set; } = null!;
    public ApiProcess B { get; private set; } = null!;

    public static readonly Dictionary<string, string> Settings = new()
    {
        ["Imports:PollSeconds"] = "1",
        ["Imports:BatchSize"] = "2000",
        ["Analysis:AnalyzeDuringImport"] = "false",
        ["RateLimits:Public:PermitLimit"] = "1000000",
        ["RateLimits:Api:PermitLimit"] = "1000000",
    };

    /// <summary>What a fixture for particular tests sets on top of <see cref="Settings"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string> MoreSettings { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        if (!TestDatabase.UsesPostgres) return; // every test here is skipped
        _database = TestDatabase.Create();
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in MoreSettings) settings[key] = value;
        A = await ApiProcess.StartAsync(_dataDirectory, Key, settings, _database);
        B = await ApiProcess.StartAsync(_dataDirectory, Key, settings, _database);
    }

    /// <summary>A direct connection for checking what is stored.</summary>
    public NpgsqlConnection OpenDatabase()
    {
        var connection = new NpgsqlConnection(_database!.ConnectionString);
        connection.Open();
        return connection;
    }

    public Task DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        _database?.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}

/// <summary>Two instances that take over a running import whose heartbeat is three seconds old.</summary>
public sealed class TwoInstancesQuickToTakeOver : TwoInstances
{
    public const int StaleAfterSeconds = 3;

    protected override IReadOnlyDictionary<string, string> MoreSettings { get; } =
        new Dictionary<string, string> { ["Imports:StaleAfterSeconds"] = StaleAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
