using JourneyFeedback.Analysis.KeyPhrases;
using JourneyFeedback.Analysis.Language;
using JourneyFeedback.Analysis.Manifests;

namespace JourneyFeedback.Analysis.Serving;

/// <summary>
/// Serves the sentiment, emotion and pain-point models of every language it has: English, and Polish, Italian and
/// Romanian when their models are present. Each text goes to the models of its language — the explicit one when the
/// caller knows it (an import's language column), else the detected one; a language without models of its own is read by
/// the English models and flagged low-confidence. Load once and share: it is thread-safe.
/// </summary>
public sealed class FeedbackAnalyzer
{
    public const float MinimumPainPointScore = 0.15f;
    public const int MaxPainPoints = 3;

    /// <summary>Detection confidence from which a text goes to its language's models (LanguageDetector: 1 at 3+ points of evidence).</summary>
    public const float MinimumRoutingConfidence = 0.4f;

    private readonly LanguageModels _default;
    private readonly Dictionary<string, LanguageModels> _byLanguage;

    internal FeedbackAnalyzer(IReadOnlyList<LanguageModels> languages)
    {
        _byLanguage = languages.ToDictionary(l => l.Language, StringComparer.Ordinal);
        _default = _byLanguage.GetValueOrDefault(ModelNames.English) ?? languages[0];
    }

    /// <summary>The manifests of the English models (the ones a workspace retrains and promotes).</summary>
    public IReadOnlyList<ModelManifest> Manifests => _default.Manifests;

    /// <summary>Versions of the English models.</summary>
    public ModelVersions Versions => _default.Versions;

    /// <summary>The languages with models of their own, English first.</summary>
    public IReadOnlyList<string> Languages => _byLanguage.Keys.OrderBy(l => l == ModelNames.English ? "" : l, StringComparer.Ordinal).ToArray();

    /// <summary>The three manifests of each language's models.</summary>
    public IReadOnlyList<ModelManifest> ManifestsFor(string language) => _byLanguage[language].Manifests;

    /// <summary>
    /// Loads the English models from a directory (default: Models/ next to the app) and every other language's from its
    /// sub-folder (Models/pl/…) when present.
    /// </summary>
    public static FeedbackAnalyzer Load(string? modelDirectory = null)
    {
        string directory = modelDirectory ?? ModelNames.DefaultDirectory;
        var languages = new List<LanguageModels> { LanguageModels.Load(directory) };
        foreach (var language in ModelNames.OtherLanguages)
        {
            var sub = Path.Combine(directory, language);
            if (File.Exists(Path.Combine(sub, ModelManifest.FileNameFor(ModelNames.Sentiment))))
            {
                languages.Add(LanguageModels.Load(sub));
            }
        }
        return new FeedbackAnalyzer(languages);
    }

    /// <summary>
    /// This analyzer's English models with <paramref name="other"/>'s models for every other language: a workspace's
    /// retrained English models keep the shipped Polish, Italian and Romanian ones (shared, not loaded twice).
    /// </summary>
    public FeedbackAnalyzer WithOtherLanguagesOf(FeedbackAnalyzer other) =>
        new([_default, .. other._byLanguage.Values.Where(l => l.Language != _default.Language)]);

    /// <param name="language">The text's language when the caller knows it ("pl", "pl-PL", "Polish"…); detected when null, empty or unrecognised.</param>
    public AnalysisResult Analyze(string text, string? language = null)
    {
        text ??= string.Empty;
        var declared = LanguageDetector.CodeOf(language);
        var detected = declared is not null ? new LanguageGuess(declared, 1f) : LanguageDetector.Detect(text);
        // A detected language needs some evidence before its models take over: a short English line with one word that
        // happens to be Romanian ("a") stays with the English models (flagged low-confidence).
        var models = declared is not null || detected.Confidence >= MinimumRoutingConfidence
            ? _byLanguage.GetValueOrDefault(detected.Code) ?? _default
            : _default;
        var scores = models.Score(text);
        return new AnalysisResult(
            scores.Sentiment,
            scores.Emotions,
            scores.EmotionGroups,
            scores.PainPoints,
            scores.PrimaryPainPoint,
            KeyPhraseExtractor.Extract(text, language: detected.Code),
            detected,
            LowConfidence: models.Language != detected.Code,
            models.Versions,
            models.Language);
    }

    /// <summary>Analyzes a batch on all cores; results are in input order.</summary>
    public IReadOnlyList<AnalysisResult> Analyze(IReadOnlyList<string> texts) => Analyze(texts, null, Environment.ProcessorCount);

    /// <summary>Analyzes a batch on up to <paramref name="maxDegreeOfParallelism"/> threads (1: the calling thread only).</summary>
    public IReadOnlyList<AnalysisResult> Analyze(IReadOnlyList<string> texts, int maxDegreeOfParallelism) => Analyze(texts, null, maxDegreeOfParallelism);

    /// <param name="languages">Per text, its known language or null to detect it; null for all detected.</param>
    public IReadOnlyList<AnalysisResult> Analyze(IReadOnlyList<string> texts, IReadOnlyList<string?>? languages, int maxDegreeOfParallelism) =>
        Analyze(texts, languages, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism });

    /// <param name="parallel">How many threads, and on which scheduler (a host may run bulk work at a lower priority).</param>
    public IReadOnlyList<AnalysisResult> Analyze(IReadOnlyList<string> texts, IReadOnlyList<string?>? languages, ParallelOptions parallel)
    {
        var results = new AnalysisResult[texts.Count];
        if (texts.Count < 16 || parallel.MaxDegreeOfParallelism is >= 0 and <= 1)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                results[i] = Analyze(texts[i], languages?[i]);
            }
            return results;
        }
        Parallel.For(0, texts.Count, parallel, i => results[i] = Analyze(texts[i], languages?[i]));
        return results;
    }
}
