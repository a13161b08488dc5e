using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Analysis.Tests;

/// <summary>Loads the committed models once (copied to the test output) and evaluates them on held-out data.</summary>
public sealed class CommittedModels
{
    public FeedbackAnalyzer Analyzer { get; } = FeedbackAnalyzer.Load();
    public IReadOnlyDictionary<string, ModelEvaluation> Report { get; }

    public CommittedModels() => Report = AnalysisEvaluator.Evaluate(Analyzer);
}

public sealed class QualityFloorTests(CommittedModels models) : IClassFixture<CommittedModels>
{
    [Fact]
    public void BinaryPolarityOnHeldOutUciSentencesIsAtLeast85Percent() =>
        models.Report[ModelNames.Sentiment].Metrics.Values["uci_binary_accuracy"].Should().BeGreaterThanOrEqualTo(0.85);

    [Fact]
    public void GoEmotionsEkmanMacroF1OnDevIsAtLeast50Percent() =>
        models.Report[ModelNames.Emotions].Metrics.Values["ekman_macro_f1"].Should().BeGreaterThanOrEqualTo(0.50);

    [Fact]
    public void PainPointAccuracyOnOwnHeldOutIsAtLeast80Percent() =>
        models.Report[ModelNames.PainPoints].Metrics.Values["own_heldout_accuracy"].Should().BeGreaterThanOrEqualTo(0.80);

    [Fact]
    public void SentimentScoresSumToOne()
    {
        var scores = models.Analyzer.Analyze("The parcel never arrived and nobody answers my emails").Sentiment.Scores;
        (scores.Negative + scores.Neutral + scores.Positive).Should().BeApproximately(1f, 1e-4f);
    }

    [Fact]
    public void ConcurrentAnalyzeGivesSameResultsAsSequential()
    {
        var texts = Enumerable.Range(0, 400).Select(i => $"order {i} arrived late and the refund is still missing, support never replied").ToList();
        texts.AddRange(Enumerable.Range(0, 100).Select(i => $"great app number {i}, thank you"));
        var sequential = texts.Select(t => models.Analyzer.Analyze(t)).ToList();
        var parallel = new AnalysisResult[texts.Count];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = models.Analyzer.Analyze(texts[i]));
        var batch = models.Analyzer.Analyze(texts);
        for (int i = 0; i < texts.Count; i++)
        {
            parallel[i].Sentiment.Should().Be(sequential[i].Sentiment);
            batch[i].PrimaryPainPoint.Should().Be(sequential[i].PrimaryPainPoint);
            batch[i].Sentiment.Should().Be(sequential[i].Sentiment);
        }
    }

    [Fact]
    public void NonEnglishTextIsFlaggedLowConfidence() =>
        models.Analyzer.Analyze("Die Lieferung ist nicht angekommen und ich bin sehr enttäuscht").LowConfidence.Should().BeTrue();
}
