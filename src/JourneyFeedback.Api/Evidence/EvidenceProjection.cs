using System.Text.Json;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>Feedback items as the API shows them (<see cref="EvidenceItem"/>): with their origin and what the models said.</summary>
internal static class EvidenceProjection
{
    public static EvidenceItem ToEvidence(FeedbackItem f, string? fileName) => new(
        f.Id, f.Kind, f.Text, f.CustomerId, f.ExternalId, f.OccurredAt, f.Channel, f.Source, f.Rating, f.RatingScale, f.Title, f.Language,
        f.Participant, f.Question,
        f.Metadata is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(f.Metadata),
        f.MapId, f.TouchpointId, f.MatchReason, f.MatchConfidence,
        f.ImportId is not null
            ? new EvidenceOrigin("import", f.ImportId, fileName, f.LineNumber, null, null, null)
            : new EvidenceOrigin("survey", null, null, null, f.SurveyId, f.SurveyAnswerId, f.InvitationRef),
        f.AnalyzedAt is null && f.CorrectedAt is null ? null : new EvidenceAnalysis(
            f.Sentiment,
            new Dictionary<string, double?> { ["negative"] = f.SentimentNegative, ["neutral"] = f.SentimentNeutral, ["positive"] = f.SentimentPositive },
            Json(f.Emotions), f.PainPoint, Json(f.PainPoints), Json(f.KeyPhrases), f.DetectedLanguage, f.LowConfidence, f.ModelVersion, f.ModelLanguage, f.AnalyzedAt,
            new[] { (f.SentimentCorrected, "sentiment"), (f.EmotionsCorrected, "emotions"), (f.PainPointCorrected, "painPoint") }
                .Where(c => c.Item1).Select(c => c.Item2).ToList()));

    /// <summary>Items by id in the given order, with their origin.</summary>
    public static async Task<List<EvidenceItem>> ByIdsAsync(JourneyFeedbackDb db, List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var rows = await db.FeedbackItems.AsNoTracking().Where(f => ids.Contains(f.Id)).WithImportFileName(db)
            .ToDictionaryAsync(r => r.Item.Id, ct);
        return ids.Where(rows.ContainsKey).Select(i => ToEvidence(rows[i].Item, rows[i].FileName)).ToList();
    }

    private static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
