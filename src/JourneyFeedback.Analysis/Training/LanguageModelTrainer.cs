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

/// <summary>
/// Trains the Polish, Italian or Romanian models: the same three models and label sets as English (emotions: the six
/// Ekman groups), on the diacritic-folding featurizer. The recipe is docs/language-probe.md's: class-balanced L-BFGS
/// linear heads; emotions as six binary heads with per-group thresholds tuned on a validation fold, trained on the
/// language's XED lines plus the other two languages' (cheap, and it helped Polish and Romanian).
/// </summary>
public static class LanguageModelTrainer
{
    // Our own customer texts are few (1,210–1,457 per language) but they are the domain; XED subtitles are many and
    // off-domain. Weights by 5-fold cross-validation on the train split (`language-train tune`, docs/model-card.md).
    internal const float OwnSentimentWeight = 32f;
    internal const float XedSentimentWeight = 1f;
    internal const float RedSentimentWeight = 1f;
    internal const float OtherLanguagesEmotionWeight = 0.5f;
    internal const float SentimentL2 = 0.3f;
    internal const float EmotionL2 = 1f;
    internal const float PainPointL1 = 0.001f, PainPointL2 = 0.01f;
    internal const float OtherLanguagesOwnPainPointWeight = 0.25f;

    // How many train rows at the top of each own file are the parallel part (TrainingData/own/SOURCE.md).
    private const int ParallelTrainRows = 189;

    public static TrainedModels Train(string language, TrainingOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        if (!ModelNames.OtherLanguages.Contains(language))
        {
            throw new ArgumentException($"No per-language recipe for '{language}'; languages: {string.Join(", ", ModelNames.OtherLanguages)}.", nameof(language));
        }
        var clock = Stopwatch.StartNew();
        void Log(string stage) => log?.Invoke($"{language}: {stage} at {clock.Elapsed.TotalSeconds:F1}s");
        int threads = Math.Max(1, options.MaxDegreeOfParallelism);
        int seed = options.Seed;
        var data = LanguageDataSet.Load(TrainingDataLocator.Require(options.TrainingDataDirectory), language);
        VBuffer<float>[] Featurize(IEnumerable<string> texts) => AnalysisTrainer.FeaturizeAll(texts, threads, foldDiacritics: true);

        var xedTrain = Featurize(data.XedTrain.Select(l => l.Text));
        var ownTrain = Featurize(data.OwnTrain.Select(t => t.Text));
        var redTrain = Featurize(data.RedTrain.Select(t => t.Text));
        Log("featurized");

        // Sentiment: XED's polar lines say negative/positive; our own texts (and RED's neutral tweets) bring neutral.
        var sentiment = SentimentExamples(data, xedTrain, redTrain, data.OwnTrain.Select((t, i) => (ownTrain[i], t)), OwnSentimentWeight);
        cancellationToken.ThrowIfCancellationRequested();
        var sentimentModel = HeadTrainer.ChainMulticlass(
            HeadTrainer.TrainMulticlass(sentiment, SentimentLabels.All.Count, seed, l1: 0, l2: SentimentL2), HeadScores.SentimentColumn);
        Log($"sentiment: {sentiment.Count} examples, trained");

        // Emotions: one balanced binary head per Ekman group.
        var otherTrain = Featurize(data.OtherLanguagesXedTrain.Select(l => l.Text));
        var groups = EmotionLabels.ModelledGroups;
        var heads = new ITransformer[groups.Count];
        AnalysisTrainer.For(groups.Count, threads, g =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var group = groups[g];
            var examples = new List<(VBuffer<float> Features, int Label, float Weight)>();
            examples.AddRange(data.XedTrain.Select((l, i) => (xedTrain[i], LanguageDataSet.InGroup(l, group) ? 1 : 0, 1f)));
            examples.AddRange(data.OtherLanguagesXedTrain.Select((l, i) => (otherTrain[i], LanguageDataSet.InGroup(l, group) ? 1 : 0, OtherLanguagesEmotionWeight)));
            examples.AddRange(data.RedTrain.Select((t, i) => (redTrain[i], LanguageDataSet.RedToEkman[t.Label] == group ? 1 : 0, 1f)));
            heads[g] = HeadTrainer.TrainBinary(Balanced(examples.Select(e => (e.Features, e.Label)), examples.Select(e => e.Weight).ToList()),
                seed + g, l1: 0, l2: EmotionL2);
        });
        var thresholds = new Dictionary<string, float>();
        var validationTexts = data.XedValidation.Select(l => l.Text).Concat(data.RedValidation.Select(t => t.Text)).ToList();
        var validation = Featurize(validationTexts);
        var headNames = LanguageModels.GroupHeads;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var gold = data.XedValidation.Select(l => LanguageDataSet.InGroup(l, group))
                .Concat(data.RedValidation.Select(t => LanguageDataSet.RedToEkman[t.Label] == group)).ToList();
            (thresholds[headNames[g]], _) = Metrics.BestF1Threshold(HeadTrainer.Probabilities(heads[g], validation), gold);
        }
        var emotionModel = HeadTrainer.ChainBinary(heads, HeadScores.EmotionColumn);
        Log("emotions: 6 group heads trained, thresholds tuned");

        // Pain points: our own texts only (no public set has these categories in these languages).
        // The other two languages' own texts share the cue-word slots (one lexicon for the three languages), so they
        // teach what the cues mean; weight 0.25 by 5-fold cross-validation on the train splits (`language-train tune`;
        // on the round-six splits, against none: pl 0.709 → 0.721, it 0.726 → 0.735, ro 0.732 → 0.740).
        var otherOwn = Featurize(data.OtherLanguagesOwnTrain.Select(t => t.Text));
        var pain = data.OwnTrain.Select((t, i) => new WeightedExample(ownTrain[i], PainPointTaxonomy.IndexOf(t.Category), 1f))
            .Concat(data.OtherLanguagesOwnTrain.Select((t, i) => new WeightedExample(otherOwn[i], PainPointTaxonomy.IndexOf(t.Category), OtherLanguagesOwnPainPointWeight)))
            .ToList();
        var painModel = HeadTrainer.ChainMulticlass(
            HeadTrainer.TrainMulticlass(pain, PainPointTaxonomy.All.Count, seed, l1: PainPointL1, l2: PainPointL2), HeadScores.PainPointColumn);
        Log($"pain points: {pain.Count} examples, trained");

        var trainedAt = DateTimeOffset.UtcNow;
        string version = options.Version ?? trainedAt.ToString("yyyyMMdd.HHmmss", CultureInfo.InvariantCulture);
        string red = data.RedTrain.Count == 0 ? "" : $", RED v1 train 80% ({data.RedTrain.Count})";
        ModelManifest Manifest(string name, IReadOnlyList<string> labels, IReadOnlyDictionary<string, float> headThresholds, string trainingData) => new()
        {
            Name = name,
            Language = language,
            Version = version,
            TrainedAt = trainedAt,
            ModelFile = name + ".zip",
            FeaturizerVersion = TextFeaturizer.FoldingVersion,
            TrainingData = trainingData,
            Labels = labels,
            Thresholds = headThresholds,
            HeldOutMetrics = new ModelMetrics(new Dictionary<string, double>()),
        };
        var manifests = new List<ModelManifest>
        {
            Manifest(ModelNames.Sentiment, SentimentLabels.All, new Dictionary<string, float>(),
                $"XED {language} polar lines, train fold ({sentiment.Count - data.OwnTrain.Count - data.RedTrain.Count}), own {language} customer texts train split ({data.OwnTrain.Count}, weight {OwnSentimentWeight}){red}; class-balanced"),
            Manifest(ModelNames.Emotions, headNames, thresholds,
                $"XED {language} train fold ({data.XedTrain.Count}) + other languages' XED train folds ({data.OtherLanguagesXedTrain.Count}, weight {OtherLanguagesEmotionWeight}){red}; thresholds tuned for F1 on the validation fold ({validationTexts.Count})"),
            Manifest(ModelNames.PainPoints, PainPointTaxonomy.Names, new Dictionary<string, float>(),
                $"own {language} customer texts, train split ({data.OwnTrain.Count}) + the other two languages' train splits ({data.OtherLanguagesOwnTrain.Count}, weight {OtherLanguagesOwnPainPointWeight})"),
        };
        var models = new Dictionary<string, ITransformer>
        {
            [ModelNames.Sentiment] = sentimentModel,
            [ModelNames.Emotions] = emotionModel,
            [ModelNames.PainPoints] = painModel,
        };
        var draft = new TrainedModels(models, manifests);
        var report = LanguageModelEvaluator.Evaluate(draft.Analyzer, data, threads);
        Log("evaluated");
        return new TrainedModels(models, manifests.Select(m => m with
        {
            HeldOutMetrics = report[m.Name].Metrics,
            HeldOutDetails = report[m.Name].Details,
        }).ToList());
    }

    /// <summary>
    /// The grid the constants above were chosen on, without touching held-out data: 5-fold cross-validation over our own
    /// train split (pain points; sentiment together with XED's validation-fold polarity).
    /// </summary>
    public static void Tune(string language, TrainingOptions options, Action<string> log)
    {
        var data = LanguageDataSet.Load(TrainingDataLocator.Require(options.TrainingDataDirectory), language);
        int threads = Math.Max(1, options.MaxDegreeOfParallelism);
        VBuffer<float>[] Featurize(IEnumerable<string> texts) => AnalysisTrainer.FeaturizeAll(texts, threads, foldDiacritics: true);
        var own = Featurize(data.OwnTrain.Select(t => t.Text).ToList());
        var xed = Featurize(data.XedTrain.Select(l => l.Text).ToList());
        var red = Featurize(data.RedTrain.Select(t => t.Text).ToList());
        var validationPolar = data.XedValidation.Where(l => LanguageDataSet.Polarity(l) != 0).ToList();
        var validation = Featurize(validationPolar.Select(l => l.Text).ToList());
        const int Folds = 5;
        int FoldOf(int i) => i % Folds;

        // The first rows of the three files are parallel (one situation written in each language, SOURCE.md): a fold's
        // held-out situations are kept out of the other languages' rows too, or they would leak through translation.
        var other = Featurize(data.OtherLanguagesOwnTrain.Select(t => t.Text).ToList());
        int perLanguage = data.OtherLanguagesOwnTrain.Count / 2;
        bool OtherInFold(int j, int fold) => j % perLanguage < ParallelTrainRows && FoldOf(j % perLanguage) == fold;

        foreach (float l2 in new[] { 0.003f, PainPointL2, 0.03f })
        foreach (float otherWeight in new[] { 0f, 0.25f, 0.5f })
        {
            int correct = 0;
            for (int fold = 0; fold < Folds; fold++)
            {
                var train = data.OwnTrain.Select((t, i) => (t, i)).Where(r => FoldOf(r.i) != fold)
                    .Select(r => new WeightedExample(own[r.i], PainPointTaxonomy.IndexOf(r.t.Category), 1f)).ToList();
                if (otherWeight > 0)
                {
                    train.AddRange(data.OtherLanguagesOwnTrain.Select((t, j) => (t, j)).Where(r => !OtherInFold(r.j, fold))
                        .Select(r => new WeightedExample(other[r.j], PainPointTaxonomy.IndexOf(r.t.Category), otherWeight)));
                }
                var head = HeadTrainer.TrainMulticlass(train, PainPointTaxonomy.All.Count, options.Seed, PainPointL1, l2);
                var test = Enumerable.Range(0, own.Length).Where(i => FoldOf(i) == fold).ToList();
                var probabilities = HeadTrainer.ClassProbabilities(head, test.Select(i => own[i]).ToList());
                correct += test.Where((i, k) => ArgMax(probabilities[k]) == PainPointTaxonomy.IndexOf(data.OwnTrain[i].Category)).Count();
            }
            log(FormattableString.Invariant($"{language} pain points, L2 {l2}, other languages' own texts weight {otherWeight}: 5-fold accuracy {correct / (double)own.Length:F3}"));
        }

        // Sentiment: how much our own texts weigh against XED's and RED's lines. (Raising neutral and positive after
        // the balancing, ×1.5 and ×2, was tried on this grid too: no better, and XED polarity fell 0.01–0.02.)
        foreach (float ownWeight in new[] { 4f, 8f, 16f, 32f })
        {
            int correct = 0;
            double polarity = 0;
            for (int fold = 0; fold < Folds; fold++)
            {
                var examples = SentimentExamples(data, xed, red,
                    data.OwnTrain.Select((t, i) => (t, i)).Where(r => FoldOf(r.i) != fold).Select(r => (own[r.i], r.t)), ownWeight);
                var head = HeadTrainer.TrainMulticlass(examples, SentimentLabels.All.Count, options.Seed, 0, SentimentL2);
                var test = Enumerable.Range(0, own.Length).Where(i => FoldOf(i) == fold).ToList();
                var probabilities = HeadTrainer.ClassProbabilities(head, test.Select(i => own[i]).ToList());
                correct += test.Where((i, k) => ArgMax(probabilities[k]) == SentimentLabels.IndexOf(data.OwnTrain[i].Sentiment)).Count();
                var polar = HeadTrainer.ClassProbabilities(head, validation);
                polarity += validationPolar.Where((l, k) => polar[k][2] > polar[k][0] == LanguageDataSet.Polarity(l) > 0).Count() / (double)validationPolar.Count;
            }
            log(FormattableString.Invariant(
                $"{language} sentiment, own texts weight {ownWeight}: own 5-fold accuracy {correct / (double)own.Length:F3}, XED validation polarity {polarity / Folds:F3}"));
        }
    }

    /// <summary>
    /// Sentiment examples: XED's polar lines, our own texts and RED, each class-balanced per source, then the classes
    /// balanced again over all sources (XED has no neutral lines: balanced alone it would leave neutral a tenth of the
    /// weight, and the model would hardly ever say neutral).
    /// </summary>
    private static List<WeightedExample> SentimentExamples(LanguageDataSet data, VBuffer<float>[] xed, VBuffer<float>[] red,
        IEnumerable<(VBuffer<float> Features, OwnText Text)> own, float ownWeight)
    {
        var examples = new List<WeightedExample>();
        examples.AddRange(Balanced(data.XedTrain.Select((line, i) => (xed[i], Label: LanguageDataSet.Polarity(line)))
            .Where(r => r.Label != 0).Select(r => (r.Item1, r.Label > 0 ? 2 : 0)), XedSentimentWeight));
        examples.AddRange(Balanced(own.Select(r => (r.Features, SentimentLabels.IndexOf(r.Text.Sentiment))), ownWeight));
        examples.AddRange(Balanced(data.RedTrain.Select((t, i) => (red[i], RedSentiment(t.Label))), RedSentimentWeight));
        return Balanced(examples.Select(e => (e.Features, e.Label)), examples.Select(e => e.Weight).ToList());
    }

    private static int ArgMax(float[] scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static int RedSentiment(string label) => label switch
    {
        "Bucurie" => SentimentLabels.IndexOf(SentimentLabels.Positive),
        "Neutru" => SentimentLabels.IndexOf(SentimentLabels.Neutral),
        _ => SentimentLabels.IndexOf(SentimentLabels.Negative),
    };

    /// <summary>Weights so every class carries the same total weight (<paramref name="weight"/> per example on average).</summary>
    private static List<WeightedExample> Balanced(IEnumerable<(VBuffer<float> Features, int Label)> rows, float weight)
    {
        var list = rows.ToList();
        return Balanced(list, list.Select(_ => weight).ToList());
    }

    private static List<WeightedExample> Balanced(IEnumerable<(VBuffer<float> Features, int Label)> rows, IReadOnlyList<float> weights)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return [];
        }
        var totals = new Dictionary<int, double>();
        for (int i = 0; i < list.Count; i++)
        {
            totals[list[i].Label] = totals.GetValueOrDefault(list[i].Label) + weights[i];
        }
        double perClass = weights.Sum() / totals.Count;
        return list.Select((r, i) => new WeightedExample(r.Features, r.Label, (float)(weights[i] * perClass / totals[r.Label]))).ToList();
    }
}
