using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Features;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace JourneyFeedback.Analysis.Serving;

/// <summary>
/// One language's sentiment, emotion and pain-point models, combined into one chain over the shared feature vector and
/// run by pooled prediction engines (an engine is not thread-safe). The emotion heads are whatever the manifest lists:
/// English has fine labels and Ekman groups; Polish, Italian and Romanian have the six groups only (their data has no
/// finer labels), and report each passing group under the emotion label of the same name.
/// </summary>
internal sealed class LanguageModels
{
    private const string GroupPrefix = "ekman.";

    private readonly ObjectPool<PredictionEngine<FeatureInput, HeadScores>> _engines;
    private readonly bool _foldDiacritics;
    private readonly (int Head, EmotionLabel Label, float Threshold)[] _labelHeads;
    private readonly (int Head, string Group, float Threshold)[] _groupHeads;

    public LanguageModels(ITransformer sentiment, ITransformer emotions, ITransformer painPoints, IReadOnlyList<ModelManifest> manifests)
    {
        Manifests = manifests;
        var emotionManifest = Manifest(ModelNames.Emotions);
        Language = emotionManifest.Language;
        _foldDiacritics = emotionManifest.FeaturizerVersion == TextFeaturizer.FoldingVersion;
        Versions = new ModelVersions(Manifest(ModelNames.Sentiment).Version, emotionManifest.Version, Manifest(ModelNames.PainPoints).Version);
        var heads = emotionManifest.Labels.Select((name, head) => (name, head, threshold: emotionManifest.Thresholds[name])).ToList();
        _groupHeads = heads.Where(h => h.name.StartsWith(GroupPrefix, StringComparison.Ordinal))
            .Select(h => (h.head, h.name[GroupPrefix.Length..], h.threshold)).ToArray();
        _labelHeads = heads.Where(h => !h.name.StartsWith(GroupPrefix, StringComparison.Ordinal))
            .Select(h => (h.head, EmotionLabels.All.Single(l => l.Name == h.name), h.threshold)).ToArray();

        var combined = new TransformerChain<ITransformer>(sentiment, emotions, painPoints);
        var ml = new MLContext(0);
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 };
        _engines = provider.Create(new EnginePolicy(ml, combined));
    }

    public string Language { get; }

    public IReadOnlyList<ModelManifest> Manifests { get; }

    public ModelVersions Versions { get; }

    /// <summary>The six Ekman group heads (all the Polish, Italian and Romanian emotions models have).</summary>
    public static IReadOnlyList<string> GroupHeads { get; } = EmotionLabels.ModelledGroups.Select(g => GroupPrefix + EmotionLabels.GroupName(g)).ToArray();

    /// <summary>Emotion head order of the English emotions model: the labels, then the Ekman groups.</summary>
    public static IReadOnlyList<string> EnglishEmotionHeads { get; } =
        EmotionLabels.All.Select(l => l.Name).Concat(GroupHeads).ToArray();

    public static LanguageModels Load(string directory)
    {
        var manifests = ModelNames.All.Select(name => ModelManifest.Load(directory, name)).ToArray();
        foreach (var manifest in manifests)
        {
            string expected = TextFeaturizer.VersionFor(manifest.Language != ModelNames.English);
            if (manifest.FeaturizerVersion != expected)
            {
                throw new InvalidDataException(
                    $"Model '{manifest.Name}' ({manifest.Language}) was trained with featurizer '{manifest.FeaturizerVersion}', this library has '{expected}'. Retrain it.");
            }
        }
        ITransformer LoadModel(string name) => Training.HeadTrainer.Load(Path.Combine(directory, manifests.Single(m => m.Name == name).ModelFile));
        return new LanguageModels(LoadModel(ModelNames.Sentiment), LoadModel(ModelNames.Emotions), LoadModel(ModelNames.PainPoints), manifests);
    }

    public Scores Score(string text)
    {
        var engine = _engines.Get();
        try
        {
            var scores = engine.Predict(new FeatureInput { Features = TextFeaturizer.Featurize(text, _foldDiacritics) });
            var painPoints = ToPainPoints(scores.PainPointScores, out string primary);
            return new Scores(ToSentiment(scores.SentimentScores), ToEmotions(scores.EmotionScores), ToEmotionGroups(scores.EmotionScores), painPoints, primary);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    public sealed record Scores(SentimentResult Sentiment, IReadOnlyList<EmotionScore> Emotions, IReadOnlyList<EmotionGroupScore> EmotionGroups,
        IReadOnlyList<PainPointScore> PainPoints, string PrimaryPainPoint);

    private ModelManifest Manifest(string name) => Manifests.Single(m => m.Name == name);

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
        if (_labelHeads.Length > 0)
        {
            foreach (var (head, label, threshold) in _labelHeads)
            {
                max = Math.Max(max, scores[head]);
                if (scores[head] >= threshold)
                {
                    emotions.Add(new EmotionScore(label.Name, EmotionLabels.GroupName(label.Group), scores[head]));
                }
            }
        }
        else
        {
            foreach (var (head, group, threshold) in _groupHeads)
            {
                max = Math.Max(max, scores[head]);
                if (scores[head] >= threshold)
                {
                    emotions.Add(new EmotionScore(group, group, scores[head]));
                }
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
        float max = 0;
        foreach (var (head, group, threshold) in _groupHeads)
        {
            max = Math.Max(max, scores[head]);
            if (scores[head] >= threshold)
            {
                groups.Add(new EmotionGroupScore(group, scores[head]));
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
            if (name != PainPointTaxonomy.None && scores[i] >= FeedbackAnalyzer.MinimumPainPointScore)
            {
                ranked.Add(new PainPointScore(name, scores[i]));
            }
        }
        primary = PainPointTaxonomy.All[best].Name;
        ranked.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (ranked.Count > FeedbackAnalyzer.MaxPainPoints)
        {
            ranked.RemoveRange(FeedbackAnalyzer.MaxPainPoints, ranked.Count - FeedbackAnalyzer.MaxPainPoints);
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
