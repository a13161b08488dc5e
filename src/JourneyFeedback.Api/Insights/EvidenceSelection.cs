using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JourneyFeedback.Api.Insights;

/// <summary>Which items count: OccurredAt in [From, To) and, optionally, those of one segment (docs/segments.md).</summary>
internal sealed record EvidenceSelection(DateTime? From, DateTime? To, SegmentFilter? Segment)
{
    /// <summary>Reads from/to/segment; a date without a time in <c>to</c> includes that whole day.</summary>
    public static Task<(EvidenceSelection? Selection, ProblemHttpResult? Problem)> FromQueryAsync(SegmentResolver segments, Guid workspaceId,
        DateTime? from, DateTime? to, string? segment, CancellationToken ct) =>
        WindowedAsync(from, to, () => segments.ResolveAsync(workspaceId, segment, ct));

    /// <summary>As <see cref="FromQueryAsync"/> for a map's view, where <c>for=persona</c> selects the map's persona's segment.</summary>
    public static Task<(EvidenceSelection? Selection, ProblemHttpResult? Problem)> ForMapAsync(SegmentResolver segments, Maps.JourneyMap map,
        DateTime? from, DateTime? to, string? forWhom, string? segment, CancellationToken ct) =>
        WindowedAsync(from, to, () => segments.ForMapAsync(map, forWhom, segment, ct));

    private static async Task<(EvidenceSelection? Selection, ProblemHttpResult? Problem)> WindowedAsync(DateTime? from, DateTime? to,
        Func<Task<(SegmentFilter? Filter, ProblemHttpResult? Problem)>> segment)
    {
        var window = DateWindow.FromQuery(from, to);
        if (window.EndsBeforeItStarts) return (null, Problems.BadRequest("to", "'to' must be after 'from'."));
        var (filter, problem) = await segment();
        return problem is null ? (new EvidenceSelection(window.From, window.To, filter), null) : (null, problem);
    }
}
