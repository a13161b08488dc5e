using System.Diagnostics;
using System.Globalization;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Features;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Analysis.Serving;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace JourneyFeedback.Analysis.Training;

/// <summary>Freshly trained models with their manifests (held-out metrics filled in).</summary>
public sealed class TrainedModels
{
    private readonly IReadOnlyDictionary<string, ITransformer> _models;

    internal TrainedModels(IReadOnlyDictionary<string, ITransformer> models, IReadOnlyList<ModelManifest> manifests)
    {
        _models = models;
        Manifests = manifests;
        Analyzer = new FeedbackAnalyzer(models[ModelNames.Sentiment], models[ModelNames.Emotions], models[ModelNames.PainPoints], manifests);
    }

    public IReadOnlyList<ModelManifest> Manifests { get; }

    /// <summary>An analyzer over the in-memory models, e.g. to compare before saving.</summary>
    public FeedbackAnalyzer Analyzer { get; }

    public ModelManifest Manifest(string name) => Manifests.Single(m => m.Name == name);

    /// <summary>Writes {name}.zip (ML.NET model with its input schema) and {name}.manifest.json per model.</summary>
    public void SaveTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var manifest in Manifests)
        {
            HeadTrainer.Save(_models[manifest.Name], Path.Combine(directory, manifest.ModelFile));
            manifest.Save(directory);
        }
    }
}

/// <summary>Trains the sentiment, emotion and pain-point models on the built-in data plus any extra examples.</summary>
public static class AnalysisTrainer
{
    // Relative weights: in-domain rows count fully, large out-of-domain sources are down-weighted.
    private const float GoEmotionsSentimentWeight = 0.3f;
    private const float RtPolarityWeight = 0.5f;
    private const float OwnSentimentWeight = 2f;
    private const float BankingWeight = 0.25f;
    private const int BankingRowsPerIntent = 20;
    private const int BankingRowsPerNoneIntent = 6;
    // Regularisation chosen by 4-fold cross-validation on the pain-point training split (held-out untouched):
    // a few hundred rows need much weaker regularisation than the 40k-row sentiment/emotion sets.

    /// <summary>
    /// Trains all three models and evaluates them on the held-out data. <paramref name="cancellationToken"/> is checked
    /// between stages (a single head's fit is not interruptible).
    /// </summary>
    public static TrainedModels Train(TrainingOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        int threads = Math.Max(1, options.MaxDegreeOfParallelism);
        VBuffer<float>[] Featurize(IEnumerable<string> texts) => FeaturizeAll(texts, threads);
        var clock = Stopwatch.StartNew();
        var data = TrainingDataSet.Load(TrainingDataLocator.Require(options.TrainingDataDirectory));
        int seed = options.Seed;
        var trainedAt = DateTimeOffset.UtcNow;
        string version = options.Version ?? trainedAt.ToString("yyyyMMdd.HHmmss", CultureInfo.InvariantCulture);

        IReadOnlyList<T> Cap<T>(IReadOnlyList<T> rows) =>
            options.MaxRowsPerSource is int max && rows.Count > max ? TrainingDataSet.RandomSplit(rows, (double)max / rows.Count, seed).HeldOut : rows;

        var uci = Cap(data.UciTrain);
        var rt = Cap(data.RtPolarity);
        var goTrain = Cap(data.GoEmotionsTrain);
        var goTune = Cap(data.GoEmotionsTune);
        var own = Cap(data.OwnTrain);
        var banking = Cap(SampleBanking(data.Banking77, seed));

        // --- Sentiment: 3 classes, multiclass maximum entropy.
        var sentiment = new List<WeightedExample>();
        sentiment.AddRange(Featurize(uci.Select(r => r.Text)).Select((f, i) => Example(f, uci[i].Positive ? 2 : 0, 1f)));
        sentiment.AddRange(Featurize(rt.Select(r => r.Text)).Select((f, i) => Example(f, rt[i].Positive ? 2 : 0, RtPolarityWeight)));
        var goFeatures = Featurize(goTrain.Select(r => r.Text));
        for (int i = 0; i < goTrain.Count; i++)
        {
            if (data.SentimentOf(goTrain[i]) is string label)
            {
                sentiment.Add(Example(goFeatures[i], SentimentLabels.IndexOf(label), GoEmotionsSentimentWeight));
            }
        }
        var ownFeatures = Featurize(own.Select(r => r.Text));
        sentiment.AddRange(ownFeatures.Select((f, i) => Example(f, SentimentLabels.IndexOf(own[i].Sentiment), OwnSentimentWeight)));
        sentiment.AddRange(Featurize(options.ExtraSentiment.Select(e => e.Text))
            .Select((f, i) => Example(f, SentimentLabels.IndexOf(options.ExtraSentiment[i].Label), options.ExtraExampleWeight)));
        sentiment.AddRange(Featurize(options.WeakSentiment.Select(e => e.Text))
            .Select((f, i) => Example(f, SentimentLabels.IndexOf(options.WeakSentiment[i].Label), options.WeakExampleWeight)));
        cancellationToken.ThrowIfCancellationRequested();
        log($"sentiment: {sentiment.Count} examples, featurized at {clock.Elapsed.TotalSeconds:F1}s");
        var sentimentModel = HeadTrainer.ChainMulticlass(
            HeadTrainer.TrainMulticlass(sentiment, SentimentLabels.All.Count, seed, l1: 0.1f, l2: 0.1f), HeadScores.SentimentColumn);
        log($"sentiment trained at {clock.Elapsed.TotalSeconds:F1}s");
        cancellationToken.ThrowIfCancellationRequested();

        // --- Emotions: one binary head per label and per Ekman group on the same features.
        var heads = EmotionHeads();
        var extraEmotionFeatures = Featurize(options.ExtraEmotions.Select(e => e.Text));
        var headModels = new ITransformer[heads.Count];
        For(heads.Count, threads, h =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var examples = new List<WeightedExample>(goTrain.Count + options.ExtraEmotions.Count);
            for (int i = 0; i < goTrain.Count; i++)
            {
                examples.Add(Example(goFeatures[i], heads[h].IsGoEmotionsPositive(goTrain[i].Labels) ? 1 : 0, 1f));
            }
            for (int i = 0; i < options.ExtraEmotions.Count; i++)
            {
                examples.Add(Example(extraEmotionFeatures[i], heads[h].IsOwnLabelPositive(options.ExtraEmotions[i].Labels) ? 1 : 0, options.ExtraExampleWeight));
            }
            headModels[h] = HeadTrainer.TrainBinary(examples, seed + h);
        });
        log($"emotions: {heads.Count} heads trained at {clock.Elapsed.TotalSeconds:F1}s");

        // Thresholds are tuned on a slice of GoEmotions train that the heads did not see.
        var tuneFeatures = Featurize(goTune.Select(r => r.Text));
        var thresholds = new Dictionary<string, float>();
        var tuneF1 = new Dictionary<string, double>();
        for (int h = 0; h < heads.Count; h++)
        {
            var probabilities = HeadTrainer.Probabilities(headModels[h], tuneFeatures);
            var gold = goTune.Select(r => heads[h].IsGoEmotionsPositive(r.Labels)).ToList();
            (thresholds[heads[h].Name], tuneF1[heads[h].Name]) = Metrics.BestF1Threshold(probabilities, gold);
        }
        var emotionModel = HeadTrainer.ChainBinary(headModels, HeadScores.EmotionColumn);
        log($"emotion thresholds tuned at {clock.Elapsed.TotalSeconds:F1}s");
        cancellationToken.ThrowIfCancellationRequested();

        // --- Pain points: multiclass maximum entropy over the taxonomy.
        var pain = new List<WeightedExample>();
        pain.AddRange(ownFeatures.Select((f, i) => Example(f, PainPointTaxonomy.IndexOf(own[i].Category), 1f)));
        pain.AddRange(Featurize(banking.Select(r => r.Text))
            .Select((f, i) => Example(f, PainPointTaxonomy.IndexOf(Banking77Map.IntentToCategory[banking[i].Intent]), BankingWeight)));
        pain.AddRange(Featurize(options.ExtraPainPoints.Select(e => e.Text))
            .Select((f, i) => Example(f, PainPointTaxonomy.IndexOf(options.ExtraPainPoints[i].Category), options.ExtraExampleWeight)));
        var painModel = HeadTrainer.ChainMulticlass(
            HeadTrainer.TrainMulticlass(pain, PainPointTaxonomy.All.Count, seed, l1: 0.001f, l2: 0.01f), HeadScores.PainPointColumn);
        log($"pain points: {pain.Count} examples, trained at {clock.Elapsed.TotalSeconds:F1}s");
        cancellationToken.ThrowIfCancellationRequested();

        string extra(int count) => count == 0 ? "" : $" + {count} extra examples";
        string weak = options.WeakSentiment.Count == 0 ? "" : $" + {options.WeakSentiment.Count} weak labels (weight {options.WeakExampleWeight})";
        var manifests = new List<ModelManifest>
        {
            NewManifest(ModelNames.Sentiment, version, trainedAt, SentimentLabels.All, new Dictionary<string, float>(),
                $"UCI sentences train 80% ({uci.Count}), rt-polarity ({rt.Count}, weight {RtPolarityWeight}), GoEmotions train mapped via sentiment_dict (weight {GoEmotionsSentimentWeight}), own customer texts 75% ({own.Count}, weight {OwnSentimentWeight}){extra(options.ExtraSentiment.Count)}{weak}"),
            NewManifest(ModelNames.Emotions, version, trainedAt, FeedbackAnalyzer.EmotionHeadNames, thresholds,
                $"GoEmotions train minus a 10% tuning slice ({goTrain.Count}); thresholds tuned for F1 on the slice ({goTune.Count}){extra(options.ExtraEmotions.Count)}"),
            NewManifest(ModelNames.PainPoints, version, trainedAt, PainPointTaxonomy.Names, new Dictionary<string, float>(),
                $"own customer texts 75% ({own.Count}), BANKING77 mapped intents (≤{BankingRowsPerIntent} per intent, ≤{BankingRowsPerNoneIntent} for 'none' intents, {banking.Count} rows, weight {BankingWeight}){extra(options.ExtraPainPoints.Count)}"),
        };
        var models = new Dictionary<string, ITransformer>
        {
            [ModelNames.Sentiment] = sentimentModel,
            [ModelNames.Emotions] = emotionModel,
            [ModelNames.PainPoints] = painModel,
        };

        // Evaluate on held-out data through the serving path, then record the metrics.
        var draft = new TrainedModels(models, manifests);
        var report = AnalysisEvaluator.Evaluate(draft.Analyzer, data, threads);
        var final = manifests.Select(m => m with
        {
            HeldOutMetrics = report[m.Name].Metrics,
            HeldOutDetails = report[m.Name].Details,
        }).ToList();
        log($"evaluated at {clock.Elapsed.TotalSeconds:F1}s");
        return new TrainedModels(models, final);
    }

    private static ModelManifest NewManifest(string name, string version, DateTimeOffset trainedAt, IReadOnlyList<string> labels,
        IReadOnlyDictionary<string, float> thresholds, string trainingData) => new()
        {
            Name = name,
            Version = version,
            TrainedAt = trainedAt,
            ModelFile = name + ".zip",
            FeaturizerVersion = TextFeaturizer.Version,
            TrainingData = trainingData,
            Labels = labels,
            Thresholds = thresholds,
            HeldOutMetrics = new ModelMetrics(new Dictionary<string, double>()),
        };

    private static WeightedExample Example(VBuffer<float> features, int label, float weight) => new(features, label, weight);

    private static VBuffer<float>[] FeaturizeAll(IEnumerable<string> texts, int threads)
    {
        var list = texts as IReadOnlyList<string> ?? texts.ToList();
        var features = new VBuffer<float>[list.Count];
        For(list.Count, threads, i => features[i] = TextFeaturizer.Featurize(list[i]));
        return features;
    }

    /// <summary>A plain loop for one thread, so single-threaded training really stays on the caller's (low-priority) thread.</summary>
    internal static void For(int count, int threads, Action<int> body)
    {
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>A seeded sample of mapped BANKING77 intents, capped per intent so banking does not drown our own texts.</summary>
    private static List<IntentText> SampleBanking(IReadOnlyList<IntentText> rows, int seed)
    {
        var sample = new List<IntentText>();
        foreach (var group in rows.Where(r => Banking77Map.IntentToCategory.ContainsKey(r.Intent)).GroupBy(r => r.Intent).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int cap = Banking77Map.IntentToCategory[group.Key] == PainPointTaxonomy.None ? BankingRowsPerNoneIntent : BankingRowsPerIntent;
            var items = group.ToList();
            sample.AddRange(TrainingDataSet.RandomSplit(items, Math.Min(1.0, (double)cap / items.Count), seed).HeldOut);
        }
        return sample;
    }

    private sealed record EmotionHead(string Name, Func<IReadOnlyList<string>, bool> IsGoEmotionsPositive, Func<IReadOnlyList<string>, bool> IsOwnLabelPositive);

    /// <summary>Heads in the order of FeedbackAnalyzer.EmotionHeadNames: labels, then Ekman groups.</summary>
    private static List<EmotionHead> EmotionHeads()
    {
        var heads = EmotionLabels.All.Select(label => new EmotionHead(
            label.Name,
            goLabels => goLabels.Any(label.GoEmotionsLabels.Contains),
            ownLabels => ownLabels.Contains(label.Name))).ToList();
        heads.AddRange(EmotionLabels.ModelledGroups.Select(group => new EmotionHead(
            "ekman." + EmotionLabels.GroupName(group),
            goLabels => goLabels.Any(l => EmotionLabels.GoEmotionsToEkman[l] == group),
            ownLabels => ownLabels.Any(l => l != EmotionLabels.NeutralName && EmotionLabels.GroupOf(l) == group))));
        return heads;
    }
}
