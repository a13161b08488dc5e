using System.Security.Claims;
using System.Text.Json;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>A person's correction of the analysis; omitted fields stay as they are.</summary>
public sealed record CorrectionRequest(string? Sentiment = null, IReadOnlyList<string>? Emotions = null, string? PainPoint = null);

internal static class EvidenceCorrections
{
    /// <summary>
    /// Sets sentiment, emotions or pain-point category by hand. A corrected field is a label: it is marked, the models
    /// never overwrite it, and it carries full confidence (score 1).
    /// </summary>
    public static async Task<Results<Ok<EvidenceItem>, NotFound, ValidationProblem>> Correct(
        Guid id, CorrectionRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.Sentiment is null && request.Emotions is null && request.PainPoint is null)
            errors.Add("sentiment", "Send at least one of sentiment, emotions, painPoint.");
        errors.OneOf("sentiment", request.Sentiment, SentimentLabels.All.ToArray());
        var emotionNames = EmotionLabels.All.Select(l => l.Name).Append(EmotionLabels.NeutralName).ToArray();
        for (var i = 0; i < (request.Emotions?.Count ?? 0); i++)
            errors.OneOf($"emotions[{i}]", request.Emotions![i], emotionNames, required: true);
        errors.OneOf("painPoint", request.PainPoint, PainPointTaxonomy.All.Select(c => c.Name).ToArray());
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var workspaceId = user.WorkspaceId();
        var item = await db.FeedbackItems.FirstOrDefaultAsync(f => f.Id == id && f.WorkspaceId == workspaceId, ct);
        if (item is null) return TypedResults.NotFound();

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
        item.CorrectedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);

        var fileName = item.ImportId is { } importId ? await db.Imports.Where(i => i.Id == importId).Select(i => i.FileName).FirstOrDefaultAsync(ct) : null;
        return TypedResults.Ok(EvidenceEndpoints.ToEvidence(item, fileName));
    }
}
