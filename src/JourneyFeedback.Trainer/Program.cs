using System.Globalization;
using System.Reflection;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Analysis.Training;

// train:    trains all models on TrainingData/ (the copy next to this tool) and writes them to src/JourneyFeedback.Analysis/Models/.
// evaluate: loads the models from that directory and prints held-out metrics.
// matching: text-to-touchpoint accuracy on the labelled sets in samples/matching/ (docs/insights.md, "Measured accuracy");
//           `matching --dev` scores the semantic tier on the dev halves instead (where its settings and threshold were chosen).
string command = args.Length > 0 ? args[0] : "";
string repository = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
string trainingData = TrainingDataLocator.Require();
string modelDirectory = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : Path.Combine(repository, "src", "JourneyFeedback.Analysis", "Models");

switch (command)
{
    case "train":
        var trained = AnalysisTrainer.Train(new TrainingOptions { TrainingDataDirectory = trainingData }, Console.WriteLine);
        trained.SaveTo(modelDirectory);
        Console.WriteLine($"Saved to {modelDirectory}");
        Print(trained.Manifests.ToDictionary(m => m.Name, m => new ModelEvaluation(m.HeldOutMetrics, m.HeldOutDetails)));
        return 0;
    case "evaluate":
        var analyzer = FeedbackAnalyzer.Load(modelDirectory);
        Print(AnalysisEvaluator.Evaluate(analyzer, trainingData));
        return 0;
    case "matching":
        var samples = Path.Combine(repository, "samples");
        foreach (var (map, labelled) in new[] { ("ecommerce-journey", "ecommerce-labelled"), ("retail-banking-journey", "banking-labelled"), ("saas-journey", "saas-labelled") })
        {
            var report = MatchingEvaluator.Evaluate(Path.Combine(samples, "maps", map + ".json"), Path.Combine(samples, "matching", labelled + ".tsv"));
            Console.WriteLine($"== {report.Map} ({report.Touchpoints} touchpoints)");
            foreach (var (protocol, score) in new[] { ("map only", report.ZeroShot), ("+2 examples each", report.TwoExamplesEach), ("5-fold", report.FiveFold) })
                Console.WriteLine(FormattableString.Invariant(
                    $"  {protocol,-18} texts {score.Texts,4}  accuracy {score.Accuracy:F3}  macro {score.MacroAccuracy:F3}  coverage {score.Coverage:F3}  precision {score.PrecisionAboveThreshold:F3}"));
        }
        SemanticMatching.Run(samples, dev: args.Contains("--dev"));
        return 0;
    default:
        Console.Error.WriteLine("usage: JourneyFeedback.Trainer train|evaluate|matching [modelDirectory]");
        return 2;
}

static void Print(IReadOnlyDictionary<string, ModelEvaluation> report)
{
    foreach (var (model, evaluation) in report)
    {
        Console.WriteLine($"== {model}");
        foreach (var (name, value) in evaluation.Metrics.Values)
        {
            Console.WriteLine($"  {name,-28} {value.ToString("F4", CultureInfo.InvariantCulture)}");
        }
        foreach (var (name, value) in evaluation.Details)
        {
            Console.WriteLine($"    {name,-40} {value.ToString("F4", CultureInfo.InvariantCulture)}");
        }
    }
}

