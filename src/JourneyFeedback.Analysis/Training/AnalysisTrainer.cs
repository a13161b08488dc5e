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
        Analyzer = new FeedbackAnalyzer([new LanguageModels(models[ModelNames.Sentiment], models[ModelNames.Emotions], models[ModelNames.PainPoints], manifests)]);
    }

    public IReadOnlyList<ModelManifest> Manifests { get; }

    /// <summary>The language the models read.</summary>
    public string Language => Manifests[0].Language;

    /// <summary>An analyzer over the in-memory models (this language only), e.g. to compare before saving.</summary>
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
    internal const float GoEmotionsSentimentWeight = 0.3f;
    internal const float RtPolarityWeight = 0.5f;
    internal const float OwnSentimentWeight = 2f;
    internal const float BankingWeight = 0.25f;
    private const int BankingRowsPerIntent = 20;
    private const int BankingRowsPerNoneIntent = 6;
    // Regularisation chosen by 4-fold cross-validation on the pain-point training split (held-out untouched):
    // a few hundred rows need much weaker regularisation than the 40k-row sentiment/emotion sets.
    internal const float PainPointL1 = 0.001f, PainPointL2 = 0.01f;
    internal const float SentimentL1 = 0.1f, SentimentL2 = 0.1f;

    /// <summary>
    /// Trains all three models and evaluates them on the held-out data. <paramref name="cancellationToken"/> is checked
    /// between stages (a single head's fit is not interruptible).
    /// </summary>
    public static TrainedModels Train(TrainingOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var run = new TrainingRun(options, log ?? (_ => { }), cancellationToken);
        var sentimentModel = run.TrainSentiment();
        var (emotionModel, thresholds) = run.TrainEmotions();
        var painModel = run.TrainPainPoints();
        var manifests = run.Manifests(thresholds);
        var models = new Dictionary<string, ITransformer>
        {
            [ModelNames.Sentiment] = sentimentModel,
            [ModelNames.Emotions] = emotionModel,
            [ModelNames.PainPoints] = painModel,
        };

        // Evaluate on held-out data through the serving path, then record the metrics.
        var draft = new TrainedModels(models, manifests);
        var report = AnalysisEvaluator.Evaluate(draft.Analyzer, run.Data, run.Threads);
        var final = manifests.Select(m => m with
        {
            HeldOutMetrics = report[m.Name].Metrics,
            HeldOutDetails = report[m.Name].Details,
        }).ToList();
        run.Log("evaluated");
        return new TrainedModels(models, final);
    }

    /// <summary>
    /// One training: the data (each source capped as asked), the features shared by several models, and the clock the
    /// progress messages report.
    /// </summary>
    private sealed class TrainingRun
    {
        private readonly TrainingOptions _options;
        private readonly Action<string> _log;
        private readonly CancellationToken _cancellationToken;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int _seed;
        private readonly DateTimeOffset _trainedAt;
        private readonly IReadOnlyList<PolarityText> _uci;
        private readonly IReadOnlyList<PolarityText> _rt;
        private readonly IReadOnlyList<GoEmotionsText> _goTrain;
        private readonly IReadOnlyList<GoEmotionsText> _goTune;
        private readonly IReadOnlyList<OwnText> _own;
        private readonly IReadOnlyList<IntentText> _banking;
        private VBuffer<float>[]? _goFeatures;
        private VBuffer<float>[]? _ownFeatures;

        public TrainingRun(TrainingOptions options, Action<string> log, CancellationToken cancellationToken)
        {
            _options = options;
            _log = log;
            _cancellationToken = cancellationToken;
            Threads = Math.Max(1, options.MaxDegreeOfParallelism);
            Data = TrainingDataSet.Load(TrainingDataLocator.Require(options.TrainingDataDirectory));
            _seed = options.Seed;
            _trainedAt = DateTimeOffset.UtcNow;
            _uci = Cap(Data.UciTrain);
            _rt = Cap(Data.RtPolarity);
            _goTrain = Cap(Data.GoEmotionsTrain);
            _goTune = Cap(Data.GoEmotionsTune);
            _own = Cap(Data.OwnTrain);
            _banking = Cap(SampleBanking(Data.Banking77, _seed));
        }

        public TrainingDataSet Data { get; }
        public int Threads { get; }

        // Featurized once: GoEmotions train feeds sentiment and every emotion head, our own texts sentiment and pain points.
        private VBuffer<float>[] GoFeatures => _goFeatures ??= Featurize(_goTrain.Select(r => r.Text));
        private VBuffer<float>[] OwnFeatures => _ownFeatures ??= Featurize(_own.Select(r => r.Text));

        public void Log(string stage) => _log($"{stage} at {_clock.Elapsed.TotalSeconds:F1}s");

        /// <summary>Sentiment: 3 classes, multiclass maximum entropy.</summary>
        public ITransformer TrainSentiment()
        {
            var sentiment = new List<WeightedExample>();
            sentiment.AddRange(Featurize(_uci.Select(r => r.Text)).Select((f, i) => Example(f, _uci[i].Positive ? 2 : 0, 1f)));
            sentiment.AddRange(Featurize(_rt.Select(r => r.Text)).Select((f, i) => Example(f, _rt[i].Positive ? 2 : 0, RtPolarityWeight)));
            var goFeatures = GoFeatures;
            for (int i = 0; i < _goTrain.Count; i++)
            {
                if (Data.SentimentOf(_goTrain[i]) is string label)
                {
                    sentiment.Add(Example(goFeatures[i], SentimentLabels.IndexOf(label), GoEmotionsSentimentWeight));
                }
            }
            sentiment.AddRange(OwnFeatures.Select((f, i) => Example(f, SentimentLabels.IndexOf(_own[i].Sentiment), OwnSentimentWeight)));
            sentiment.AddRange(Featurize(_options.ExtraSentiment.Select(e => e.Text))
                .Select((f, i) => Example(f, SentimentLabels.IndexOf(_options.ExtraSentiment[i].Label), _options.ExtraExampleWeight)));
            sentiment.AddRange(Featurize(_options.WeakSentiment.Select(e => e.Text))
                .Select((f, i) => Example(f, SentimentLabels.IndexOf(_options.WeakSentiment[i].Label), _options.WeakExampleWeight)));
            _cancellationToken.ThrowIfCancellationRequested();
            Log($"sentiment: {sentiment.Count} examples, featurized");
            var model = HeadTrainer.ChainMulticlass(
                HeadTrainer.TrainMulticlass(sentiment, SentimentLabels.All.Count, _seed, l1: SentimentL1, l2: SentimentL2), HeadScores.SentimentColumn);
            Log("sentiment trained");
            _cancellationToken.ThrowIfCancellationRequested();
            return model;
        }

        /// <summary>Emotions: one binary head per label and per Ekman group on the same features, each with a tuned threshold.</summary>
        public (ITransformer Model, Dictionary<string, float> Thresholds) TrainEmotions()
        {
            var goFeatures = GoFeatures;
            var heads = EmotionHeads();
            var extraEmotionFeatures = Featurize(_options.ExtraEmotions.Select(e => e.Text));
            var headModels = new ITransformer[heads.Count];
            For(heads.Count, Threads, h =>
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var examples = new List<WeightedExample>(_goTrain.Count + _options.ExtraEmotions.Count);
                for (int i = 0; i < _goTrain.Count; i++)
                {
                    examples.Add(Example(goFeatures[i], heads[h].IsGoEmotionsPositive(_goTrain[i].Labels) ? 1 : 0, 1f));
                }
                for (int i = 0; i < _options.ExtraEmotions.Count; i++)
                {
                    examples.Add(Example(extraEmotionFeatures[i], heads[h].IsOwnLabelPositive(_options.ExtraEmotions[i].Labels) ? 1 : 0,
                        _options.ExtraExampleWeight));
                }
                headModels[h] = HeadTrainer.TrainBinary(examples, _seed + h);
            });
            Log($"emotions: {heads.Count} heads trained");

            var thresholds = TuneThresholds(heads, headModels);
            var model = HeadTrainer.ChainBinary(headModels, HeadScores.EmotionColumn);
            Log("emotion thresholds tuned");
            _cancellationToken.ThrowIfCancellationRequested();
            return (model, thresholds);
        }

        /// <summary>Thresholds for best F1, tuned on a slice of GoEmotions train that the heads did not see.</summary>
        private Dictionary<string, float> TuneThresholds(List<EmotionHead> heads, ITransformer[] headModels)
        {
            var tuneFeatures = Featurize(_goTune.Select(r => r.Text));
            var thresholds = new Dictionary<string, float>();
            for (int h = 0; h < heads.Count; h++)
            {
                var probabilities = HeadTrainer.Probabilities(headModels[h], tuneFeatures);
                var gold = _goTune.Select(r => heads[h].IsGoEmotionsPositive(r.Labels)).ToList();
                (thresholds[heads[h].Name], _) = Metrics.BestF1Threshold(probabilities, gold);
            }
            return thresholds;
        }

        /// <summary>Pain points: multiclass maximum entropy over the taxonomy.</summary>
        public ITransformer TrainPainPoints()
        {
            var pain = new List<WeightedExample>();
            pain.AddRange(OwnFeatures.Select((f, i) => Example(f, PainPointTaxonomy.IndexOf(_own[i].Category), 1f)));
            pain.AddRange(Featurize(_banking.Select(r => r.Text))
                .Select((f, i) => Example(f, PainPointTaxonomy.IndexOf(Banking77Map.IntentToCategory[_banking[i].Intent]), BankingWeight)));
            pain.AddRange(Featurize(_options.ExtraPainPoints.Select(e => e.Text))
                .Select((f, i) => Example(f, PainPointTaxonomy.IndexOf(_options.ExtraPainPoints[i].Category), _options.ExtraExampleWeight)));
            var model = HeadTrainer.ChainMulticlass(
                HeadTrainer.TrainMulticlass(pain, PainPointTaxonomy.All.Count, _seed, l1: PainPointL1, l2: PainPointL2), HeadScores.PainPointColumn);
            Log($"pain points: {pain.Count} examples, trained");
            _cancellationToken.ThrowIfCancellationRequested();
            return model;
        }

        /// <summary>The three manifests, held-out metrics still empty; each says what its model was trained on.</summary>
        public List<ModelManifest> Manifests(IReadOnlyDictionary<string, float> emotionThresholds)
        {
            string version = _options.Version ?? _trainedAt.ToString("yyyyMMdd.HHmmss", CultureInfo.InvariantCulture);
            string extra(int count) => count == 0 ? "" : $" + {count} extra examples";
            string weak = _options.WeakSentiment.Count == 0 ? "" : $" + {_options.WeakSentiment.Count} weak labels (weight {_options.WeakExampleWeight})";
            return
            [
                NewManifest(ModelNames.Sentiment, version, _trainedAt, SentimentLabels.All, new Dictionary<string, float>(),
                    $"UCI sentences train 80% ({_uci.Count}), rt-polarity ({_rt.Count}, weight {RtPolarityWeight}), GoEmotions train mapped via sentiment_dict (weight {GoEmotionsSentimentWeight}), own customer texts 75% ({_own.Count}, weight {OwnSentimentWeight}){extra(_options.ExtraSentiment.Count)}{weak}"),
                NewManifest(ModelNames.Emotions, version, _trainedAt, LanguageModels.EnglishEmotionHeads, emotionThresholds,
                    $"GoEmotions train minus a 10% tuning slice ({_goTrain.Count}); thresholds tuned for F1 on the slice ({_goTune.Count}){extra(_options.ExtraEmotions.Count)}"),
                NewManifest(ModelNames.PainPoints, version, _trainedAt, PainPointTaxonomy.Names, new Dictionary<string, float>(),
                    $"own customer texts 75% ({_own.Count}), BANKING77 mapped intents (≤{BankingRowsPerIntent} per intent, ≤{BankingRowsPerNoneIntent} for 'none' intents, {_banking.Count} rows, weight {BankingWeight}){extra(_options.ExtraPainPoints.Count)}"),
            ];
        }

        private VBuffer<float>[] Featurize(IEnumerable<string> texts) => FeaturizeAll(texts, Threads);

        private IReadOnlyList<T> Cap<T>(IReadOnlyList<T> rows) =>
            _options.MaxRowsPerSource is int max && rows.Count > max ? TrainingDataSet.RandomSplit(rows, (double)max / rows.Count, _seed).HeldOut : rows;
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

    /// <param name="foldDiacritics">The Polish, Italian and Romanian featurizer (TextFeaturizer.FoldingVersion).</param>
    internal static VBuffer<float>[] FeaturizeAll(IEnumerable<string> texts, int threads, bool foldDiacritics = false)
    {
        var list = texts as IReadOnlyList<string> ?? texts.ToList();
        var features = new VBuffer<float>[list.Count];
        For(list.Count, threads, i => features[i] = TextFeaturizer.Featurize(list[i], foldDiacritics));
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
    internal static List<IntentText> SampleBanking(IReadOnlyList<IntentText> rows, int seed)
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

    /// <summary>Heads in the order of LanguageModels.EnglishEmotionHeads: labels, then Ekman groups.</summary>
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
