using System.Security.Claims;
using System.Text.Json;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Evidence;

/// <summary>A person's correction of the analysis or of the touchpoint; omitted fields stay as they are.</summary>
public sealed record CorrectionRequest(string? Sentiment = null, IReadOnlyList<string>? Emotions = null, string? PainPoint = null, Guid? TouchpointId = null);

internal static class EvidenceCorrections
{
    /// <summary>
    /// Sets sentiment, emotions or pain-point category by hand. A corrected field is a label: it is marked, the models
    /// never overwrite it, and it carries full confidence (score 1).
    /// </summary>
    public static async Task<Results<Ok<EvidenceItem>, NotFound, ValidationProblem>> Correct(
        Guid id, CorrectionRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, MatcherCache matchers,
        IOptions<WebhooksOptions> webhookOptions, CancellationToken ct)
    {
        var errors = Validate(request);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var workspaceId = user.WorkspaceId();
        var item = await db.FeedbackItems.FirstOrDefaultAsync(f => f.Id == id && f.WorkspaceId == workspaceId, ct);
        if (item is null) return TypedResults.NotFound();

        if (request.TouchpointId is { } touchpointId)
        {
            var problem = await AssignAsync(item, touchpointId, workspaceId, db, ct);
            if (problem is not null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["touchpointId"] = [problem] });
        }
        ApplyLabels(item, request);

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // A re-assignment teaches the map's matchers.
            var taughtMap = request.TouchpointId is not null ? item.MapId : null;
            // Before the item's row: the semantic tier's write takes this lock first too, so neither waits on the other's.
            if (taughtMap is { } locked) await MatchQueue.LockMapAsync(db, locked, ct);
            await EvidenceVersionTriggers.LockMapsAsync(db, [item.MapId], ct);
            await db.SaveChangesAsync(ct);
            if (taughtMap is { } mapId)
            {
                // The correction teaches the matchers: the map's inbox is matched again with it (the first chunk here,
                // the rest by the matching worker) and the semantic tier's items are placed again.
                await MatchQueue.RequeueInboxAsync(db, mapId, item.MatchedAt!.Value, ct);
                await MatchQueue.RequeueEmbeddedAsync(db, mapId, ct);
                // An inbox emptied by hand is below the threshold now: the next growth is reported again.
                await MapInboxWatch.RearmAsync(db, mapId, webhookOptions.Value.InboxThreshold, ct);
            }
            await transaction.CommitAsync(ct);
        }
        if (item.MapId is { } learnedMap && request.TouchpointId is not null) matchers.Invalidate(learnedMap);

        var fileName = item.ImportId is null ? null
            : await db.FeedbackItems.Where(f => f.Id == item.Id).WithImportFileName(db).Select(r => r.FileName).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(EvidenceProjection.ToEvidence(item, fileName));
    }

    private static ValidationErrors Validate(CorrectionRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Sentiment is null && request.Emotions is null && request.PainPoint is null && request.TouchpointId is null)
            errors.Add("sentiment", "Send at least one of sentiment, emotions, painPoint, touchpointId.");
        errors.OneOf("sentiment", request.Sentiment, SentimentLabels.All.ToArray());
        var emotionNames = EmotionLabels.All.Select(l => l.Name).Append(EmotionLabels.NeutralName).ToArray();
        for (var i = 0; i < (request.Emotions?.Count ?? 0); i++)
            errors.OneOf($"emotions[{i}]", request.Emotions![i], emotionNames, required: true);
        errors.OneOf("painPoint", request.PainPoint, PainPointTaxonomy.All.Select(c => c.Name).ToArray());
        return errors;
    }

    /// <summary>
    /// Re-assigns the item by hand; the touchpoint must be on the item's map (an item without a map joins the
    /// touchpoint's map). Returns why not, or null when assigned.
    /// </summary>
    private static async Task<string?> AssignAsync(FeedbackItem item, Guid touchpointId, Guid workspaceId, JourneyFeedbackDb db, CancellationToken ct)
    {
        var touchpoint = await db.Touchpoints.AsNoTracking().Where(t => t.Id == touchpointId && t.WorkspaceId == workspaceId)
            .Select(t => new { t.Id, t.MapId }).FirstOrDefaultAsync(ct);
        if (touchpoint is null) return "No such touchpoint in this workspace.";
        if (item.MapId is { } mapId && mapId != touchpoint.MapId) return "The touchpoint is on another map than the item.";
        item.MapId = touchpoint.MapId;
        item.TouchpointId = touchpoint.Id;
        item.MatchReason = MatchReasons.Manual;
        item.MatchConfidence = 1;
        item.MatchedAt = DateTime.UtcNow;
        return null;
    }

    /// <summary>Sets the corrected analysis fields with full confidence and marks them, so models never overwrite them.</summary>
    private static void ApplyLabels(FeedbackItem item, CorrectionRequest request)
    {
        if (request.Sentiment is { } sentiment)
        {
            item.Sentiment = sentiment.Trim();
            item.SentimentNegative = item.Sentiment == SentimentLabels.Negative ? 1 : 0;
            item.SentimentNeutral = item.Sentiment == SentimentLabels.Neutral ? 1 : 0;
            item.SentimentPositive = item.Sentiment == SentimentLabels.Positive ? 1 : 0;
            item.SentimentCorrected = true;
        }
        if (request.Emotions is { } emotions)
        {
            item.Emotions = JsonSerializer.Serialize(emotions.Select(e => e.Trim()).Distinct().Select(e => new
            {
                label = e,
                group = e == EmotionLabels.NeutralName ? EmotionLabels.NeutralName : EmotionLabels.GroupName(EmotionLabels.GroupOf(e)),
                score = 1.0,
            }));
            item.EmotionsCorrected = true;
        }
        if (request.PainPoint is { } painPoint)
        {
            item.PainPoint = painPoint.Trim();
            item.PainPoints = item.PainPoint == PainPointTaxonomy.None ? "[]"
                : JsonSerializer.Serialize(new[] { new { category = item.PainPoint, score = 1.0 } });
            item.PainPointCorrected = true;
        }
        if (request.Sentiment is not null || request.Emotions is not null || request.PainPoint is not null) item.CorrectedAt = DateTime.UtcNow;
    }
}
