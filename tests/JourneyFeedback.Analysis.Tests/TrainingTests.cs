using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Analysis.Tests;

public sealed class TrainingTests
{
    [Fact]
    public void ExtraExamplesChangePredictions()
    {
        const string Probe = "the zorblax gizmo fell off the shelf";
        var baseOptions = new TrainingOptions { MaxRowsPerSource = 150, Version = "test" };
        var without = AnalysisTrainer.Train(baseOptions);
        var extra = Enumerable.Range(0, 30).Select(i => new PainPointExample($"zorblax gizmo {i} fell off", "refunds-returns")).ToList();
        var weak = Enumerable.Range(0, 12).Select(i => new SentimentExample($"review number {i}", i % 2 == 0 ? "positive" : "negative")).ToList();
        // One thread, as the API retrains in the background.
        var with = AnalysisTrainer.Train(baseOptions with { ExtraPainPoints = extra, ExtraExampleWeight = 3f, WeakSentiment = weak, MaxDegreeOfParallelism = 1 });

        var before = without.Analyzer.Analyze(Probe).PainPoints.FirstOrDefault(p => p.Category == "refunds-returns")?.Score ?? 0;
        var after = with.Analyzer.Analyze(Probe);
        after.PrimaryPainPoint.Should().Be("refunds-returns");
        after.PainPoints.First(p => p.Category == "refunds-returns").Score.Should().BeGreaterThan(before);
        with.Manifest("painpoints").TrainingData.Should().Contain("30 extra examples");
        with.Manifest("sentiment").TrainingData.Should().Contain("12 weak labels (weight 0.5)");
    }

    [Fact]
    public void SavedModelsLoadAndPredictLikeInMemoryModels()
    {
        var trained = AnalysisTrainer.Train(new TrainingOptions { MaxRowsPerSource = 100, Version = "roundtrip" });
        var directory = Path.Combine(Path.GetTempPath(), "jf-models-" + Guid.NewGuid().ToString("N"));
        trained.SaveTo(directory);
        try
        {
            var loaded = Serving.FeedbackAnalyzer.Load(directory);
            const string Text = "I was charged twice for my order";
            loaded.Analyze(Text).Sentiment.Should().Be(trained.Analyzer.Analyze(Text).Sentiment);
            loaded.Manifests.Select(m => m.Version).Should().AllBe("roundtrip");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TheTrainingDataIsNextToTheAppUnlessAnotherFolderIsConfigured()
    {
        TrainingDataLocator.Find().Should().Be(Path.Combine(AppContext.BaseDirectory, "TrainingData"));
        File.Exists(Path.Combine(TrainingDataLocator.Find()!, "goemotions", "SOURCE.md")).Should().BeTrue("the attributions travel with the data");

        TrainingDataLocator.Find("TrainingData", relativeTo: AppContext.BaseDirectory).Should().Be(TrainingDataLocator.DefaultDirectory);
        TrainingDataLocator.Find("TrainingData", relativeTo: Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).Should().BeNull("a configured folder replaces the default, it does not fall back to it");
        var missing = () => TrainingDataLocator.Require("/nonexistent/training-data");
        missing.Should().Throw<DirectoryNotFoundException>().WithMessage("*/nonexistent/training-data*");
    }
}
