using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Maps;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Insights;

/// <summary>What an export carries besides the map: the insights and every accepted lane entry with its current evidence count.</summary>
public sealed record MapEvidenceExport(MapInsights Insights, IReadOnlyList<SuggestionResponse> AcceptedLaneEntries);

/// <summary>What the map view and the exports read from (services, bound with <c>[AsParameters]</c>).</summary>
internal readonly record struct MapReaders(MapInsightsBuilder Builder, JourneyFeedbackDb Db, Journeys.JourneyLogCache Journeys,
    Segments.SegmentResolver Segments, TimeProvider Clock);

/// <summary>Which evidence a view or an export shows, as asked: a date window and everyone, the persona or a segment.</summary>
internal sealed record MapSelectionQuery(DateTime? From = null, DateTime? To = null, string? ForWhom = null, string? Segment = null);

/// <summary>The map view (HTML) and the exports of a map with its evidence: JSON, CSV (one row per item) and Markdown.</summary>
internal static class MapExports
{
    public static void MapViewAndExports(this RouteGroupBuilder maps)
    {
        maps.MapGet("/view", View).WithName("ViewMap")
            .WithSummary("The map as a self-contained HTML page: stages, touchpoints with counts and NPS, the emotion curve, top pain points with quotes")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        maps.MapGet("/export", Export).WithName("ExportMap")
            .WithSummary("Export the map with its evidence: json (a document POST /api/maps accepts again, plus an evidence section), csv (one row per item, Excel-safe) or markdown (md); without format, by Accept")
            .Produces<MapDocument>(StatusCodes.Status200OK).Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: "text/markdown");
    }

    private static Task<Results<HtmlPage<MapViewPage>, NotFound, ProblemHttpResult>> View(
        Guid id, ClaimsPrincipal user, [AsParameters] MapReaders readers, HttpRequest request, CancellationToken ct,
        DateTime? from = null, DateTime? to = null, string? segment = null, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "for")] string? forWhom = null)
    {
        // The download links keep the view's selection, so the files hold what the page shows.
        var selection = request.Query.Where(q => q.Key is "from" or "to" or "segment" or "for").Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()));
        var downloads = DownloadLinks(request, $"/api/maps/{id}/export", selection);
        return RenderViewAsync(readers, user.WorkspaceId(), id, new MapSelectionQuery(from, to, forWhom, segment), downloads, ct);
    }

    /// <summary>The map view of a workspace's map; the authenticated view and a share link (Shares/) both serve it.</summary>
    internal static async Task<Results<HtmlPage<MapViewPage>, NotFound, ProblemHttpResult>> RenderViewAsync(
        MapReaders readers, Guid workspaceId, Guid id, MapSelectionQuery query, MapViewPage.DownloadLinks? downloads, CancellationToken ct)
    {
        var loaded = await readers.Builder.LoadAsync(workspaceId, id, ct);
        if (loaded is not var (map, evidence)) return TypedResults.NotFound();
        var (selection, problem) = await EvidenceSelection.ForMapAsync(readers.Segments, map, query.From, query.To, query.ForWhom, query.Segment, ct);
        if (selection is null) return problem!;
        var insights = await readers.Builder.BuildAsync(map, evidence, selection, 3, ct);
        // The observed paths and the funnel over the whole period (the view's date selection is for the evidence).
        var (paths, funnel) = await Journeys.JourneyViews.DefaultsAsync(readers.Journeys, readers.Db, workspaceId, id, ct);
        // The sparklines: the last 12 weeks up to 'to' (or the newest item), in the view's segment, items only.
        var weeks = MapTrends.PlanFor(MapTrends.Week, null, selection.To, MapTrends.Newest(evidence), readers.Clock.GetUtcNow().UtcDateTime, out _)!;
        var weekly = MapTrends.Respond(map, evidence, weeks, selection.Segment?.Text,
            MapTrends.Compute(evidence, weeks, selection.Segment?.Mask(evidence), [], themes: 0), 0);
        return new HtmlPage<MapViewPage>(MapViewPage.Parameters(map, insights, paths, funnel, weekly, downloads));
    }

    /// <summary>Links to the CSV and Markdown exports at <paramref name="path"/> (under the app's path base), with the given query.</summary>
    internal static MapViewPage.DownloadLinks DownloadLinks(HttpRequest request, string path, IEnumerable<KeyValuePair<string, string?>> query)
    {
        string Link(string format) => request.PathBase + path + QueryString.Create(query.Prepend(KeyValuePair.Create("format", (string?)format)));
        return new MapViewPage.DownloadLinks(Link(ExportFormats.Csv), Link("md"));
    }

    private static async Task<IResult> Export(
        Guid id, ClaimsPrincipal user, [AsParameters] MapReaders readers, HttpResponse response, CancellationToken ct,
        string? format = null, DateTime? from = null, DateTime? to = null, string? segment = null, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "for")] string? forWhom = null)
    {
        var (chosen, formatProblem) = ExportFormats.Choose(format, response.HttpContext.Request, ExportFormats.Json, ExportFormats.Csv, ExportFormats.Markdown);
        if (chosen is null) return formatProblem!;
        return await ExportAsync(readers, response, user.WorkspaceId(), id, chosen, new MapSelectionQuery(from, to, forWhom, segment), ct);
    }

    /// <summary>The map's export in a format already chosen (<see cref="ExportFormats"/>); the export endpoint and a share link both serve it.</summary>
    internal static async Task<IResult> ExportAsync(
        MapReaders readers, HttpResponse response, Guid workspaceId, Guid id, string format, MapSelectionQuery query, CancellationToken ct)
    {
        var (builder, db) = (readers.Builder, readers.Db);
        var loaded = await builder.LoadAsync(workspaceId, id, ct);
        if (loaded is not var (map, evidence)) return TypedResults.NotFound();
        var (selection, problem) = await EvidenceSelection.ForMapAsync(readers.Segments, map, query.From, query.To, query.ForWhom, query.Segment, ct);
        if (selection is null) return problem!;
        var insights = await builder.BuildAsync(map, evidence, selection, 5, ct);
        var accepted = (await db.LaneSuggestions.AsNoTracking().Where(s => s.MapId == id && s.Status == SuggestionStatus.Accepted)
            .OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(s => SuggestionMapping.ToResponse(s, map, evidence)).ToList();
        var fileName = FileName(map.Name);

        switch (format)
        {
            case ExportFormats.Markdown:
                response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.md\"";
                return TypedResults.Text(Markdown(map, insights, accepted), "text/markdown; charset=utf-8");
            case ExportFormats.Csv:
                response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}-evidence.csv\"";
                return TypedResults.Stream(stream => WriteCsv(stream, db, map, evidence, selection, ct), "text/csv; charset=utf-8");
            default:
                var document = map.ToDocument() with
                {
                    Evidence = JsonSerializer.SerializeToElement(new MapEvidenceExport(insights, accepted), JsonSerializerOptions.Web),
                };
                return TypedResults.Ok(document);
        }
    }

    /// <summary>Every item on the map with where it sits, what the models said, and where it came from; streamed.</summary>
    private static async Task WriteCsv(Stream stream, JourneyFeedbackDb db, JourneyMap map, MapEvidence evidence, EvidenceSelection selection, CancellationToken ct)
    {
        // A segment is judged on the map's snapshot (the same items insights count), then applied to the streamed rows.
        HashSet<Guid>? inSegment = null;
        if (selection.Segment is { } segment)
        {
            var mask = segment.Mask(evidence);
            inSegment = [.. evidence.Ids.Where((_, i) => mask[i])];
        }
        var placement = map.Stages.SelectMany(s => s.Touchpoints.Select(t => (t.Id, Stage: s.Name, Touchpoint: t.Name))).ToDictionary(p => p.Id);
        var themes = await db.Themes.AsNoTracking().Where(t => t.MapId == map.Id).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        await using var csv = ExcelCsv.Create(stream);
        foreach (var header in new[] { "stage", "touchpoint", "match_reason", "match_confidence", "evidence_id", "occurred_at", "kind", "source", "channel",
                     "sentiment", "negativity", "emotions", "pain_point", "theme_id", "theme", "text", "file", "line", "survey_answer_id", "invitation_ref" })
            csv.WriteField(header);
        await csv.NextRecordAsync();

        var items = db.FeedbackItems.AsNoTracking().Where(f => f.MapId == map.Id);
        if (selection.From is { } start) items = items.Where(f => f.OccurredAt >= start);
        if (selection.To is { } end) items = items.Where(f => f.OccurredAt < end);
        var rows = items.OrderBy(f => f.OccurredAt).ThenBy(f => f.Id).WithImportFileName(db).Select(r => new
        {
            r.Item.Id, r.Item.TouchpointId, r.Item.MatchReason, r.Item.MatchConfidence, r.Item.OccurredAt, r.Item.Kind, r.Item.Source,
            r.Item.Channel, r.Item.Sentiment, r.Item.SentimentNegative, r.Item.Emotions, r.Item.PainPoint, r.Item.ThemeId, r.Item.Text, r.Item.LineNumber,
            r.Item.SurveyAnswerId, r.Item.InvitationRef, r.FileName,
        }).AsAsyncEnumerable();
        await foreach (var f in rows.WithCancellation(ct))
        {
            if (inSegment is not null && !inSegment.Contains(f.Id)) continue;
            var place = f.TouchpointId is { } t && placement.TryGetValue(t, out var p) ? p : default;
            csv.WriteField(place.Stage);
            csv.WriteField(place.Touchpoint);
            csv.WriteField(f.MatchReason);
            csv.WriteField(f.MatchConfidence?.ToString("0.####", CultureInfo.InvariantCulture));
            csv.WriteField(f.Id);
            csv.WriteField(f.OccurredAt.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(f.Kind);
            csv.WriteField(f.Source);
            csv.WriteField(f.Channel);
            csv.WriteField(f.Sentiment);
            csv.WriteField(f.SentimentNegative?.ToString("0.####", CultureInfo.InvariantCulture));
            csv.WriteField(f.Emotions is null ? null : string.Join(';', JsonDocument.Parse(f.Emotions).RootElement.EnumerateArray().Select(e => e.GetProperty("label").GetString())));
            csv.WriteField(f.PainPoint);
            var theme = f.ThemeId is { } themeId && themes.TryGetValue(themeId, out var name) ? name : null;
            csv.WriteField(theme is null ? null : f.ThemeId);
            csv.WriteField(theme);
            csv.WriteField(f.Text);
            csv.WriteField(f.FileName);
            csv.WriteField(f.LineNumber);
            csv.WriteField(f.SurveyAnswerId);
            csv.WriteField(f.InvitationRef);
            await csv.NextRecordAsync();
        }
    }

    internal static string Markdown(JourneyMap map, MapInsights insights, IReadOnlyList<SuggestionResponse> accepted)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(map.Name)).AppendLine();
        if (map.Persona.Name is { } persona) md.Append("**Persona:** ").AppendLine(Escape(persona) + "  ");
        if (map.Goal is { } goal) md.Append("**Goal:** ").AppendLine(Escape(goal) + "  ");
        md.Append(CultureInfo.InvariantCulture, $"**Evidence:** {insights.Items} items, {insights.Unassigned} in the inbox");
        if (insights.Surveys?.Nps is { } nps) md.Append(CultureInfo.InvariantCulture, $", NPS {nps.Score:0.#} ± {nps.MarginOfError:0.#} (n={nps.Responses})");
        md.AppendLine();
        if (insights.Languages.Count > 1) md.Append("**Languages:** ").AppendLine(MapViewPage.LanguageSummary(insights.Languages) + "  ");
        md.AppendLine();

        foreach (var stage in insights.Stages)
        {
            md.Append("## ").AppendLine(Escape(stage.Name)).AppendLine();
            if (stage.EmotionScore is { } score)
                md.AppendLine(FormattableString.Invariant($"Emotion score {score.Mean:0.00} (95% {score.Ci95.Low:0.00} … {score.Ci95.High:0.00}, n={score.Items})")).AppendLine();
            var lanes = map.Stages.First(s => s.Id == stage.Id).Lanes;
            foreach (var (title, entries, lane) in new[] { ("Pain points", lanes.PainPoints, "painPoints"), ("Emotions", lanes.Emotions, "emotions"), ("Questions", lanes.Questions, "questions") })
            {
                if (entries.Count == 0) continue;
                md.Append("**").Append(title).AppendLine(":**");
                foreach (var entry in entries)
                {
                    var link = accepted.FirstOrDefault(a => a.StageId == stage.Id && a.Lane == lane && string.Equals(a.Text, entry, StringComparison.OrdinalIgnoreCase));
                    md.Append("- ").Append(Escape(entry));
                    if (link is not null) md.Append(CultureInfo.InvariantCulture, $" — backed by {link.CurrentEvidenceCount} items");
                    md.AppendLine();
                }
                md.AppendLine();
            }
            md.AppendLine("| Touchpoint | Items | Negative | NPS | Top pain point |").AppendLine("|---|---:|---:|---:|---|");
            foreach (var tp in stage.Touchpoints)
            {
                var tpNps = tp.Surveys?.Nps is { } n ? FormattableString.Invariant($"{n.Score:0.#} ± {n.MarginOfError:0.#}") : "";
                var top = tp.PainPoints.Count > 0 && tp.PainPoints[0] is { } theme ? FormattableString.Invariant($"{Escape(theme.Name)} ({theme.Count})") : "";
                md.AppendLine(FormattableString.Invariant($"| {Escape(tp.Name)} | {tp.Items} | {tp.Sentiment.NegativePercent:0.#}% | {tpNps} | {top} |"));
            }
            md.AppendLine();
            foreach (var theme in stage.Touchpoints.SelectMany(t => t.PainPoints).OrderByDescending(t => t.Severity).Take(3))
            {
                md.AppendLine(FormattableString.Invariant($"### {Escape(theme.TouchpointName)}: {Escape(theme.Name)} (severity {theme.Severity:0.#}, {theme.Count} items)")).AppendLine();
                foreach (var quote in theme.Quotes.Take(3))
                    md.Append("> ").AppendLine(Escape(quote.Text.ReplaceLineEndings(" "))).Append("> — ").AppendLine(Escape(MapViewPage.Origin(quote.Origin))).AppendLine();
            }
        }
        return md.ToString();
    }

    // Markdown control characters in customer text must not turn into links, tables or headings.
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (ch is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#') sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }

    private static string FileName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        return safe.Length == 0 ? "map" : safe[..Math.Min(60, safe.Length)];
    }
}
