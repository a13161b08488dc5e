using System.Globalization;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Maps;
using Microsoft.AspNetCore.Components;

namespace JourneyFeedback.Api.Insights;

public partial class MapViewPage
{
    private const int ColumnWidth = 260;
    private const int CurveHeight = 160;

    [Parameter, EditorRequired] public required AuthoredMap Map { get; set; }

    [Parameter, EditorRequired] public required MapInsights Insights { get; set; }

    /// <summary>The observed paths (inline SVG) and the funnel (HTML), when the map has customer contacts on its touchpoints.</summary>
    [Parameter] public MarkupString? PathDiagram { get; set; }

    [Parameter] public MarkupString? FunnelDiagram { get; set; }

    [Parameter] public string? JourneySummary { get; set; }

    /// <summary>The last weeks per touchpoint, for the sparklines (no NPS or themes needed).</summary>
    [Parameter] public MapTrendsResponse? Weekly { get; set; }

    /// <summary>Where "Download CSV / Markdown" point: the export endpoint, or the share link's own export when the page is shared.</summary>
    [Parameter] public DownloadLinks? Downloads { get; set; }

    public sealed record DownloadLinks(string Csv, string Markdown);

    /// <summary>What the page shows of the authored map (the map's entities are internal to the API).</summary>
    public sealed record AuthoredMap(string Name, string? Persona, string? Goal, IReadOnlyDictionary<Guid, IReadOnlyList<AuthoredLane>> LanesByStage)
    {
        internal static AuthoredMap From(JourneyMap map) => new(map.Name, map.Persona.Name, map.Goal, map.Stages.ToDictionary(
            s => s.Id,
            s => (IReadOnlyList<AuthoredLane>)[new("Emotions", s.Lanes.Emotions), new("Pain points", s.Lanes.PainPoints), new("Questions", s.Lanes.Questions)]));
    }

    public sealed record AuthoredLane(string Title, IReadOnlyList<string> Entries);

    /// <summary>Parameters for <see cref="Hosting.HtmlPage{TComponent}"/>.</summary>
    internal static Dictionary<string, object?> Parameters(JourneyMap map, MapInsights insights, Journeys.JourneyGraph? paths = null,
        Journeys.Funnel? funnel = null, MapTrendsResponse? weekly = null, DownloadLinks? downloads = null)
    {
        var parameters = new Dictionary<string, object?>
        {
            [nameof(Map)] = AuthoredMap.From(map), [nameof(Insights)] = insights, [nameof(Weekly)] = weekly, [nameof(Downloads)] = downloads,
        };
        if (paths is { Customers: > 0 })
        {
            parameters[nameof(PathDiagram)] = (MarkupString?)new MarkupString(
                Journeys.JourneyDiagrams.PathSvg(paths, [.. map.Stages.OrderBy(s => s.Position).Select(s => s.Name)]));
            parameters[nameof(JourneySummary)] = $"{Count(paths.Customers)} customers, {Count(paths.Journeys)} journeys; "
                + $"{Number(100 * paths.Squiggle.BackwardShare)}% went back, {Number(100 * paths.Squiggle.ReworkShare)}% repeated a touchpoint";
        }
        if (funnel is { Entered: > 0 }) parameters[nameof(FunnelDiagram)] = (MarkupString?)new MarkupString(Journeys.JourneyDiagrams.FunnelHtml(funnel));
        return parameters;
    }

    private int Columns => Math.Max(1, Map.LanesByStage.Count);

    private string Summary => string.Join(" · ", new[]
    {
        Map.Persona is { } persona ? $"Persona: {persona}" : null,
        Map.Goal is { } goal ? $"Goal: {goal}" : null,
        Insights.SegmentDetails switch
        {
            null => "For everyone",
            { Persona: true } s => $"For this persona ({s.Name}: {s.Expression})",
            { Name: { } name } s => $"For segment {name} ({s.Expression})",
            var s => $"For segment {s.Expression}",
        },
        $"{Count(Insights.Items)} feedback items, {Count(Insights.Unassigned)} in the inbox",
        Insights.Surveys?.Nps is { } nps ? $"NPS {Number(nps.Score)} ± {Number(nps.MarginOfError)}" : null,
        Insights.Languages.Count > 1 ? "Languages: " + LanguageSummary(Insights.Languages) : null,
    }.OfType<string>());

    /// <summary>"en 120, pl 40, unknown 3": shown where a map holds more than one language.</summary>
    internal static string LanguageSummary(IReadOnlyList<LanguageCount> languages) =>
        string.Join(", ", languages.Select(l => $"{(l.Language.Length == 0 ? "unknown" : l.Language)} {Count(l.Items)}"));

    private static string Nps(SurveyScores? surveys) =>
        surveys?.Nps is { } nps ? $" · NPS {Number(nps.Score)} ± {Number(nps.MarginOfError)}" : "";

    // The emotion curve: one column per stage, valence −1..+1 from bottom to top.
    private int CurveWidth => Math.Max(1, Insights.Stages.Count) * ColumnWidth;

    private static int CurveBoxHeight => CurveHeight + 24;

    private static int CurveLabelY => CurveHeight + 16;

    private static string CurveZero => Number(Y(0));

    private static double X(int stage) => (stage + 0.5) * ColumnWidth;

    private static double Y(double valence) => 10 + (1 - (valence + 1) / 2) * (CurveHeight - 20);

    private sealed record CurvePoint(string X, string Mean, string Low, string High, string Title);

    /// <summary>Points of consecutive scored stages; the band (95% interval) and the line are drawn when there are two or more.</summary>
    private sealed record CurveSegment(IReadOnlyList<CurvePoint> Points, string Band, string Line);

    private sealed record CurveLabel(string X, string Name);

    /// <summary>
    /// Consecutive stages with a score form one segment: a stage without evidence breaks the curve instead of inventing it.
    /// </summary>
    private IEnumerable<CurveSegment> CurveSegments()
    {
        var current = new List<(int Index, EmotionScore Score)>();
        for (var i = 0; i <= Insights.Stages.Count; i++)
        {
            if (i < Insights.Stages.Count && Insights.Stages[i].EmotionScore is { } score) current.Add((i, score));
            else if (current.Count > 0)
            {
                yield return Segment(current);
                current = [];
            }
        }
    }

    private static CurveSegment Segment(List<(int Index, EmotionScore Score)> points)
    {
        string At(int index, double valence) => $"{Number(X(index))},{Number(Y(valence))}";
        var upper = points.Select(p => At(p.Index, p.Score.Ci95.High));
        var lower = points.AsEnumerable().Reverse().Select(p => At(p.Index, p.Score.Ci95.Low));
        return new CurveSegment(
            points.Select(p => new CurvePoint(Number(X(p.Index)), Number(Y(p.Score.Mean)), Number(Y(p.Score.Ci95.Low)), Number(Y(p.Score.Ci95.High)),
                $"{Number(p.Score.Mean, "0.00")} ({Number(p.Score.Ci95.Low, "0.00")} … {Number(p.Score.Ci95.High, "0.00")}), n={Count(p.Score.Items)}")).ToList(),
            Band: string.Join(' ', upper.Concat(lower)),
            Line: string.Join(' ', points.Select(p => At(p.Index, p.Score.Mean))));
    }

    private IEnumerable<CurveLabel> CurveLabels() => Insights.Stages.Select((stage, i) => new CurveLabel(Number(X(i)), stage.Name));

    // A sparkline: one bar per week (items, scaled to the touchpoint's busiest week) and the negative share 0–100 % as a line.
    private const int SparkBarWidth = 8;
    private const int SparkStep = 10;
    private const int SparkHeight = 32;

    private sealed record SparkBar(string X, string Y, string Height, string Title);

    private sealed record SparkDot(string X, string Y);

    private sealed record Spark(int Width, string Label, IReadOnlyList<SparkBar> Bars, IReadOnlyList<string> Lines, IReadOnlyList<SparkDot> Dots);

    /// <summary>The touchpoint's sparkline; null when it had no items in those weeks (nothing to draw).</summary>
    private Spark? Sparkline(Guid touchpointId)
    {
        if (Weekly?.Touchpoints.FirstOrDefault(t => t.Id == touchpointId) is not { } trend || trend.Points.All(p => p.Items == 0)) return null;
        var points = trend.Points;
        var busiest = points.Max(p => p.Items);
        double Middle(int week) => week * SparkStep + SparkBarWidth / 2.0;
        double NegativeY(double percent) => 2 + (100 - percent) / 100 * (SparkHeight - 4);

        var bars = points.Select((p, week) =>
        {
            var height = (SparkHeight - 2) * (double)p.Items / busiest;
            var negative = p.Analysed > 0 ? $", {Number(p.NegativePercent)}% negative" : "";
            return new SparkBar(Number(week * SparkStep), Number(SparkHeight - height), Number(height),
                $"Week of {Day(p.Start)}: {Count(p.Items)} {(p.Items == 1 ? "item" : "items")}{negative}");
        }).ToList();

        // Weeks with analysed items in a row make a line; a week without breaks it rather than invent a share.
        var lines = new List<string>();
        var run = new List<string>();
        var dots = new List<SparkDot>();
        for (var week = 0; week <= points.Count; week++)
        {
            if (week < points.Count && points[week].Analysed > 0)
            {
                run.Add($"{Number(Middle(week))},{Number(NegativeY(points[week].NegativePercent))}");
                dots.Add(new SparkDot(Number(Middle(week)), Number(NegativeY(points[week].NegativePercent))));
            }
            else
            {
                if (run.Count > 1) lines.Add(string.Join(' ', run));
                run = [];
            }
        }

        var analysed = points.Where(p => p.Analysed > 0).ToList();
        var negativeRange = analysed.Count == 0 ? "no analysed items"
            : $"{Number(analysed.Min(p => p.NegativePercent))}% to {Number(analysed.Max(p => p.NegativePercent))}% negative";
        var label = $"{trend.Name}, {points.Count} weeks from {Day(points[0].Start)}: {Count(points.Min(p => p.Items))} to {Count(busiest)} items a week, {negativeRange}";
        return new Spark(points.Count * SparkStep, label, bars, lines, dots);
    }

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Where a quote comes from; also used by the Markdown export.</summary>
    internal static string Origin(EvidenceOrigin origin) => origin.Type == "import"
        ? $"{origin.FileName}, line {origin.LineNumber}"
        : origin.InvitationRef is { } reference ? $"survey answer, invitation {reference}" : "survey answer";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);
}
