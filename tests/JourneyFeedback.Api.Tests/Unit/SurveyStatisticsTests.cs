using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>Expected values were computed by hand (and checked in a separate Python session), not by this code.</summary>
public sealed class SurveyStatisticsTests
{
    [Fact]
    public void NpsScoreAndMarginMatchAHandComputedCase()
    {
        // 5 promoters, 2 passives, 3 detractors: NPS = 50% − 30% = 20;
        // variance = (0.5 + 0.3 − 0.2²) / 10 = 0.076; margin = 1.96 × √0.076 × 100 = 54.03.
        var nps = SurveyStatistics.Nps([10, 10, 9, 8, 7, 6, 0, 3, 10, 9])!;
        nps.Promoters.Should().Be(5);
        nps.Passives.Should().Be(2);
        nps.Detractors.Should().Be(3);
        nps.PromotersPercent.Should().Be(50);
        nps.DetractorsPercent.Should().Be(30);
        nps.Score.Should().Be(20);
        nps.MarginOfError.Should().Be(54.03);
        nps.Ci95.Should().Be(new Interval(-34.03, 74.03));
        nps.LowSample.Should().BeTrue();
    }

    [Fact]
    public void NpsIntervalIsClampedToTheScaleAndUnanimityHasNoMargin()
    {
        var allPromoters = SurveyStatistics.Nps(Enumerable.Repeat(10, 40).ToList())!;
        allPromoters.Score.Should().Be(100);
        allPromoters.MarginOfError.Should().Be(0);
        allPromoters.LowSample.Should().BeFalse();

        var nearlyAll = SurveyStatistics.Nps([10, 10, 10, 0])!;
        nearlyAll.Ci95.High.Should().Be(100);
    }

    [Fact]
    public void NoResponsesMeansNoScore()
    {
        SurveyStatistics.Nps([]).Should().BeNull();
        SurveyStatistics.Csat([]).Should().BeNull();
        SurveyStatistics.Mean([]).Should().BeNull();
    }

    [Theory]
    [InlineData(30, 100, 30, 21.89, 39.58)]
    [InlineData(3, 4, 75, 30.06, 95.44)]
    [InlineData(2, 5, 40, 11.76, 76.93)]
    public void ProportionUsesTheWilsonInterval(int count, int total, double percent, double low, double high)
    {
        var share = SurveyStatistics.Proportion(count, total);
        share.Percent.Should().Be(percent);
        share.Ci95.Should().Be(new Interval(low, high));
    }

    [Fact]
    public void CsatCountsFoursAndFivesAsSatisfied()
    {
        var csat = SurveyStatistics.Csat([5, 4, 3, 1, 4])!;
        csat.Count.Should().Be(3);
        csat.Total.Should().Be(5);
        csat.Percent.Should().Be(60);
    }

    [Fact]
    public void CesMeanHasAStudentTInterval()
    {
        // mean 5.8, s = √1.7 = 1.304, t(4) = 2.776 → 5.8 ± 1.619
        var ces = SurveyStatistics.Mean([7, 6, 5, 7, 4])!;
        ces.Mean.Should().Be(5.8);
        ces.StandardDeviation.Should().Be(1.304);
        ces.Ci95.Should().Be(new Interval(4.181, 7.419));
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(10, 2.228)]
    [InlineData(30, 2.042)]
    [InlineData(60, 2.000)]
    [InlineData(120, 1.980)]
    public void TCriticalValuesMatchTheTable(int df, double expected) =>
        SurveyStatistics.TCritical95(df).Should().BeApproximately(expected, 0.001);
}
