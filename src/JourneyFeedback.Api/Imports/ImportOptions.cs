namespace JourneyFeedback.Api.Imports;

internal sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Rows per transaction: the unit that is committed (or not) as a whole.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>A running import whose heartbeat is older than this is taken over (after a crash or kill).</summary>
    public int StaleAfterSeconds { get; set; } = 60;
    public int PollSeconds { get; set; } = 5;
}
