using System.Globalization;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Insights;
using JourneyFeedback.Api.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JourneyFeedback.Api.Comparisons;

/// <summary>
/// What a compare request asks: two periods over one segment (<c>current</c>, <c>previous</c>, <c>segment</c>) or two
/// segments over one period (<c>a</c>, <c>b</c>, <c>period</c>). Periods are <c>from/to</c> with ISO dates or times; a
/// date-only <c>to</c> includes that whole day.
/// </summary>
internal sealed record ComparisonQuery(string Mode, EvidenceSelection A, EvidenceSelection B)
{
    public const string Periods = "periods", Segments = "segments";

    public static async Task<(ComparisonQuery? Query, ProblemHttpResult? Problem)> ReadAsync(SegmentResolver segments, Guid workspaceId,
        string? current, string? previous, string? segment, string? a, string? b, string? period, CancellationToken ct)
    {
        if (a is not null || b is not null)
        {
            if (string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b))
                return (null, Problems.BadRequest(string.IsNullOrWhiteSpace(a) ? "a" : "b", "A segment comparison needs both a and b (segment ids or expressions)."));
            if (current is not null || previous is not null || segment is not null)
                return (null, Problems.BadRequest("a", "Compare two segments (a, b, period) or two periods (current, previous, segment), not both."));
            if (!TryPeriod(period, "period", optional: true, out var window, out var problem)) return (null, problem);
            var (first, firstProblem) = await segments.ResolveAsync(workspaceId, a, ct, "a");
            if (first is null) return (null, firstProblem);
            var (second, secondProblem) = await segments.ResolveAsync(workspaceId, b, ct, "b");
            if (second is null) return (null, secondProblem);
            return (new ComparisonQuery(Segments, new EvidenceSelection(window.From, window.To, first), new EvidenceSelection(window.From, window.To, second)), null);
        }
        {
            if (!TryPeriod(current, "current", optional: false, out var now, out var problem)) return (null, problem);
            if (!TryPeriod(previous, "previous", optional: false, out var before, out problem)) return (null, problem);
            var (filter, segmentProblem) = await segments.ResolveAsync(workspaceId, segment, ct);
            if (segmentProblem is not null) return (null, segmentProblem);
            return (new ComparisonQuery(Periods, new EvidenceSelection(now.From, now.To, filter), new EvidenceSelection(before.From, before.To, filter)), null);
        }
    }

    public ComparisonSide Side(EvidenceSelection selection, int items, string label) => new(label, selection.From, selection.To, selection.Segment?.View, items);

    public string LabelA => Mode == Periods ? "current" : "a";
    public string LabelB => Mode == Periods ? "previous" : "b";

    private static readonly string[] Formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.fffZ"];

    private static bool TryPeriod(string? text, string parameter, bool optional, out DateWindow window, out ProblemHttpResult? problem)
    {
        window = default;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (optional) return true;
            problem = Problems.BadRequest(parameter, $"Required: a period as from/to, e.g. {parameter}=2026-10-01/2026-10-31.");
            return false;
        }
        var parts = text.Split('/');
        if (parts.Length != 2 || !TryDate(parts[0], out var from) || !TryDate(parts[1], out var to))
        {
            problem = Problems.BadRequest(parameter, $"'{StorableText.Printable(text)}' is not a period: use from/to with ISO dates, e.g. 2026-10-01/2026-10-31.");
            return false;
        }
        window = DateWindow.FromQuery(from, to);
        if (window.EndsBeforeItStarts)
        {
            problem = Problems.BadRequest(parameter, "The period ends before it starts.");
            return false;
        }
        return true;
    }

    private static bool TryDate(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
}
