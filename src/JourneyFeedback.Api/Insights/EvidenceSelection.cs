using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JourneyFeedback.Api.Insights;

/// <summary>Which items count: OccurredAt in [From, To) and, optionally, one segment (kind, source, channel or language).</summary>
internal sealed record EvidenceSelection(DateTime? From, DateTime? To, Segment? Segment)
{
    /// <summary>Reads from/to/segment; a date without a time in <c>to</c> includes that whole day.</summary>
    public static EvidenceSelection? FromQuery(DateTime? from, DateTime? to, string? segment, out ProblemHttpResult? problem)
    {
        problem = null;
        var parsed = Segment.Parse(segment, out var error);
        if (error is not null) { problem = Problems.BadRequest("segment", error); return null; }
        var window = DateWindow.FromQuery(from, to);
        if (window.EndsBeforeItStarts) { problem = Problems.BadRequest("to", "'to' must be after 'from'."); return null; }
        return new EvidenceSelection(window.From, window.To, parsed);
    }
}
