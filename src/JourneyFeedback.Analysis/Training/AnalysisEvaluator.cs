using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Analysis.Serving;

namespace JourneyFeedback.Analysis.Training;

/// <summary>Held-out metrics of one model: headline metrics (used for promotion) and per-label details.</summary>
public sealed record ModelEvaluation(ModelMetrics Metrics, IReadOnlyDictionary<string, double> Details);

/// <summary>
/// Evaluates an analyzer on the fixed held-out data, through the same code path as serving:
/// sentiment on 20% of UCI sentences (binary: positive iff P(positive) > P(negative)), on GoEmotions dev
/// (3 classes via sentiment_dict.json) and on 25% of our own texts; emotions on GoEmotions dev
/// (Ekman groups + neutral macro-F1, per-label F1); pain points on 25% of our own texts.
/// </summary>
public static class AnalysisEvaluator
{
    /// <param name="maxDegreeOfParallelism">Threads used to score the held-out texts; 1 keeps the work on the calling thread.</param>
    public static IReadOnlyDictionary<string, ModelEvaluation> Evaluate(FeedbackAnalyzer analyzer, string? trainingDataDirectory = null, int? maxDegreeOfParallelism = null) =>
        Evaluate(analyzer, TrainingDataSet.Load(TrainingDataLocator.Require(trainingDataDirectory)), maxDegreeOfParallelism ?? Environment.ProcessorCount);

    internal static IReadOnlyDictionary<string, ModelEvaluation> Evaluate(FeedbackAnalyzer analyzer, TrainingDataSet data, int threads)
    {
        // The English data is English: it is read by the English models even where the detector would guess otherwise.
        IReadOnlyList<AnalysisResult> Analyze(IEnumerable<string> texts)
        {
            var list = texts.ToList();
            return analyzer.Analyze(list, Enumerable.Repeat<string?>(ModelNames.English, list.Count).ToList(), threads);
        }
        return new Dictionary<string, ModelEvaluation>
        {
            [ModelNames.Sentiment] = EvaluateSentiment(Analyze, data),
            [ModelNames.Emotions] = EvaluateEmotions(Analyze, data),
            [ModelNames.PainPoints] = EvaluatePainPoints(Analyze, data),
        };
    }

    private static ModelEvaluation EvaluateSentiment(Func<IEnumerable<string>, IReadOnlyList<AnalysisResult>> analyze, TrainingDataSet data)
    {
        var uci = analyze(data.UciHeldOut.Select(r => r.Text));
        double uciAccuracy = Metrics.Accuracy(
            data.UciHeldOut.Select(r => r.Positive).ToList(),
            uci.Select(r => r.Sentiment.Scores.Positive > r.Sentiment.Scores.Negative).ToList());

        var goRows = data.GoEmotionsHeldOut.Select(r => (r.Text, Gold: data.SentimentOf(r))).Where(r => r.Gold is not null).ToList();
        var go = analyze(goRows.Select(r => r.Text));
        var goGold = goRows.Select(r => r.Gold!).ToList();
        var goPredicted = go.Select(r => r.Sentiment.Label).ToList();

        var own = analyze(data.OwnHeldOut.Select(r => r.Text));
        var ownGold = data.OwnHeldOut.Select(r => r.Sentiment).ToList();
        var ownPredicted = own.Select(r => r.Sentiment.Label).ToList();

        var details = new Dictionary<string, double>();
        foreach (var label in SentimentLabels.All)
        {
            var counts = Metrics.Count(goGold.Select(g => g == label).ToList(), goPredicted.Select(p => p == label).ToList());
            details[$"goemotions_dev.{label}.precision"] = counts.Precision;
            details[$"goemotions_dev.{label}.recall"] = counts.Recall;
        }
        details["uci_heldout.rows"] = data.UciHeldOut.Count;
        details["goemotions_dev.rows"] = goRows.Count;
        details["own_heldout.rows"] = data.OwnHeldOut.Count;

        return new ModelEvaluation(new ModelMetrics(new Dictionary<string, double>
        {
            ["uci_binary_accuracy"] = uciAccuracy,
            ["goemotions_dev_accuracy"] = Metrics.Accuracy(goGold, goPredicted),
            ["goemotions_dev_macro_f1"] = Metrics.MacroF1(goGold, goPredicted, SentimentLabels.All),
            ["own_heldout_accuracy"] = Metrics.Accuracy(ownGold, ownPredicted),
        }), details);
    }

    private static ModelEvaluation EvaluateEmotions(Func<IEnumerable<string>, IReadOnlyList<AnalysisResult>> analyze, TrainingDataSet data)
    {
        var rows = data.GoEmotionsHeldOut;
        var results = analyze(rows.Select(r => r.Text));
        var details = new Dictionary<string, double>();

        // Ekman groups + neutral: a comment's gold groups are the groups of its GoEmotions labels.
        var ekmanF1 = new List<double>();
        foreach (var group in Enum.GetValues<EkmanGroup>())
        {
            string name = EmotionLabels.GroupName(group);
            var gold = rows.Select(r => r.Labels.Any(l => EmotionLabels.GoEmotionsToEkman[l] == group)).ToList();
            var predicted = results.Select(r => r.EmotionGroups.Any(g => g.Group == name)).ToList();
            var counts = Metrics.Count(gold, predicted);
            ekmanF1.Add(counts.F1);
            AddCounts(details, "ekman." + name, counts);
        }

        // Our labels: gold when any of the GoEmotions labels they are built from is present.
        var labelF1 = new List<double>();
        foreach (var label in EmotionLabels.All)
        {
            var gold = rows.Select(r => r.Labels.Any(label.GoEmotionsLabels.Contains)).ToList();
            var predicted = results.Select(r => r.Emotions.Any(e => e.Label == label.Name)).ToList();
            var counts = Metrics.Count(gold, predicted);
            labelF1.Add(counts.F1);
            AddCounts(details, "label." + label.Name, counts);
        }
        details["goemotions_dev.rows"] = rows.Count;

        return new ModelEvaluation(new ModelMetrics(new Dictionary<string, double>
        {
            ["ekman_macro_f1"] = ekmanF1.Average(),
            ["label_macro_f1"] = labelF1.Average(),
        }), details);
    }

    private static ModelEvaluation EvaluatePainPoints(Func<IEnumerable<string>, IReadOnlyList<AnalysisResult>> analyze, TrainingDataSet data)
    {
        var rows = data.OwnHeldOut;
        var results = analyze(rows.Select(r => r.Text));
        var gold = rows.Select(r => r.Category).ToList();
        var predicted = results.Select(r => r.PrimaryPainPoint).ToList();
        var details = new Dictionary<string, double>();
        foreach (var category in PainPointTaxonomy.Names)
        {
            AddCounts(details, category, Metrics.Count(gold.Select(g => g == category).ToList(), predicted.Select(p => p == category).ToList()));
        }
        details["own_heldout.rows"] = rows.Count;
        return new ModelEvaluation(new ModelMetrics(new Dictionary<string, double>
        {
            ["own_heldout_accuracy"] = Metrics.Accuracy(gold, predicted),
            ["own_heldout_macro_f1"] = Metrics.MacroF1(gold, predicted, PainPointTaxonomy.Names),
        }), details);
    }

    private static void AddCounts(Dictionary<string, double> details, string prefix, Metrics.BinaryCounts counts)
    {
        details[prefix + ".precision"] = Math.Round(counts.Precision, 4);
        details[prefix + ".recall"] = Math.Round(counts.Recall, 4);
        details[prefix + ".f1"] = Math.Round(counts.F1, 4);
    }
}
