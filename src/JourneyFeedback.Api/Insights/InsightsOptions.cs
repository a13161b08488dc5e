namespace JourneyFeedback.Api.Insights;

/// <summary>How the per-map evidence snapshots stay current (section "Insights"; docs/insights.md, "How current an answer is").</summary>
internal sealed class InsightsOptions
{
    public const string Section = "Insights";

    /// <summary>A request waits for a refresh only when the map's last refresh took at most this long …</summary>
    public int QuickRefreshMilliseconds { get; set; } = 50;

    /// <summary>… and it has at most this many changed rows to read (a rebuild reads them all).</summary>
    public int QuickRefreshRows { get; set; } = 20_000;

    /// <summary>The longest a request waits for such a refresh before it answers from the snapshot it has.</summary>
    public int MaxWaitMilliseconds { get; set; } = 250;

    /// <summary>
    /// While a map's evidence streams in, its snapshot catches up in the background at most this often (one refresh at a
    /// time per map): an answer is at most about this plus one refresh behind.
    /// </summary>
    public int RefreshIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// On a big map the interval grows so that the work of a refresh that is proportional to the map's size (splicing the
    /// columns, grouping and naming themes) takes at most this share of a core; reading the changed rows is not counted.
    /// </summary>
    public double RefreshShare { get; set; } = 0.05;

    /// <summary>
    /// Snapshots of maps with at least this many items are saved under Storage:DataDirectory/snapshots/ (a smaller map
    /// builds fast anyway); a restarted instance loads one and catches up on the rows changed since. -1: never.
    /// </summary>
    public int SaveSnapshotMinItems { get; set; } = 20_000;

    /// <summary>A map's snapshot is saved right after a full build and otherwise at most this often.</summary>
    public int SaveSnapshotSeconds { get; set; } = 120;

    /// <summary>After start-up, the snapshots of up to this many maps read in the last <see cref="WarmDays"/> are built in the background.</summary>
    public int WarmMaps { get; set; } = 10;

    public int WarmDays { get; set; } = 7;
}
