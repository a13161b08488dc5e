using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Analysis.Serving;

namespace JourneyFeedback.Analysis.Training;

/// <summary>
/// Held-out metrics of one language's models, through the serving path with the language given (as an import's language
/// column would): sentiment on XED held-out polar lines (positive iff P(positive) &gt; P(negative)) and on our own
/// held-out customer texts (three classes); emotions as Ekman-group macro-F1 on XED held-out lines and, for Romanian,
/// five-class accuracy on RED v1 val.csv; pain points on our own held-out texts.
/// </summary>
public static class LanguageModelEvaluator
{
    public static IReadOnlyDictionary<string, ModelEvaluation> Evaluate(FeedbackAnalyzer analyzer, string language, string? trainingDataDirectory = null,
        int? maxDegreeOfParallelism = null) =>
        Evaluate(analyzer, LanguageDataSet.Load(TrainingDataLocator.Require(trainingDataDirectory), language), maxDegreeOfParallelism ?? Environment.ProcessorCount);

    internal static IReadOnlyDictionary<string, ModelEvaluation> Evaluate(FeedbackAnalyzer analyzer, LanguageDataSet data, int threads)
    {
        IReadOnlyList<AnalysisResult> Analyze(IEnumerable<string> texts)
        {
            var list = texts.ToList();
            return analyzer.Analyze(list, Enumerable.Repeat<string?>(data.Language, list.Count).ToList(), threads);
        }
        var xed = Analyze(data.XedHeldOut.Select(l => l.Text));
        var own = Analyze(data.OwnHeldOut.Select(t => t.Text));
        return new Dictionary<string, ModelEvaluation>
        {
            [ModelNames.Sentiment] = Sentiment(data, xed, own),
            [ModelNames.Emotions] = Emotions(data, xed, Analyze(data.RedHeldOut.Select(t => t.Text))),
            [ModelNames.PainPoints] = PainPoints(data, own),
        };
    }

    /// <summary>RED's five classes from the Ekman groups: the strongest of joy/anger/fear/sadness that passes its threshold, else Neutru.</summary>
    public static string RedClass(AnalysisResult result)
    {
        foreach (var group in result.EmotionGroups)
        {
            foreach (var (red, ekman) in LanguageDataSet.RedToEkman)
            {
                if (ekman != EkmanGroup.Neutral && EmotionLabels.GroupName(ekman) == group.Group)
                {
                    return red;
                }
            }
        }
        return "Neutru";
    }

    private static ModelEvaluation Sentiment(LanguageDataSet data, IReadOnlyList<AnalysisResult> xed, IReadOnlyList<AnalysisResult> own)
    {
        var polar = data.XedHeldOut.Select((line, i) => (Polarity: LanguageDataSet.Polarity(line), Result: xed[i])).Where(r => r.Polarity != 0).ToList();
        var ownGold = data.OwnHeldOut.Select(t => t.Sentiment).ToList();
        var ownPredicted = own.Select(r => r.Sentiment.Label).ToList();
        var details = new Dictionary<string, double>
        {
            ["xed_heldout.polar_rows"] = polar.Count,
            ["own_heldout.rows"] = ownGold.Count,
            ["xed_heldout_polar_predicted_neutral"] = polar.Count(r => r.Result.Sentiment.Label == SentimentLabels.Neutral) / (double)Math.Max(1, polar.Count),
        };
        foreach (var label in SentimentLabels.All)
        {
            var counts = Metrics.Count(ownGold.Select(g => g == label).ToList(), ownPredicted.Select(p => p == label).ToList());
            details[$"own_heldout.{label}.precision"] = Math.Round(counts.Precision, 4);
            details[$"own_heldout.{label}.recall"] = Math.Round(counts.Recall, 4);
        }
        return new ModelEvaluation(new ModelMetrics(new Dictionary<string, double>
        {
            ["xed_heldout_polarity_accuracy"] = Metrics.Accuracy(
                polar.Select(r => r.Polarity > 0).ToList(),
                polar.Select(r => r.Result.Sentiment.Scores.Positive > r.Result.Sentiment.Scores.Negative).ToList()),
            ["own_heldout_accuracy"] = Metrics.Accuracy(ownGold, ownPredicted),
            ["own_heldout_macro_f1"] = Metrics.MacroF1(ownGold, ownPredicted, SentimentLabels.All),
        }), details);
    }

    private static ModelEvaluation Emotions(LanguageDataSet data, IReadOnlyList<AnalysisResult> xed, IReadOnlyList<AnalysisResult> red)
    {
        var details = new Dictionary<string, double> { ["xed_heldout.rows"] = data.XedHeldOut.Count };
        var f1 = new List<double>();
        foreach (var group in EmotionLabels.ModelledGroups)
        {
            string name = EmotionLabels.GroupName(group);
            var counts = Metrics.Count(
                data.XedHeldOut.Select(l => LanguageDataSet.InGroup(l, group)).ToList(),
                xed.Select(r => r.EmotionGroups.Any(g => g.Group == name)).ToList());
            f1.Add(counts.F1);
            details[$"ekman.{name}.precision"] = Math.Round(counts.Precision, 4);
            details[$"ekman.{name}.recall"] = Math.Round(counts.Recall, 4);
            details[$"ekman.{name}.f1"] = Math.Round(counts.F1, 4);
        }
        var metrics = new Dictionary<string, double> { ["xed_heldout_ekman_macro_f1"] = f1.Average() };
        if (data.RedHeldOut.Count > 0)
        {
            metrics["red_val_accuracy"] = Metrics.Accuracy(data.RedHeldOut.Select(t => t.Label).ToList(), red.Select(RedClass).ToList());
            details["red_val.rows"] = data.RedHeldOut.Count;
        }
        return new ModelEvaluation(new ModelMetrics(metrics), details);
    }

    private static ModelEvaluation PainPoints(LanguageDataSet data, IReadOnlyList<AnalysisResult> own)
    {
        var gold = data.OwnHeldOut.Select(t => t.Category).ToList();
        var predicted = own.Select(r => r.PrimaryPainPoint).ToList();
        var details = new Dictionary<string, double> { ["own_heldout.rows"] = gold.Count };
        foreach (var category in PainPointTaxonomy.Names)
        {
            var counts = Metrics.Count(gold.Select(g => g == category).ToList(), predicted.Select(p => p == category).ToList());
            details[category + ".f1"] = Math.Round(counts.F1, 4);
        }
        return new ModelEvaluation(new ModelMetrics(new Dictionary<string, double>
        {
            ["own_heldout_accuracy"] = Metrics.Accuracy(gold, predicted),
            ["own_heldout_macro_f1"] = Metrics.MacroF1(gold, predicted, PainPointTaxonomy.Names),
        }), details);
    }
}
