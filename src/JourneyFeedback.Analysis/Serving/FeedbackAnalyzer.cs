using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Features;
using JourneyFeedback.Analysis.KeyPhrases;
using JourneyFeedback.Analysis.Language;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace JourneyFeedback.Analysis.Serving;

/// <summary>
/// Serves the sentiment, emotion and pain-point models. Load once and share: it is thread-safe.
/// Each text is featurized once; the three saved models are combined into one chain over the
/// shared feature vector and run by pooled prediction engines (an engine is not thread-safe).
/// </summary>
public sealed class FeedbackAnalyzer
{
    public const float MinimumPainPointScore = 0.15f;
    public const int MaxPainPoints = 3;

    private readonly ObjectPool<PredictionEngine<FeatureInput, HeadScores>> _engines;
    private readonly float[] _emotionThresholds;
    private readonly ModelVersions _versions;

    internal FeedbackAnalyzer(ITransformer sentiment, ITransformer emotions, ITransformer painPoints, IReadOnlyList<ModelManifest> manifests)
    {
        Manifests = manifests;
        var emotionManifest = Manifest(ModelNames.Emotions);
        _emotionThresholds = EmotionHeadNames.Select(n => emotionManifest.Thresholds[n]).ToArray();
        _versions = new ModelVersions(Manifest(ModelNames.Sentiment).Version, emotionManifest.Version, Manifest(ModelNames.PainPoints).Version);

        var combined = new TransformerChain<ITransformer>(sentiment, emotions, painPoints);
        var ml = new MLContext(0);
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 };
        _engines = provider.Create(new EnginePolicy(ml, combined));
    }

    /// <summary>The manifests of the loaded models (name, version, thresholds, held-out metrics...).</summary>
    public IReadOnlyList<ModelManifest> Manifests { get; }

    public ModelVersions Versions => _versions;

    /// <summary>Emotion head order in the emotions model: the labels, then the Ekman groups.</summary>
    internal static IReadOnlyList<string> EmotionHeadNames { get; } =
        EmotionLabels.All.Select(l => l.Name).Concat(EmotionLabels.ModelledGroups.Select(g => "ekman." + EmotionLabels.GroupName(g))).ToArray();

    /// <summary>Loads the three models and manifests from a directory (default: Models/ next to the app).</summary>
    public static FeedbackAnalyzer Load(string? modelDirectory = null)
    {
        string directory = modelDirectory ?? ModelNames.DefaultDirectory;
        var manifests = ModelNames.All.Select(name => ModelManifest.Load(directory, name)).ToArray();
        foreach (var manifest in manifests)
        {
            if (manifest.FeaturizerVersion != TextFeaturizer.Version)
            {
                throw new InvalidDataException(
                    $"Model '{manifest.Name}' was trained with featurizer '{manifest.FeaturizerVersion}', this library has '{TextFeaturizer.Version}'. Retrain it.");
            }
        }
        ITransformer LoadModel(string name) => Training.HeadTrainer.Load(Path.Combine(directory, manifests.Single(m => m.Name == name).ModelFile));
        return new FeedbackAnalyzer(LoadModel(ModelNames.Sentiment), LoadModel(ModelNames.Emotions), LoadModel(ModelNames.PainPoints), manifests);
    }

    public AnalysisResult Analyze(string text)
    {
        var engine = _engines.Get();
        try
        {
            return Analyze(text, engine);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>Analyzes a batch on all cores; results are in input order.</summary>
    public IReadOnlyList<AnalysisResult> Analyze(IReadOnlyList<string> texts) => Analyze(texts, Environment.ProcessorCount);

    /// <summary>Analyzes a batch on up to <paramref name="maxDegreeOfParallelism"/> threads (1: the calling thread only).</summary>
    public IReadOnlyList<AnalysisResult> Analyze(IReadOnlyList<string> texts, int maxDegreeOfParallelism)
    {
        var results = new AnalysisResult[texts.Count];
        if (texts.Count < 16 || maxDegreeOfParallelism <= 1)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                results[i] = Analyze(texts[i]);
            }
            return results;
        }
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => _engines.Get(),
            (i, _, engine) =>
            {
                results[i] = Analyze(texts[i], engine);
                return engine;
            },
            engine => _engines.Return(engine));
        return results;
    }

    private ModelManifest Manifest(string name) => Manifests.Single(m => m.Name == name);

    private AnalysisResult Analyze(string text, PredictionEngine<FeatureInput, HeadScores> engine)
    {
        text ??= string.Empty;
        var scores = engine.Predict(new FeatureInput { Features = TextFeaturizer.Featurize(text) });
        var language = LanguageDetector.Detect(text);
        return new AnalysisResult(
            ToSentiment(scores.SentimentScores),
            ToEmotions(scores.EmotionScores),
            ToEmotionGroups(scores.EmotionScores),
            ToPainPoints(scores.PainPointScores, out string primary),
            primary,
            KeyPhraseExtractor.Extract(text, language: language.Code),
            language,
            LowConfidence: !language.IsEnglish,
            _versions);
    }

    private static SentimentResult ToSentiment(float[] scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }
        return new SentimentResult(SentimentLabels.All[best], new SentimentScores(scores[0], scores[1], scores[2]));
    }

    private List<EmotionScore> ToEmotions(float[] scores)
    {
        var emotions = new List<EmotionScore>();
        float max = 0;
        for (int i = 0; i < EmotionLabels.All.Count; i++)
        {
            max = Math.Max(max, scores[i]);
            if (scores[i] >= _emotionThresholds[i])
            {
                var label = EmotionLabels.All[i];
                emotions.Add(new EmotionScore(label.Name, EmotionLabels.GroupName(label.Group), scores[i]));
            }
        }
        if (emotions.Count == 0)
        {
            string neutral = EmotionLabels.NeutralName;
            return [new EmotionScore(neutral, neutral, 1 - max)];
        }
        emotions.Sort((a, b) => b.Score.CompareTo(a.Score));
        return emotions;
    }

    private List<EmotionGroupScore> ToEmotionGroups(float[] scores)
    {
        var groups = new List<EmotionGroupScore>();
        int offset = EmotionLabels.All.Count;
        float max = 0;
        for (int g = 0; g < EmotionLabels.ModelledGroups.Count; g++)
        {
            float score = scores[offset + g];
            max = Math.Max(max, score);
            if (score >= _emotionThresholds[offset + g])
            {
                groups.Add(new EmotionGroupScore(EmotionLabels.GroupName(EmotionLabels.ModelledGroups[g]), score));
            }
        }
        if (groups.Count == 0)
        {
            return [new EmotionGroupScore(EmotionLabels.NeutralName, 1 - max)];
        }
        groups.Sort((a, b) => b.Score.CompareTo(a.Score));
        return groups;
    }

    private static List<PainPointScore> ToPainPoints(float[] scores, out string primary)
    {
        int best = 0;
        var ranked = new List<PainPointScore>();
        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
            string name = PainPointTaxonomy.All[i].Name;
            if (name != PainPointTaxonomy.None && scores[i] >= MinimumPainPointScore)
            {
                ranked.Add(new PainPointScore(name, scores[i]));
            }
        }
        primary = PainPointTaxonomy.All[best].Name;
        ranked.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (ranked.Count > MaxPainPoints)
        {
            ranked.RemoveRange(MaxPainPoints, ranked.Count - MaxPainPoints);
        }
        return ranked;
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<FeatureInput, HeadScores>>
    {
        public override PredictionEngine<FeatureInput, HeadScores> Create() =>
            ml.Model.CreatePredictionEngine<FeatureInput, HeadScores>(model);

        public override bool Return(PredictionEngine<FeatureInput, HeadScores> obj) => true;
    }
}
