namespace JourneyFeedback.Api.Imports;

public sealed record RejectedRow(long Line, string? Column, string Reason, string? Excerpt);

/// <summary>
/// An import and its progress. <c>rowsPerSecond</c> and <c>estimatedSecondsLeft</c> are measured at the last committed
/// batch (rows and bytes done over the time since processing started); null while nothing is measured yet, and the
/// estimate is null once the import has finished (the rate then is the whole run's). Every data row is counted once:
/// <c>imported</c> (new), <c>skippedDuplicates</c> (already stored, and on a map or the import has none),
/// <c>attached</c> (already stored on no map, now put on the import's map) or <c>rejected</c>. While it is queued,
/// <c>queuePosition</c> (1: next; imports of all workspaces queued before it count) and <c>queuedReason</c> say why it
/// waits, e.g. its API key's limit of imports processed at once; both are given by <c>GET /api/imports/{id}</c> and the upload.
/// </summary>
public sealed record ImportStatusResponse(
    Guid Id,
    string Kind,
    string FileName,
    long FileSize,
    Guid? MapId,
    string Status,
    string? FailureReason,
    long BytesRead,
    long RowsRead,
    long Imported,
    long SkippedDuplicates,
    long Attached,
    long Rejected,
    double PercentDone,
    string? DetectedEncoding,
    string? DetectedDelimiter,
    IReadOnlyDictionary<string, string> Mapping,
    string? DateFormat,
    double? RatingScale,
    IReadOnlyList<RejectedRow> FirstRejectedRows,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    double? RowsPerSecond,
    long? EstimatedSecondsLeft,
    int? QueuePosition = null,
    string? QueuedReason = null);

/// <summary>A row as it would be stored (dry run).</summary>
public sealed record PreviewRow(
    long Line, string Text, string? ExternalId, string? CustomerId, DateTime OccurredAt, string? Channel, string? Source,
    double? Rating, double? RatingScale, string? Title, string? Language, string? Participant, string? Question,
    string? Metadata);

/// <summary>An analytics event as it would be stored (dry run of an events import).</summary>
public sealed record PreviewEvent(
    long Line, string CustomerId, DateTime OccurredAt, string? Event, string? Url, string? Path, string? SessionId, string? Properties);

/// <summary>A customer as a customers import would upsert it (dry run): normalised attribute keys and values, empty cells left out.</summary>
public sealed record PreviewCustomer(long Line, string CustomerId, IReadOnlyDictionary<string, string> Attributes);

public sealed record ImportPreview(
    string FileName,
    string Kind,
    string DetectedEncoding,
    string DetectedDelimiter,
    IReadOnlyList<string> Columns,
    IReadOnlyDictionary<string, string> Mapping,
    IReadOnlyList<string> UnmappedColumns,
    string? DateFormat,
    double? RatingScale,
    bool RedactPersonalData,
    IReadOnlyList<PreviewRow> Rows,
    IReadOnlyList<RejectedRow> Rejected,
    IReadOnlyList<PreviewEvent>? Events,
    IReadOnlyList<PreviewCustomer>? Customers = null,
    IReadOnlyDictionary<string, string>? AttributeKeys = null);
