namespace JourneyFeedback.Api.Imports;

internal sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Rows per transaction: the unit that is committed (or not) as a whole.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>A running import whose heartbeat is older than this is taken over (after a crash or kill).</summary>
    public int StaleAfterSeconds { get; set; } = 60;
    public int PollSeconds { get; set; } = 5;

    /// <summary>
    /// SQLite page cache of an import's connection, in MB, while it runs (SQLite's default is 2 MB). A million rows make
    /// a unique dedup index of about 70 MB with keys in no order; when it does not fit, every insert reads pages back
    /// (1M events: 31 s of writing; docs/benchmarks.md). The connection returns to the default when the import ends.
    /// </summary>
    public int SqliteCacheMegabytes { get; set; } = 128;
}
