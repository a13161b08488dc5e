using System.Text.Json;
using JourneyFeedback.Analysis.Serving;

namespace JourneyFeedback.Api.AnalysisModels;

/// <summary>An analysis result in the shape it is stored on a feedback item.</summary>
internal sealed record StoredAnalysis(
    string Sentiment, double Negative, double Neutral, double Positive, string Emotions, string PainPoint, string PainPoints,
    string KeyPhrases, string Language, bool LowConfidence, string ModelVersion, string ModelLanguage)
{
    public static StoredAnalysis From(AnalysisResult result) => new(
        result.Sentiment.Label,
        Math.Round(result.Sentiment.Scores.Negative, 4),
        Math.Round(result.Sentiment.Scores.Neutral, 4),
        Math.Round(result.Sentiment.Scores.Positive, 4),
        JsonSerializer.Serialize(result.Emotions.Select(e => new { label = e.Label, group = e.Group, score = Math.Round(e.Score, 4) })),
        result.PrimaryPainPoint,
        JsonSerializer.Serialize(result.PainPoints.Select(p => new { category = p.Category, score = Math.Round(p.Score, 4) })),
        JsonSerializer.Serialize(result.KeyPhrases),
        result.Language.Code,
        result.LowConfidence,
        Version(result.ModelVersions),
        result.ModelLanguage);

    /// <summary>One string naming the three model versions, e.g. "sentiment:2026.11.23-1;emotions:…;pain-points:…".</summary>
    public static string Version(ModelVersions versions) =>
        $"sentiment:{versions.Sentiment};emotions:{versions.Emotions};pain-points:{versions.PainPoints}";

    /// <summary>Puts the analysis into the item's analysis columns (all empty when there is none yet).</summary>
    public static void Apply(StoredAnalysis? analysis, Evidence.FeedbackItem item, DateTime analyzedAt)
    {
        item.Sentiment = analysis?.Sentiment;
        item.SentimentNegative = analysis?.Negative;
        item.SentimentNeutral = analysis?.Neutral;
        item.SentimentPositive = analysis?.Positive;
        item.Emotions = analysis?.Emotions;
        item.PainPoint = analysis?.PainPoint;
        item.PainPoints = analysis?.PainPoints;
        item.KeyPhrases = analysis?.KeyPhrases;
        item.DetectedLanguage = analysis?.Language;
        item.LowConfidence = analysis?.LowConfidence == true;
        item.ModelVersion = analysis?.ModelVersion;
        item.ModelLanguage = analysis?.ModelLanguage;
        item.AnalyzedAt = analysis is null ? null : analyzedAt;
    }
}
