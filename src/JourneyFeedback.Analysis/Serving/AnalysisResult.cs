namespace JourneyFeedback.Analysis.Serving;

/// <summary>Everything the analysis says about one text.</summary>
/// <param name="Emotions">Labels above their threshold, highest first; a single "neutral" entry when none passes.</param>
/// <param name="EmotionGroups">Ekman groups above their threshold, highest first; "neutral" when none passes.</param>
/// <param name="PainPoints">Up to three categories other than "none" scoring at least 0.15, highest first.</param>
/// <param name="PrimaryPainPoint">The single most likely category, possibly "none".</param>
/// <param name="LowConfidence">True when the text's language has no models of its own (the English ones read it).</param>
/// <param name="ModelLanguage">The language whose models analysed the text (en, pl, it, ro).</param>
public sealed record AnalysisResult(
    SentimentResult Sentiment,
    IReadOnlyList<EmotionScore> Emotions,
    IReadOnlyList<EmotionGroupScore> EmotionGroups,
    IReadOnlyList<PainPointScore> PainPoints,
    string PrimaryPainPoint,
    IReadOnlyList<string> KeyPhrases,
    Language.LanguageGuess Language,
    bool LowConfidence,
    ModelVersions ModelVersions,
    string ModelLanguage);

public sealed record SentimentResult(string Label, SentimentScores Scores);

/// <summary>Calibrated class probabilities; they sum to 1.</summary>
public sealed record SentimentScores(float Negative, float Neutral, float Positive);

public sealed record EmotionScore(string Label, string Group, float Score);

public sealed record EmotionGroupScore(string Group, float Score);

public sealed record PainPointScore(string Category, float Score);

public sealed record ModelVersions(string Sentiment, string Emotions, string PainPoints);
