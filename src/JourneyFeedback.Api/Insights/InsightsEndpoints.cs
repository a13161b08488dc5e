using System.Security.Claims;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Semantic;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using JourneyFeedback.Api.Segments;

namespace JourneyFeedback.Api.Insights;

internal static class InsightsEndpoints
{
    public static IEndpointRouteBuilder MapInsights(this IEndpointRouteBuilder app)
    {
        var maps = app.MapGroup("/maps/{id:guid}").WithTags("Insights").RequireAuthorization(Policies.Read);
        maps.MapGet("/insights", GetInsights).WithName("GetMapInsights")
            .WithSummary("Per stage and touchpoint: items, sentiment and emotion mix, NPS/CSAT/CES with margins, ranked pain points with quotes, the emotion curve");
        maps.MapGet("/trends", GetTrends).WithName("GetMapTrends")
            .WithSummary("Weekly or monthly series per touchpoint and for the map: items, sentiment shares, mean valence, NPS and the top pain-point themes of each bucket");
        maps.MapGet("/touchpoints/{touchpointId:guid}/evidence", TouchpointEvidence).WithName("GetTouchpointEvidence")
            .WithSummary("Page through the items behind a touchpoint (filters: sentiment, emotion, painPoint, source, from, to)");
        maps.MapGet("/unassigned", Unassigned).WithName("GetUnassignedEvidence")
            .WithSummary("The map's inbox: items the matcher was not confident about, with its best guess; PATCH /api/evidence/{id} assigns them");
        maps.MapPost("/rematch", Rematch).WithName("RematchEvidence")
            .WithSummary("Match the map's items to its touchpoints again (after the map changed); manual and survey assignments are kept")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapSuggestions();
        maps.MapViewAndExports();
        return app;
    }

    private static async Task<Results<Ok<MapInsights>, NotFound, ProblemHttpResult>> GetInsights(
        Guid id, ClaimsPrincipal user, MapInsightsBuilder builder, SegmentResolver segments, CancellationToken ct,
        DateTime? from = null, DateTime? to = null, string? segment = null, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "for")] string? forWhom = null, int themes = 5)
    {
        if (themes is < 1 or > 20) return Problems.BadRequest("themes", "From 1 to 20 pain-point themes per touchpoint.");
        var loaded = await builder.LoadAsync(user.WorkspaceId(), id, ct);
        if (loaded is null) return TypedResults.NotFound();
        var (selection, problem) = await EvidenceSelection.ForMapAsync(segments, loaded.Map, from, to, forWhom, segment, ct);
        if (selection is null) return problem!;
        return TypedResults.Ok(await builder.BuildAsync(loaded.Map, loaded.Evidence, selection, themes, ct, loaded.PendingItems));
    }

    private static async Task<Results<Ok<MapTrendsResponse>, NotFound, ProblemHttpResult>> GetTrends(
        Guid id, ClaimsPrincipal user, MapInsightsBuilder builder, SegmentResolver segments, TimeProvider clock, CancellationToken ct,
        string interval = MapTrends.Week, DateTime? from = null, DateTime? to = null, string? segment = null, int themes = 3)
    {
        interval = interval.Trim().ToLowerInvariant();
        if (!MapTrends.Intervals.Contains(interval))
            return Problems.BadRequest("interval", "Either week (ISO weeks from Monday 00:00 UTC) or month (calendar months, UTC).");
        if (themes is < 0 or > 20) return Problems.BadRequest("themes", "From 0 to 20 pain-point themes per bucket.");
        var (selection, problem) = await EvidenceSelection.FromQueryAsync(segments, user.WorkspaceId(), from, to, segment, ct);
        if (selection is null) return problem!;

        var loaded = await builder.LoadAsync(user.WorkspaceId(), id, ct);
        if (loaded is not var (map, evidence)) return TypedResults.NotFound();
        var plan = MapTrends.PlanFor(interval, selection.From, selection.To, MapTrends.Newest(evidence), clock.GetUtcNow().UtcDateTime, out var count);
        if (plan is null)
            return Problems.BadRequest("from", $"At most {MapTrends.MaxBuckets} buckets; this range spans {count} {interval}s. Choose a later 'from', an earlier 'to' or interval=month.");
        var answers = await builder.NpsAnswersAsync(id, selection with { From = plan.From, To = plan.To }, ct);
        var series = MapTrends.Compute(evidence, plan, selection.Segment?.Mask(evidence), answers, themes);
        return TypedResults.Ok(MapTrends.Respond(map, evidence, plan, selection.Segment?.Text, series, loaded.PendingItems));
    }

    private static async Task<Results<Ok<EvidenceFilterPage>, NotFound, ProblemHttpResult>> TouchpointEvidence(
        Guid id, Guid touchpointId, ClaimsPrincipal user, MapInsightsBuilder builder, JourneyFeedbackDb db, SegmentResolver segments, CancellationToken ct,
        string? sentiment = null, string? emotion = null, string? painPoint = null, string? source = null,
        DateTime? from = null, DateTime? to = null, string? segment = null, int page = 1, int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Problem(page, pageSize) is { } pagingProblem) return pagingProblem;
        if (sentiment is not null && !SentimentLabels.All.Contains(sentiment))
            return Problems.BadRequest("sentiment", $"One of {string.Join(", ", SentimentLabels.All)}.");
        var emotionBit = emotion is null ? -1
            : emotion == EmotionLabels.NeutralName ? MapEvidence.NeutralEmotionBit
            : EmotionLabels.All.Select(l => l.Name).ToList().IndexOf(emotion);
        if (emotion is not null && emotionBit < 0)
            return Problems.BadRequest("emotion", $"One of {string.Join(", ", EmotionLabels.All.Select(l => l.Name).Append(EmotionLabels.NeutralName))}.");
        var category = painPoint is null ? -1 : MapEvidence.PainPointIndex(painPoint);
        if (painPoint is not null && category < 0) return Problems.BadRequest("painPoint", $"One of {string.Join(", ", PainPointTaxonomy.Names)}.");
        var (selection, problem) = await EvidenceSelection.FromQueryAsync(segments, user.WorkspaceId(), from, to, segment, ct);
        if (selection is null) return problem!;

        var loaded = await builder.LoadAsync(user.WorkspaceId(), id, ct);
        if (loaded is not var (_, e)) return TypedResults.NotFound();
        var touchpoint = Array.IndexOf(e.TouchpointIds, touchpointId);
        if (touchpoint < 0) return TypedResults.NotFound();

        byte wantedSentiment = sentiment switch
        {
            SentimentLabels.Negative => MapEvidence.Negative,
            SentimentLabels.Neutral => MapEvidence.Neutral,
            SentimentLabels.Positive => MapEvidence.Positive,
            _ => MapEvidence.Unknown,
        };
        var wantedSource = source is null ? -1 : Array.FindIndex(e.Sources, s => string.Equals(s, source, StringComparison.OrdinalIgnoreCase));
        var (start, end) = e.Range(selection.From, selection.To);
        var inSegment = selection.Segment?.Mask(e);
        var total = 0;
        var skip = Paging.Skip(page, pageSize);
        var ids = new List<Guid>(pageSize);
        // Newest first, as stored: one pass counts the matches and keeps the requested page.
        for (var i = start; i < end; i++)
        {
            if (e.Touchpoint[i] != touchpoint) continue;
            if (wantedSentiment != MapEvidence.Unknown && e.Sentiment[i] != wantedSentiment) continue;
            if (emotionBit >= 0 && (e.Emotions[i] & (1 << emotionBit)) == 0) continue;
            if (category >= 0 && e.PainPoint[i] != category) continue;
            if (source is not null && e.Source[i] != wantedSource) continue;
            if (inSegment is not null && !inSegment[i]) continue;
            if (total >= skip && ids.Count < pageSize) ids.Add(e.Ids[i]);
            total++;
        }
        var items = await EvidenceProjection.ByIdsAsync(db, ids, ct);
        return TypedResults.Ok(new EvidenceFilterPage(page, pageSize, total, items, e.AsOf, loaded.PendingItems));
    }

    private static async Task<Results<Ok<InboxPage>, NotFound, ProblemHttpResult>> Unassigned(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, MatcherCache matchers, IOptions<SemanticOptions> semantic, CancellationToken ct,
        int page = 1, int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Problem(page, pageSize) is { } pagingProblem) return pagingProblem;
        var workspaceId = user.WorkspaceId();
        if (!await db.Maps.AnyAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct)) return TypedResults.NotFound();

        var inbox = db.FeedbackItems.AsNoTracking().Where(f => f.MapId == id && f.TouchpointId == null);
        var total = await inbox.CountAsync(f => f.MatchedAt != null, ct);
        var pending = await inbox.CountAsync(f => f.MatchedAt == null, ct);
        var ids = await inbox.Where(f => f.MatchedAt != null).OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Id)
            .Page(page, pageSize).Select(f => f.Id).ToListAsync(ct);
        var items = await EvidenceProjection.ByIdsAsync(db, ids, ct);

        // The matcher's best guess helps the author decide quickly; it is recomputed, so it reflects the latest teaching.
        var matcher = await matchers.GetAsync(db, id, ct);
        var names = matcher?.Touchpoints.ToDictionary(t => t.Id, t => t.Name) ?? [];
        var inboxItems = items.Select(item =>
        {
            var match = matcher?.Match(new MatchInput(item.Text, item.Channel, item.Source, item.Title));
            var guess = match?.BestGuess;
            return new InboxItem(item, guess, guess is { } g ? names.GetValueOrDefault(g) : null, match?.Confidence ?? 0);
        }).ToList();
        return TypedResults.Ok(new InboxPage(page, pageSize, total, pending, inboxItems, await PendingSemanticAsync(db, id, semantic.Value, ct)));
    }

    /// <summary>
    /// What the semantic tier still has to do on the map: embedded items waiting to be placed again, plus items it will
    /// embed before its budget is spent (counted up to the budget, so this stays cheap on a big map).
    /// </summary>
    private static async Task<int> PendingSemanticAsync(JourneyFeedbackDb db, Guid mapId, SemanticOptions options, CancellationToken ct)
    {
        if (!options.Enabled) return 0;
        var waiting = await db.ItemEmbeddings.CountAsync(e => e.MapId == mapId && e.JudgedAt == null, ct);
        var room = options.MaxEmbeddedItemsPerMap - await db.ItemEmbeddings.CountAsync(e => e.MapId == mapId, ct);
        if (room <= 0) return waiting;
        var toEmbed = await db.FeedbackItems.Where(Semantic.Encoder.Reads).Where(f => f.MapId == mapId && f.MatchReason != MatchReasons.Manual && f.MatchReason != MatchReasons.Survey
                && !db.ItemEmbeddings.Any(e => e.ItemId == f.Id))
            // Which rows fill the bound does not matter to a count; the order (a column the filter fixes, so nothing is
            // sorted) only keeps EF Core from warning that a row limit without one is unpredictable.
            .OrderBy(f => f.MapId).Take(room).CountAsync(ct);
        return waiting + toEmbed;
    }

    private static async Task<Results<Accepted<RematchResponse>, NotFound>> Rematch(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, MatcherCache matchers, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        if (!await db.Maps.AnyAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct)) return TypedResults.NotFound();
        matchers.Invalidate(id);
        var queued = await MatchQueue.RequeueGuessesAsync(db, id, ct);
        return TypedResults.Accepted($"/api/maps/{id}/insights", new RematchResponse(queued));
    }
}
