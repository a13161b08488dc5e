using System.Globalization;
using System.Reflection;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Analysis.Themes;
using JourneyFeedback.Analysis.Training;

// train:    trains all models on TrainingData/ (the copy next to this tool) and writes them to src/JourneyFeedback.Analysis/Models/.
// evaluate: loads the models from that directory and prints held-out metrics.
// matching: text-to-touchpoint accuracy on the labelled sets in samples/matching/ (docs/insights.md, "Measured accuracy");
//           `matching --dev` scores the semantic tier on the dev halves instead (where its settings and threshold were chosen).
// themes [tune]: pain-point theme discovery on BANKING77 by touchpoint (docs/insights.md, "Pain-point themes");
//           tune prints the dev-half grid the defaults were chosen on.
// heads-semantic [--cache DIR] [--go-train N] [--ngrams-only]: held-out metrics of the analysis heads on n-grams, sentence embeddings and
//           both (docs/model-card.md, "Semantic features for the analysis heads"); --cache keeps the embeddings between
//           runs (outside the repository), --go-train samples GoEmotions train.
// language-train [pl,it,ro] [modelDirectory]: the Polish, Italian and Romanian models (Models/<code>/) with held-out metrics
//           (docs/model-card.md, "Polish, Italian, Romanian"); `language-train tune [pl,it,ro]` prints the cross-validation
//           grid their weights were chosen on.
// language-probe DATA [--languages pl,it,ro]: per-language recipes for XED polarity / Ekman groups and RED-ro on DATA/xed and
//           DATA/red-ro (docs/language-probe.md); measurement only, no model is saved.
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
        foreach (var language in analyzer.Languages.Skip(1))
        {
            Console.WriteLine($"== {language}");
            Print(LanguageModelEvaluator.Evaluate(analyzer, language, trainingData));
        }
        return 0;
    case "language-train" when args.Length > 1 && args[1] == "tune":
        foreach (var language in args.Length > 2 ? args[2].Split(',') : ModelNames.OtherLanguages.ToArray())
        {
            LanguageModelTrainer.Tune(language, new TrainingOptions { TrainingDataDirectory = trainingData }, Console.WriteLine);
        }
        return 0;
    case "language-train":
        // language-train [pl,it,ro] [modelDirectory]: each language's models into modelDirectory/<code>/.
        var trainLanguages = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) && !args[1].Contains('/', StringComparison.Ordinal)
            ? args[1].Split(',') : ModelNames.OtherLanguages.ToArray();
        var languageRoot = args.Length > 2 ? args[2] : Path.Combine(repository, "src", "JourneyFeedback.Analysis", "Models");
        foreach (var language in trainLanguages)
        {
            var languageModels = LanguageModelTrainer.Train(language, new TrainingOptions { TrainingDataDirectory = trainingData }, Console.WriteLine);
            languageModels.SaveTo(Path.Combine(languageRoot, language));
            Console.WriteLine($"== {language}: saved to {Path.Combine(languageRoot, language)}");
            Print(languageModels.Manifests.ToDictionary(m => m.Name, m => new ModelEvaluation(m.HeldOutMetrics, m.HeldOutDetails)));
        }
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
    case "themes":
        using (var embedder = new SentenceEmbedder(threads: 2))
        {
            var samplesDirectory = Path.Combine(repository, "samples");
            if (args.Length > 1 && args[1] == "tune")
            {
                ThemeEvaluator.Tune(trainingData, samplesDirectory, embedder, Console.WriteLine);
                return 0;
            }
            var options = new ThemeOptions();
            var themes = ThemeEvaluator.Evaluate(trainingData, samplesDirectory, embedder, options, Console.WriteLine);
            Console.WriteLine(FormattableString.Invariant(
                $"== held-out half, cut {options.MergeCosine:F2}, min {options.MinMembers} members; embedder {themes.EmbedTextsPerSecond:F0} texts/s (2 threads)"));
            Console.WriteLine("  touchpoint                       items themes purity coverage dupNames slugNames words/name nameHome keptIds");
            foreach (var score in themes.Touchpoints.Append(themes.Overall))
                Console.WriteLine(FormattableString.Invariant(
                    $"  {score.Touchpoint,-32} {score.Items,5} {score.Themes,6} {score.Purity,6:F3} {score.Coverage,8:F3} {score.DuplicateNames,8} {score.CategoryNames,9} {score.WordsPerName,10:F1} {score.NamesPointHome,8:F2} {score.KeptIds,7:F2}"));
            // Three touchpoints' names so a reader can judge them ("themes all": every touchpoint).
            string[] shown = ["Card ordering & delivery", "Cash & ATMs", "Transfers"];
            foreach (var score in themes.Touchpoints.Where(s => (args.Length > 1 && args[1] == "all") || shown.Contains(s.Touchpoint)))
            {
                Console.WriteLine($"-- {score.Touchpoint}");
                foreach (var name in score.Names) Console.WriteLine($"     {name}");
            }
            Console.WriteLine(FormattableString.Invariant(
                $"== Find on {themes.Timing.Items} items ({themes.Timing.Themes} themes), one core: {themes.Timing.Find.TotalMilliseconds:F0} ms (grouping {themes.Timing.GroupsOnly.TotalMilliseconds:F0} ms, naming phrases at {themes.Timing.PhrasesPerSecond:F0}/s)"));
        }
        return 0;
    case "heads-semantic":
        using (var embedder = args.Contains("--ngrams-only") ? null : new SentenceEmbedder(threads: 2))
        {
            string? Option(string name) => Array.IndexOf(args, name) is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
            int? goTrainRows = Option("--go-train") is string rows ? int.Parse(rows, CultureInfo.InvariantCulture) : null;
            var heads = SemanticHeadsEvaluator.Evaluate(trainingData, embedder, Option("--cache"), goTrainRows, Environment.ProcessorCount, Console.WriteLine);
            Console.WriteLine($"== held-out metrics by features (GoEmotions train rows: {heads.GoEmotionsTrainRows}; L-BFGS heads as in `train`)");
            Console.WriteLine("  head         metric                      n-grams  embeddings  both");
            foreach (var row in heads.Rows)
                Console.WriteLine(FormattableString.Invariant($"  {row.Head,-12} {row.Metric,-26} {row.NGrams,8:F3} {row.Embeddings,11:F3} {row.Both,6:F3}"));
            Console.WriteLine("== fitting all heads: " + string.Join(", ", heads.TrainSeconds.Select(t => FormattableString.Invariant($"{t.Key} {t.Value:F1}s"))));
            if (heads.EmbeddedTexts > 0)
                Console.WriteLine(FormattableString.Invariant(
                    $"== embedded {heads.EmbeddedTexts} texts in {heads.EmbedSeconds:F0}s: {heads.EmbeddedTexts / heads.EmbedSeconds:F0} texts/s (2 threads)"));
        }
        return 0;
    case "language-probe" when args.Length > 1:
        string[] languages = Array.IndexOf(args, "--languages") is int position and >= 0 && position + 1 < args.Length
            ? args[position + 1].Split(',')
            : ["pl", "it", "ro"];
        return JourneyFeedback.Trainer.LanguageProbe.LanguageProbeRun.Run(args[1], languages, Console.WriteLine);
    default:
        Console.Error.WriteLine("usage: JourneyFeedback.Trainer train|evaluate|matching|themes [tune|all]|heads-semantic [--cache DIR] [--go-train N] [--ngrams-only]|language-train [pl,it,ro] [modelDirectory]|language-train tune [pl,it,ro]|language-probe DATA [--languages pl,it,ro] [modelDirectory]");
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

