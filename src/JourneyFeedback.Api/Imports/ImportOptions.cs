namespace JourneyFeedback.Api.Imports;

/// <summary>Settings under <c>Imports:</c> (README, docs/imports.md).</summary>
internal sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Rows per transaction: the unit that is committed (or not) as a whole.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>A running import whose heartbeat is older than this is taken over (after a crash or kill).</summary>
    public int StaleAfterSeconds { get; set; } = 60;
    public int PollSeconds { get; set; } = 5;

    /// <summary>
    /// Imports uploaded with one API key that are processed at the same time, counted over all instances; the key's
    /// other imports stay queued (with the reason) so one busy client cannot take every worker.
    /// </summary>
    public int MaxConcurrentPerKey { get; set; } = 2;

    /// <summary>Uploads this instance receives at once; one more is answered 429 before its body is read.</summary>
    public int MaxConcurrentUploads { get; set; } = 4;

    /// <summary>How long a finished import's uploaded file stays in the data folder; zero: removed once the import finishes.</summary>
    public TimeSpan KeepUploadsFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Files under <c>imports/</c> that no import owns (an upload cut off by a crash, a deleted workspace's imports) are
    /// removed once they have not been written for this long; long enough that an upload being received is never one.
    /// </summary>
    public TimeSpan OrphanUploadsAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the data folder's uploads are checked against those rules.</summary>
    public double UploadSweepSeconds { get; set; } = 600;
}
