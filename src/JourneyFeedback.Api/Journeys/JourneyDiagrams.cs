using System.Globalization;
using System.Net;
using System.Text;

namespace JourneyFeedback.Api.Journeys;

/// <summary>
/// The observed paths as an inline SVG (Sankey-style: touchpoints as nodes in their stage's column, heights by
/// customers; forward moves as blue bands, backward moves as dashed red arcs under the map) and the funnel as HTML bars,
/// for the self-contained map view. No scripts, no external assets.
/// </summary>
internal static class JourneyDiagrams
{
    private const int ColumnWidth = 260;
    private const int NodeWidth = 14;
    private const int Height = 320;
    private const int Top = 20;
    private const int BackwardRoom = 70;
    private const int MaxEdges = 40;

    public static string PathSvg(JourneyGraph graph, IReadOnlyList<string> stageNames)
    {
        var columns = Math.Max(1, stageNames.Count);
        var width = columns * ColumnWidth;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Observed paths\" class=\"paths\" width=\"{width}\" height=\"{Height + BackwardRoom + 30}\" viewBox=\"0 0 {width} {Height + BackwardRoom + 30}\">");
        if (graph.Nodes.Length == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"30\" font-size=\"13\" fill=\"#52606d\">No customer contacts on the map's touchpoints yet.</text></svg>");
            return svg.ToString();
        }

        // One scale for every column: the busiest stage fills the height, with 10 px between its nodes.
        var byStage = graph.Nodes.GroupBy(n => n.StageIndex).ToDictionary(g => g.Key, g => g.ToList());
        var busiest = byStage.Max(s => s.Value.Sum(n => n.Customers));
        var mostNodes = byStage.Max(s => s.Value.Count);
        var scale = (Height - Top - 10.0 * mostNodes) / Math.Max(1, busiest);
        var boxes = new Dictionary<Guid, (double X, double Y, double H)>();
        foreach (var (stage, nodes) in byStage)
        {
            var y = (double)Top;
            foreach (var node in nodes)
            {
                var h = Math.Max(3, node.Customers * scale);
                boxes[node.TouchpointId] = (stage * ColumnWidth + 40, y, h);
                y += h + 10;
            }
        }

        foreach (var edge in graph.Edges.OrderByDescending(e => e.Customers).Take(MaxEdges).OrderBy(e => e.Backward))
        {
            var (x1, y1, h1) = boxes[edge.FromTouchpointId];
            var (x2, y2, h2) = boxes[edge.ToTouchpointId];
            var stroke = Math.Max(1, Math.Min(Math.Min(h1, h2), edge.Customers * scale));
            var title = $"{edge.FromName} → {edge.ToName}: {edge.Customers} customers, {edge.Transitions} moves, median {Duration(edge.MedianSeconds)}";
            string path;
            if (edge.Backward)
            {
                var bottom = Height + BackwardRoom * Math.Min(1, 0.4 + Math.Abs(x1 - x2) / (3.0 * ColumnWidth));
                path = $"M{N(x1 + NodeWidth / 2.0)},{N(y1 + h1)} C{N(x1)},{N(bottom)} {N(x2 + NodeWidth)},{N(bottom)} {N(x2 + NodeWidth / 2.0)},{N(y2 + h2)}";
                svg.Append(CultureInfo.InvariantCulture,
                    $"<path class=\"backward\" d=\"{path}\" fill=\"none\" stroke=\"#d64545\" stroke-opacity=\"0.55\" stroke-dasharray=\"6 4\" stroke-width=\"{N(stroke)}\"><title>{E(title)} (backward)</title></path>");
                continue;
            }
            double sx = x1 + NodeWidth, sy = y1 + h1 / 2, ex = x2, ey = y2 + h2 / 2;
            if (Math.Abs(x1 - x2) < 1)
            {
                // Two touchpoints of one stage: a loop out to the right of the column.
                path = $"M{N(sx)},{N(sy)} C{N(sx + 60)},{N(sy)} {N(sx + 60)},{N(ey)} {N(sx)},{N(ey)}";
            }
            else path = $"M{N(sx)},{N(sy)} C{N((sx + ex) / 2)},{N(sy)} {N((sx + ex) / 2)},{N(ey)} {N(ex)},{N(ey)}";
            svg.Append(CultureInfo.InvariantCulture,
                $"<path class=\"forward\" d=\"{path}\" fill=\"none\" stroke=\"#4c63b6\" stroke-opacity=\"0.35\" stroke-width=\"{N(stroke)}\"><title>{E(title)}</title></path>");
        }

        foreach (var node in graph.Nodes)
        {
            var (x, y, h) = boxes[node.TouchpointId];
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"node\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{NodeWidth}\" height=\"{N(h)}\" fill=\"#243b53\"><title>{E(node.Name)}: {node.Customers} customers, {node.Contacts} contacts, {node.JourneysStarting} journeys start and {node.JourneysEnding} end here</title></rect>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{N(x + NodeWidth + 4)}\" y=\"{N(y + Math.Min(h, 24) / 2 + 4)}\" font-size=\"12\" fill=\"#1f2933\">{E(node.Name)} · {node.Customers}</text>");
        }
        for (var i = 0; i < stageNames.Count; i++)
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{N(i * ColumnWidth + 40)}\" y=\"12\" font-size=\"12\" font-weight=\"600\" fill=\"#52606d\">{E(stageNames[i])}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The funnel as bars: customers per step, conversion, and for those who stopped where they were last and what they said.</summary>
    public static string FunnelHtml(Funnel funnel)
    {
        var html = new StringBuilder("<div class=\"funnel\">");
        var first = Math.Max(1, funnel.Steps.Length > 0 ? funnel.Steps[0].Customers : 0);
        foreach (var step in funnel.Steps)
        {
            var percent = 100.0 * step.Customers / first;
            html.Append(CultureInfo.InvariantCulture,
                $"<div class=\"step\"><b>{E(step.Name)}</b> <span class=\"small\">{step.Customers} customers · {N(percent)}% of the first step</span>");
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"fbar\"><div style=\"width:{N(percent)}%\"></div></div>");
            if (step.DropOff is { Customers: > 0 } drop)
            {
                var last = string.Join(", ", drop.LastTouchpoints.Take(3).Select(t => $"{E(t.Name)} ({t.Customers})"));
                var themes = string.Join(", ", drop.Themes.Take(3).Select(t => $"{E(t.Name)} ({t.Items})"));
                var said = drop.Sentiment.Negative + drop.Sentiment.Neutral + drop.Sentiment.Positive;
                html.Append(CultureInfo.InvariantCulture,
                    $"<div class=\"drop small\">{drop.Customers} stopped here ({N(100 * step.DropOffRate)}%) · last seen at {last}");
                if (said > 0) html.Append(CultureInfo.InvariantCulture, $" · {drop.Sentiment.Negative} of their {said} analysed comments negative");
                if (themes.Length > 0) html.Append(CultureInfo.InvariantCulture, $" · they said: {themes}");
                html.Append("</div>");
            }
            html.Append("</div>");
        }
        return html.Append("</div>").ToString();
    }

    internal static string Duration(double seconds) => seconds switch
    {
        < 120 => $"{N(seconds)} s",
        < 7200 => $"{N(seconds / 60)} min",
        < 172800 => $"{N(seconds / 3600)} h",
        _ => $"{N(seconds / 86400)} d",
    };

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>The default journey answers the map view shows: every contact, 30-day journeys, the stages as a 14-day funnel.</summary>
internal static class JourneyViews
{
    public static async Task<(JourneyGraph?, Funnel?)> DefaultsAsync(JourneyLogCache logs, Data.JourneyFeedbackDb db, Guid workspaceId, Guid mapId,
        CancellationToken ct)
    {
        if (await logs.GetAsync(db, workspaceId, mapId, ct) is not var (entry, _) || entry.Log.Count == 0) return (null, null);
        var graph = entry.Answer("view|journeys", () => JourneyAnalysis.Analyze(entry.Log,
            new JourneyQuery(null, null, null, JourneyWindows.DefaultGap, false, 10)));
        var steps = JourneysEndpoints.FunnelSteps(entry.Log, null, out var problem);
        var funnel = problem is not null ? null : entry.Answer("view|funnel", () => FunnelAnalysis.Analyze(entry.Log,
            new FunnelQuery(null, null, null, steps, JourneyWindows.DefaultFunnelWindow, FunnelMode.Ordered, 3)));
        return (graph, funnel);
    }
}
