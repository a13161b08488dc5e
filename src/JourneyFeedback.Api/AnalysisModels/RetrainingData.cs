using System.Text.Json;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Analysis.Training;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Surveys;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.AnalysisModels;

/// <summary>What one workspace contributes to its retrained models: people's corrections and weak labels from scores.</summary>
internal sealed record RetrainingExamples(
    IReadOnlyList<SentimentExample> Sentiment,
    IReadOnlyList<EmotionExample> Emotions,
    IReadOnlyList<PainPointExample> PainPoints,
    IReadOnlyList<SentimentExample> WeakSentiment,
    int WeakFromRatings,
    int WeakFromNps)
{
    public bool IsEmpty => Sentiment.Count + Emotions.Count + PainPoints.Count + WeakSentiment.Count == 0;
}

/// <summary>Where a weak label comes from: an NPS answer, or any other rating (stars, CSAT, CES, imported review scores).</summary>
internal enum WeakLabelSource { Rating, Nps }

/// <summary>
/// Collects a workspace's training examples. Every query is filtered by workspace: one workspace's corrections never
/// reach another workspace's models.
/// </summary>
internal static class RetrainingData
{
    private const int TextChunk = 500;

    /// <summary>Cheap check before a job is queued: is there anything of this workspace to learn from?</summary>
    public static Task<bool> AnyAsync(JourneyFeedbackDb db, Guid workspaceId, CancellationToken ct) =>
        Learnable(db, workspaceId).AnyAsync(f => f.SentimentCorrected || f.EmotionsCorrected || f.PainPointCorrected || f.Rating != null, ct);

    /// <summary>
    /// The workspace's items a retrain may learn from. A retrain retrains the English models: items another language's
    /// models analysed (pl, it, ro) would only teach the English ones foreign words, so they stay out.
    /// </summary>
    private static IQueryable<Evidence.FeedbackItem> Learnable(JourneyFeedbackDb db, Guid workspaceId) =>
        db.FeedbackItems.AsNoTracking().Where(f => f.WorkspaceId == workspaceId && (f.ModelLanguage == null || f.ModelLanguage == "en"));

    public static async Task<RetrainingExamples> CollectAsync(JourneyFeedbackDb db, Guid workspaceId, int maxWeakLabels, CancellationToken ct)
    {
        var items = Learnable(db, workspaceId);

        // Corrected fields are labels. Values are checked again, so a stray value can never break a training run.
        var sentiment = (await items.Where(f => f.SentimentCorrected && f.Sentiment != null)
                .Select(f => new { f.Text, f.Sentiment }).ToListAsync(ct))
            .Where(f => SentimentLabels.All.Contains(f.Sentiment))
            .Select(f => new SentimentExample(f.Text, f.Sentiment!)).ToList();
        var emotions = (await items.Where(f => f.EmotionsCorrected && f.Emotions != null)
                .Select(f => new { f.Text, f.Emotions }).ToListAsync(ct))
            .Select(f => new EmotionExample(f.Text, EmotionLabelsOf(f.Emotions!))).ToList();
        var painPoints = (await items.Where(f => f.PainPointCorrected && f.PainPoint != null)
                .Select(f => new { f.Text, f.PainPoint }).ToListAsync(ct))
            .Where(f => PainPointTaxonomy.Names.Contains(f.PainPoint))
            .Select(f => new PainPointExample(f.Text, f.PainPoint!)).ToList();

        var (weak, fromRatings, fromNps) = await WeakLabelsAsync(db, workspaceId, maxWeakLabels, ct);
        return new RetrainingExamples(sentiment, emotions, painPoints, weak, fromRatings, fromNps);
    }

    /// <summary>
    /// The sentiment a score implies (<see cref="WeakLabels"/>), or null when the score says nothing about sentiment or
    /// is off its scale. Survey answers use their survey's scale: NPS 0–10 bands, CSAT 1–5, CES 1–7 (higher is easier).
    /// Imported ratings use the import's scale: 1–5 and 1–10, or 0–100.
    /// </summary>
    public static (string Label, WeakLabelSource Source)? WeakLabel(double rating, double? scale, string? surveyType)
    {
        if (double.IsNaN(rating)) return null;
        if (surveyType == SurveyTypes.Nps)
            return rating is >= 0 and <= 10 && rating == Math.Floor(rating) ? (WeakLabels.FromNps((int)rating), WeakLabelSource.Nps) : null;
        if (surveyType == SurveyTypes.Attribution) return null;
        var (minimum, maximum) = surveyType is not null && SurveyRules.Scale(surveyType) is { } survey
            ? (survey.Min, survey.Max)
            : (scale is > 10 ? 0 : 1, scale ?? 0);
        if (maximum <= minimum || rating < minimum || rating > maximum) return null;
        return (WeakLabels.FromStarRating(rating, minimum, maximum), WeakLabelSource.Rating);
    }

    /// <summary>
    /// The newest scored items, at most a third of <paramref name="maxWeakLabels"/> per sentiment, so a workspace of mostly
    /// five-star reviews does not tilt the model towards positive. Items whose sentiment a person corrected are left out:
    /// the correction is the better label.
    /// </summary>
    private static async Task<(List<SentimentExample> Examples, int FromRatings, int FromNps)> WeakLabelsAsync(
        JourneyFeedbackDb db, Guid workspaceId, int maxWeakLabels, CancellationToken ct)
    {
        int perLabel = Math.Max(0, maxWeakLabels) / SentimentLabels.All.Count;
        var chosen = SentimentLabels.All.ToDictionary(l => l, _ => new List<(Guid Id, WeakLabelSource Source)>());
        if (perLabel > 0)
        {
            var scored = Learnable(db, workspaceId)
                .Where(f => f.Rating != null && !f.SentimentCorrected)
                .OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Id)
                .Select(f => new
                {
                    f.Id,
                    Rating = f.Rating!.Value,
                    f.RatingScale,
                    SurveyType = db.Surveys.Where(s => s.Id == f.SurveyId).Select(s => s.Type).FirstOrDefault(),
                })
                .AsAsyncEnumerable();
            await foreach (var item in scored.WithCancellation(ct))
            {
                if (WeakLabel(item.Rating, item.RatingScale, item.SurveyType) is not { } weak) continue;
                var bucket = chosen[weak.Label];
                if (bucket.Count < perLabel) bucket.Add((item.Id, weak.Source));
                if (chosen.Values.All(b => b.Count >= perLabel)) break;
            }
        }

        var labels = chosen.SelectMany(c => c.Value.Select(v => (v.Id, Label: c.Key))).ToDictionary(v => v.Id, v => v.Label);
        var texts = new Dictionary<Guid, string>(labels.Count);
        foreach (var chunk in labels.Keys.Chunk(TextChunk))
        {
            var ids = chunk.ToList();
            foreach (var row in await db.FeedbackItems.AsNoTracking().Where(f => ids.Contains(f.Id)).Select(f => new { f.Id, f.Text }).ToListAsync(ct))
                texts[row.Id] = row.Text;
        }
        // Stable order (newest first within each label) keeps a retrain on unchanged data reproducible.
        var used = chosen.SelectMany(c => c.Value.Where(v => texts.ContainsKey(v.Id)).Select(v => (Example: new SentimentExample(texts[v.Id], c.Key), v.Source))).ToList();
        return (used.Select(u => u.Example).ToList(), used.Count(u => u.Source == WeakLabelSource.Rating), used.Count(u => u.Source == WeakLabelSource.Nps));
    }

    /// <summary>Labels of a corrected emotions field (JSON [{"label",...}]); none or only "neutral" means neutral.</summary>
    internal static IReadOnlyList<string> EmotionLabelsOf(string json)
    {
        var known = EmotionLabels.All.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return [];
            return document.RootElement.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("label", out var label) ? label.GetString() : null)
                .Where(l => l is not null && known.Contains(l)).Select(l => l!).Distinct().ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
