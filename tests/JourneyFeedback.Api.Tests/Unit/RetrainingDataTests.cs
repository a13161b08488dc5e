using JourneyFeedback.Api.AnalysisModels;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class RetrainingDataTests
{
    [Theory]
    [InlineData(0, "negative")]
    [InlineData(6, "negative")]
    [InlineData(7, "neutral")]
    [InlineData(8, "neutral")]
    [InlineData(9, "positive")]
    [InlineData(10, "positive")]
    public void NpsAnswersUseTheNpsBands(double score, string expected) =>
        RetrainingData.WeakLabel(score, 10, "nps").Should().Be((expected, WeakLabelSource.Nps));

    [Theory]
    [InlineData(1, 5, null, "negative")]
    [InlineData(3, 5, null, "neutral")]
    [InlineData(4, 5, null, "positive")]
    [InlineData(4, 10, null, "negative")]
    [InlineData(7, 10, null, "positive")]
    [InlineData(50, 100, null, "neutral")]
    [InlineData(2, 5, "csat", "negative")]
    [InlineData(5, 7, "ces", "positive")]
    public void RatingsUseTheirScale(double rating, double scale, string? surveyType, string expected) =>
        RetrainingData.WeakLabel(rating, scale, surveyType).Should().Be((expected, WeakLabelSource.Rating));

    [Theory]
    [InlineData(0.0, 5.0, null)]
    [InlineData(6.0, 5.0, null)]
    [InlineData(3.0, null, null)]
    [InlineData(7.5, 10.0, "nps")]
    [InlineData(11.0, 10.0, "nps")]
    [InlineData(3.0, 5.0, "attribution")]
    [InlineData(double.NaN, 5.0, null)]
    public void ScoresOffTheirScaleGiveNoLabel(double rating, double? scale, string? surveyType) =>
        RetrainingData.WeakLabel(rating, scale, surveyType).Should().BeNull();

    [Fact]
    public void CorrectedEmotionsKeepKnownLabelsAndNeutralMeansNone()
    {
        RetrainingData.EmotionLabelsOf("""[{"label":"anger","group":"anger","score":1},{"label":"gratitude","group":"joy","score":1}]""")
            .Should().Equal("anger", "gratitude");
        RetrainingData.EmotionLabelsOf("""[{"label":"neutral","group":"neutral","score":1}]""").Should().BeEmpty();
        RetrainingData.EmotionLabelsOf("""[{"label":"rage"}]""").Should().BeEmpty();
        RetrainingData.EmotionLabelsOf("not json").Should().BeEmpty();
    }
}
