using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Maps;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// The map as one self-contained HTML page: stages as columns, touchpoints with item counts and NPS, the observed
/// emotion curve with its 95% band (inline SVG), and the top pain points with their quotes. No scripts, no external
/// assets, so it can be saved, mailed or printed as is.
/// </summary>
internal static class MapViewPage
{
    private const int ColumnWidth = 260;
    private const int CurveHeight = 160;

    public static string Render(JourneyMap map, MapInsights insights)
    {
        var html = new StringBuilder(32_000);
        var columns = Math.Max(1, map.Stages.Count);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(map.Name)).Append(" · journey map</title><style>")
            .Append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2933;background:#f7f8fa}")
            .Append("h1{margin:0 0 4px;font-size:24px}.meta{color:#52606d;margin:0 0 16px}")
            .Append($".grid{{display:grid;grid-template-columns:repeat({columns},minmax(220px,1fr));gap:12px;min-width:{columns * 230}px}}")
            .Append(".stage{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px}")
            .Append(".stage h2{font-size:16px;margin:0 0 8px}.tp{border-top:1px solid #e4e7eb;padding:8px 0}.tp b{display:block}")
            .Append(".small{font-size:12px;color:#52606d}.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:#e4e7eb;margin:4px 0}")
            .Append(".neg{background:#d64545}.neu{background:#9aa5b1}.pos{background:#3f9142}")
            .Append(".pain{background:#fff5f5;border-left:3px solid #d64545;padding:6px 8px;margin:6px 0;font-size:13px}")
            .Append("blockquote{margin:4px 0 0;font-style:italic;color:#3e4c59}.lane{font-size:13px;margin:4px 0}.lane span{color:#52606d}")
            .Append(".curve{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:8px;margin:12px 0;overflow-x:auto}")
            .Append("</style></head><body>");

        html.Append("<h1>").Append(E(map.Name)).Append("</h1><p class=\"meta\">");
        if (map.Persona.Name is { } persona) html.Append("Persona: ").Append(E(persona)).Append(" · ");
        if (map.Goal is { } goal) html.Append("Goal: ").Append(E(goal)).Append(" · ");
        html.Append(insights.Items.ToString(CultureInfo.InvariantCulture)).Append(" feedback items, ")
            .Append(insights.Unassigned.ToString(CultureInfo.InvariantCulture)).Append(" in the inbox");
        if (insights.Surveys?.Nps is { } nps) html.Append(" · NPS ").Append(Number(nps.Score)).Append(" ± ").Append(Number(nps.MarginOfError));
        html.Append("</p>");

        html.Append("<div class=\"curve\"><div class=\"small\">Observed emotion curve: mean valence per stage (−1 negative … +1 positive) with its 95% interval</div>");
        AppendCurve(html, insights.Stages);
        html.Append("</div><div class=\"grid\">");
        foreach (var stage in insights.Stages)
        {
            var authored = map.Stages.First(s => s.Id == stage.Id).Lanes;
            html.Append("<section class=\"stage\"><h2>").Append(E(stage.Name)).Append("</h2><div class=\"small\">")
                .Append(stage.Items.ToString(CultureInfo.InvariantCulture)).Append(" items");
            if (stage.EmotionScore is { } score) html.Append(" · valence ").Append(Number(score.Mean, "0.00"));
            html.Append("</div>");
            AppendLane(html, "Emotions", authored.Emotions);
            AppendLane(html, "Pain points", authored.PainPoints);
            AppendLane(html, "Questions", authored.Questions);
            foreach (var tp in stage.Touchpoints)
            {
                html.Append("<div class=\"tp\"><b>").Append(E(tp.Name)).Append("</b><span class=\"small\">")
                    .Append(tp.Items.ToString(CultureInfo.InvariantCulture)).Append(" items");
                if (tp.Surveys?.Nps is { } tpNps) html.Append(" · NPS ").Append(Number(tpNps.Score)).Append(" ± ").Append(Number(tpNps.MarginOfError));
                html.Append("</span>");
                if (tp.Sentiment.Analysed > 0)
                {
                    html.Append("<div class=\"bar\" title=\"negative / neutral / positive\">")
                        .Append("<div class=\"neg\" style=\"width:").Append(Number(tp.Sentiment.NegativePercent)).Append("%\"></div>")
                        .Append("<div class=\"neu\" style=\"width:").Append(Number(tp.Sentiment.NeutralPercent)).Append("%\"></div>")
                        .Append("<div class=\"pos\" style=\"width:").Append(Number(tp.Sentiment.PositivePercent)).Append("%\"></div></div>");
                }
                foreach (var theme in tp.PainPoints.Take(3))
                {
                    html.Append("<div class=\"pain\"><b>").Append(E(theme.Name)).Append("</b><span class=\"small\">")
                        .Append(theme.Count.ToString(CultureInfo.InvariantCulture)).Append(" items · severity ").Append(Number(theme.Severity))
                        .Append("</span>");
                    foreach (var quote in theme.Quotes.Take(2))
                        html.Append("<blockquote>“").Append(E(Shorten(quote.Text, 220))).Append("”<div class=\"small\">")
                            .Append(E(Origin(quote.Origin))).Append("</div></blockquote>");
                    html.Append("</div>");
                }
                html.Append("</div>");
            }
            html.Append("</section>");
        }
        html.Append("</div></body></html>");
        return html.ToString();
    }

    private static void AppendCurve(StringBuilder html, IReadOnlyList<StageInsights> stages)
    {
        var width = Math.Max(1, stages.Count) * ColumnWidth;
        double X(int i) => (i + 0.5) * ColumnWidth;
        double Y(double valence) => 10 + (1 - (valence + 1) / 2) * (CurveHeight - 20);
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Emotion curve\" width=\"").Append(width)
            .Append("\" height=\"").Append(CurveHeight + 24).Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(CurveHeight + 24).Append("\">");
        html.Append("<line x1=\"0\" x2=\"").Append(width).Append("\" y1=\"").Append(Number(Y(0))).Append("\" y2=\"").Append(Number(Y(0)))
            .Append("\" stroke=\"#cbd2d9\" stroke-dasharray=\"4 4\"/>");

        // Consecutive stages with a score form one segment: a stage without evidence breaks the curve instead of inventing it.
        var points = stages.Select((s, i) => (Index: i, Score: s.EmotionScore)).ToList();
        foreach (var segment in Segments(points))
        {
            var upper = string.Join(' ', segment.Select(p => $"{Number(X(p.Index))},{Number(Y(p.Score!.Ci95.High))}"));
            var lower = string.Join(' ', segment.AsEnumerable().Reverse().Select(p => $"{Number(X(p.Index))},{Number(Y(p.Score!.Ci95.Low))}"));
            if (segment.Count > 1)
            {
                html.Append("<polygon points=\"").Append(upper).Append(' ').Append(lower).Append("\" fill=\"#4c63b6\" fill-opacity=\"0.18\"/>");
                html.Append("<polyline points=\"").Append(string.Join(' ', segment.Select(p => $"{Number(X(p.Index))},{Number(Y(p.Score!.Mean))}")))
                    .Append("\" fill=\"none\" stroke=\"#4c63b6\" stroke-width=\"3\"/>");
            }
            foreach (var p in segment)
            {
                html.Append("<line x1=\"").Append(Number(X(p.Index))).Append("\" x2=\"").Append(Number(X(p.Index)))
                    .Append("\" y1=\"").Append(Number(Y(p.Score!.Ci95.Low))).Append("\" y2=\"").Append(Number(Y(p.Score.Ci95.High)))
                    .Append("\" stroke=\"#4c63b6\" stroke-opacity=\"0.5\"/>");
                html.Append("<circle cx=\"").Append(Number(X(p.Index))).Append("\" cy=\"").Append(Number(Y(p.Score.Mean)))
                    .Append("\" r=\"5\" fill=\"#4c63b6\"><title>").Append(Number(p.Score.Mean, "0.00")).Append(" (").Append(Number(p.Score.Ci95.Low, "0.00"))
                    .Append(" … ").Append(Number(p.Score.Ci95.High, "0.00")).Append("), n=").Append(p.Score.Items).Append("</title></circle>");
            }
        }
        for (var i = 0; i < stages.Count; i++)
            html.Append("<text x=\"").Append(Number(X(i))).Append("\" y=\"").Append(CurveHeight + 16)
                .Append("\" text-anchor=\"middle\" font-size=\"12\" fill=\"#52606d\">").Append(E(stages[i].Name)).Append("</text>");
        html.Append("</svg>");
    }

    private static IEnumerable<List<(int Index, EmotionScore? Score)>> Segments(List<(int Index, EmotionScore? Score)> points)
    {
        var current = new List<(int, EmotionScore?)>();
        foreach (var p in points)
        {
            if (p.Score is null)
            {
                if (current.Count > 0) yield return current;
                current = [];
            }
            else current.Add(p);
        }
        if (current.Count > 0) yield return current;
    }

    private static void AppendLane(StringBuilder html, string title, IReadOnlyList<string> entries)
    {
        if (entries.Count == 0) return;
        html.Append("<div class=\"lane\"><span>").Append(E(title)).Append(":</span> ").Append(E(string.Join(" · ", entries))).Append("</div>");
    }

    internal static string Origin(EvidenceOrigin origin) => origin.Type == "import"
        ? $"{origin.FileName}, line {origin.LineNumber}"
        : origin.InvitationRef is { } reference ? $"survey answer, invitation {reference}" : "survey answer";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    private static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);
}
