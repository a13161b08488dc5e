namespace JourneyFeedback.Api.Imports;

internal static class ImportStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

internal static class ImportKinds
{
    /// <summary>Web or product analytics events: no text, placed on touchpoints by each map's event rules (Journeys/).</summary>
    public const string Events = "events";

    /// <summary>Customer attributes (plan, country, tenure…) upserted by customer id (Segments/, docs/segments.md); no feedback items.</summary>
    public const string Customers = "customers";

    public static readonly string[] All = ["support-log", "complaint-log", "review", "interview", Events, Customers];
}

/// <summary>One uploaded file and the progress of turning its rows into feedback items.</summary>
internal sealed class Import
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public long FileSize { get; set; }
    public Guid? MapId { get; set; }

    /// <summary>The API key that uploaded it: imports being processed at once are limited per key (Imports:MaxConcurrentPerKey).</summary>
    public Guid? RequestedByKeyId { get; set; }

    /// <summary>The mapping as sent (JSON), and what it resolved to against the header (field → column name).</summary>
    public string? MappingJson { get; set; }
    public Dictionary<string, string> ResolvedMapping { get; set; } = [];
    public string? DateFormat { get; set; }
    public string? SlashDateOrder { get; set; }
    public double? RatingScale { get; set; }
    public bool RedactPersonalData { get; set; } = true;

    public string Status { get; set; } = ImportStatus.Queued;
    public string? DetectedEncoding { get; set; }
    public string? DetectedDelimiter { get; set; }
    public string? FailureReason { get; set; }

    public long BytesRead { get; set; }
    public long RowsRead { get; set; }
    public long Imported { get; set; }
    public long SkippedDuplicates { get; set; }

    /// <summary>
    /// Duplicates of items that were on no map, put on this import's map (a re-import with a map). Rows add up:
    /// Imported + SkippedDuplicates + Attached + Rejected = RowsRead.
    /// </summary>
    public long Attached { get; set; }
    public long Rejected { get; set; }

    /// <summary>Data rows up to here are committed; a resumed import skips them.</summary>
    public long LastCommittedRow { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>The instance processing it and when it last reported; a stale heartbeat lets another run take over.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? HeartbeatAt { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>A row that could not be used, with where it is and why.</summary>
internal sealed class ImportRejection
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid ImportId { get; set; }
    public long LineNumber { get; set; }
    public string? Column { get; set; }
    public required string Reason { get; set; }
    public string? Excerpt { get; set; }
}
