using JourneyFeedback.Api.Comparisons;
using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// Expected values come from hand arithmetic (shown), published worked examples, or an independent Python session
/// (stdlib only: exact fractions for binomial sums, Simpson integration of the t density, math.erfc) — never from
/// this code.
/// </summary>
public sealed class ComparisonStatisticsTests
{
    // ---- NPS difference ----

    [Fact]
    public void NpsDifferenceWhoseIntervalExcludesZeroIsSignificant()
    {
        // Current: 40 answers, 20 promoters, 8 detractors → p = .5, d = .2, NPS = 30, v₁ = (.7 − .3²)/40 = .61/40 = .01525.
        // Previous: 50 answers, 15 promoters, 20 detractors → p = .3, d = .4, NPS = −10, v₂ = (.7 − .1²)/50 = .69/50 = .0138.
        // diff = 40; se = 100·√.02905 = 17.04406; CI = 40 ± 1.959964·17.04406 = (6.5943, 73.4057);
        // z = 40/17.04406 = 2.34686 → two-sided p = 0.018932.
        var change = ComparisonStatistics.Nps(new NpsCounts(40, 20, 8), new NpsCounts(50, 15, 20))!;
        change.Current.Should().BeApproximately(30, 1e-9);
        change.Previous.Should().BeApproximately(-10, 1e-9);
        change.Difference.Should().BeApproximately(40, 1e-9);
        change.Ci95!.Low.Should().BeApproximately(6.5943, 1e-4);
        change.Ci95.High.Should().BeApproximately(73.4057, 1e-4);
        change.PValue!.Value.Should().BeApproximately(0.018932, 1e-6);
        change.Significant.Should().BeTrue();
        change.TooSmall.Should().BeFalse();
        change.Test.Should().Be("nps-difference");
    }

    [Fact]
    public void NpsDifferenceWhoseIntervalIncludesZeroIsNotSignificant()
    {
        // Current: 35 answers, 14 promoters, 7 detractors → NPS = 40 − 20 = 20, v₁ = (.6 − .2²)/35 = .016.
        // Previous: 30 answers, 10 promoters, 8 detractors → NPS = 33.33 − 26.67 = 6.667, v₂ = (.6 − (1/15)²)/30 = .0198519.
        // diff = 13.333; se = 100·√.0358519 = 18.93459; CI = 13.333 ± 37.1111 = (−23.7778, 50.4444); p = 0.48132.
        var change = ComparisonStatistics.Nps(new NpsCounts(35, 14, 7), new NpsCounts(30, 10, 8))!;
        change.Difference.Should().BeApproximately(13.3333, 1e-4);
        change.Ci95!.Low.Should().BeApproximately(-23.7778, 1e-4);
        change.Ci95.High.Should().BeApproximately(50.4444, 1e-4);
        change.PValue!.Value.Should().BeApproximately(0.48132, 1e-5);
        change.Significant.Should().BeFalse();
        change.TooSmall.Should().BeFalse("30 answers is exactly the threshold");
    }

    [Fact]
    public void NpsDifferenceOnTooFewAnswersIsReportedButNeverSignificant()
    {
        // 10 answers each: NPS 90 (v = (.9 − .81)/10 = .009) against −50 (v = (.7 − .25)/10 = .045).
        // diff = 140; se = 100·√.054 = 23.2379; CI = 140 ± 45.5455 = (94.4545, 185.5455): excludes 0, yet 10 < 30.
        var change = ComparisonStatistics.Nps(new NpsCounts(10, 9, 0), new NpsCounts(10, 1, 6))!;
        change.Difference.Should().BeApproximately(140, 1e-9);
        change.Ci95!.Low.Should().BeApproximately(94.4545, 1e-4);
        change.Ci95.High.Should().BeApproximately(185.5455, 1e-4);
        change.TooSmall.Should().BeTrue();
        change.Significant.Should().BeFalse();
    }

    [Fact]
    public void NpsIntervalIsClampedToTheScaleOfADifference()
    {
        // All 30 promoters against 30 with one passive and 29 detractors: diff = 100 + 96.67 = 196.67, and the margin
        // (100·1.96·√(0 + (29/30 − (29/30)²)/30) = 6.42) would pass 200.
        var change = ComparisonStatistics.Nps(new NpsCounts(30, 30, 0), new NpsCounts(30, 0, 29))!;
        change.Difference.Should().BeApproximately(196.6667, 1e-4);
        change.Ci95!.High.Should().Be(200);
        change.Significant.Should().BeTrue();
    }

    // ---- Proportions: Newcombe interval and pooled z-test ----

    [Theory]
    // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score without continuity correction).
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    public void NewcombeIntervalMatchesThePublishedExamples(int k1, int n1, int k2, int n2, double low, double high)
    {
        var interval = ComparisonStatistics.NewcombeInterval(k1, n1, k2, n2);
        interval.Low.Should().BeApproximately(low, 0.00005);
        interval.High.Should().BeApproximately(high, 0.00005);
    }

    [Fact]
    public void ProportionChangeIsInPercentagePointsWithThePooledZTest()
    {
        // 56/70 = 80% against 48/80 = 60%: 20 points; Newcombe (5.24, 33.39) as above.
        // Pooled p = 104/150 = .69333; se = √(.69333·.30667·(1/70 + 1/80)) = .075467; z = .2/.075467 = 2.65017 → p = 0.0080451.
        var change = ComparisonStatistics.Proportion(56, 70, 48, 80)!;
        change.Current.Should().BeApproximately(80, 1e-9);
        change.Previous.Should().BeApproximately(60, 1e-9);
        change.Difference.Should().BeApproximately(20, 1e-9);
        change.Ci95!.Low.Should().BeApproximately(5.24, 0.005);
        change.Ci95.High.Should().BeApproximately(33.39, 0.005);
        change.PValue!.Value.Should().BeApproximately(0.0080451, 1e-7);
        change.Significant.Should().BeTrue();
        change.TooSmall.Should().BeFalse();
        change.Test.Should().Be("two-proportion-z");
    }

    [Fact]
    public void ProportionChangeWithinNoiseIsNotSignificant()
    {
        // 20/40 = 50% against 18/45 = 40%: pooled 38/85 = .44706, se = .10805, z = 0.92556 → p = 0.35467;
        // Newcombe (−10.75, 29.68) points.
        var change = ComparisonStatistics.Proportion(20, 40, 18, 45)!;
        change.Difference.Should().BeApproximately(10, 1e-9);
        change.Ci95!.Low.Should().BeApproximately(-10.7534, 1e-4);
        change.Ci95.High.Should().BeApproximately(29.6827, 1e-4);
        change.PValue!.Value.Should().BeApproximately(0.354674, 1e-6);
        change.Significant.Should().BeFalse();
    }

    [Fact]
    public void ProportionOnTenAnswersIsTooSmallEvenWhenTheTestRejects()
    {
        // 9/10 against 3/10: z = .6/√(.6·.4·.2) = 2.73861 → p = 0.0061699, yet 10 < 30.
        var change = ComparisonStatistics.Proportion(9, 10, 3, 10)!;
        change.PValue!.Value.Should().BeApproximately(0.0061699, 1e-7);
        change.TooSmall.Should().BeTrue();
        change.Significant.Should().BeFalse();
    }

    [Fact]
    public void SharesThatCannotDifferHaveAPValueOfOne()
    {
        // 0/40 against 0/50: the pooled share is 0, there is no spread and no difference.
        var change = ComparisonStatistics.Proportion(0, 40, 0, 50)!;
        change.Difference.Should().Be(0);
        change.PValue.Should().Be(1);
        change.Significant.Should().BeFalse();
    }

    // ---- Means: Welch ----

    [Fact]
    public void WelchMatchesTheTextbookExample()
    {
        // Welch's t-test, Wikipedia "Examples", first pair (15 + 15 values): t = −2.46, df = 25.0, p = 0.021.
        // Python: mean −2.16667, t = −2.455356, df = 24.98853, p = 0.0213780, CI (−3.98410, −0.34924).
        double[] a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
        MeanSample current = Summary(a1), previous = Summary(a2);

        ComparisonStatistics.WelchDegreesOfFreedom(current, previous).Should().BeApproximately(24.98853, 1e-5);
        var change = ComparisonStatistics.Means(current, previous)!;
        change.Difference.Should().BeApproximately(-2.16667, 1e-5);
        change.PValue!.Value.Should().BeApproximately(0.0213780, 1e-7);
        change.Ci95!.Low.Should().BeApproximately(-3.98410, 1e-5);
        change.Ci95.High.Should().BeApproximately(-0.34924, 1e-5);
        change.TooSmall.Should().BeTrue("15 scores a side");
        change.Significant.Should().BeFalse();
        change.Test.Should().Be("welch-t");
    }

    [Fact]
    public void WelchWithUnequalSizesAndSpreadsMatchesTheTextbook()
    {
        // Wikipedia's second pair (10 against 20 values): t = −1.57, df = 9.9, p = 0.149.
        double[] a1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
        double[] a2 = [21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8];
        ComparisonStatistics.WelchDegreesOfFreedom(Summary(a1), Summary(a2)).Should().BeApproximately(9.90474, 1e-5);
        var change = ComparisonStatistics.Means(Summary(a1), Summary(a2))!;
        change.PValue!.Value.Should().BeApproximately(0.148842, 1e-6);
        change.Ci95!.Low.Should().BeApproximately(-3.69842, 1e-5);
        change.Ci95.High.Should().BeApproximately(0.64842, 1e-5);
    }

    [Fact]
    public void WelchOnLargeEnoughSamplesDecidesByItsPValue()
    {
        // 60 scores, mean 4.1, sd 0.9 against 45, mean 3.6, sd 1.2:
        // v₁ = .81/60 = .0135, v₂ = 1.44/45 = .032, se = √.0455 = .213307, t = .5/.213307 = 2.34404;
        // df = .0455² / (.0135²/59 + .032²/44) = 78.5325; t₀.₉₇₅(78.53) = 1.990634 → CI (0.07538, 0.92462); p = 0.021605.
        var significant = ComparisonStatistics.Means(new MeanSample(60, 4.1, 0.9), new MeanSample(45, 3.6, 1.2))!;
        significant.PValue!.Value.Should().BeApproximately(0.021605, 1e-6);
        significant.Ci95!.Low.Should().BeApproximately(0.07538, 1e-5);
        significant.Ci95.High.Should().BeApproximately(0.92462, 1e-5);
        significant.Significant.Should().BeTrue();

        // 40, 3.2, 1.1 against 50, 2.7, 1.3: t = 1.97565 on df = 87.699 → p = 0.051338, CI (−0.00297, 1.00297).
        var borderline = ComparisonStatistics.Means(new MeanSample(40, 3.2, 1.1), new MeanSample(50, 2.7, 1.3))!;
        borderline.PValue!.Value.Should().BeApproximately(0.051338, 1e-6);
        borderline.Ci95!.Low.Should().BeApproximately(-0.00297, 1e-5);
        borderline.Significant.Should().BeFalse("p just above 0.05 and the interval just includes 0");
    }

    [Fact]
    public void WelchUsesTheQuantileAtANonIntegerDegreesOfFreedom()
    {
        // 2 scores (mean 4, sd 1) against 35 (mean 3, sd .5): v₁ = 1/2, v₂ = .25/35 = .0071429, se = √.5071429 = .712140;
        // df = .5071429² / (.5²/1 + .0071429²/34) = 1.02877; t₀.₉₇₅(1.02877) = 11.89654 → CI = 1 ± 8.47199; p = 0.389220.
        var change = ComparisonStatistics.Means(new MeanSample(2, 4.0, 1.0), new MeanSample(35, 3.0, 0.5))!;
        change.Ci95!.Low.Should().BeApproximately(-7.47199, 1e-4);
        change.Ci95.High.Should().BeApproximately(9.47199, 1e-4);
        change.PValue!.Value.Should().BeApproximately(0.389220, 1e-5);
    }

    [Fact]
    public void WelchWithoutSpreadOrWithOneScoreIsHandled()
    {
        var single = ComparisonStatistics.Means(new MeanSample(1, 4, 0), new MeanSample(40, 3, 1))!;
        single.Difference.Should().Be(1);
        single.Ci95.Should().BeNull("one score has no spread to test with");
        single.PValue.Should().BeNull();
        single.Significant.Should().BeFalse();

        var same = ComparisonStatistics.Means(new MeanSample(40, 5, 0), new MeanSample(40, 5, 0))!;
        same.PValue.Should().Be(1);
        same.Ci95.Should().Be(new Interval(0, 0));
        same.Significant.Should().BeFalse();
    }

    // ---- Distributions ----

    [Theory]
    // Independent Python: Simpson integration of the t density (200,000 panels).
    [InlineData(2.0, 10, 0.0733880347707454)]
    [InlineData(1.5, 4.5, 0.2002190856561498)]
    [InlineData(0.7, 2.3, 0.5480072210646558)]
    [InlineData(2.455356398286010, 24.98852929023142, 0.02137800146286173)]
    [InlineData(0.0, 7, 1.0)]
    public void StudentTTwoSidedPMatchesNumericIntegration(double t, double df, double expected) =>
        Distributions.StudentTTwoSidedP(t, df).Should().BeApproximately(expected, 1e-10);

    [Fact]
    public void StudentTCdfIsExactForOneDegreeOfFreedom()
    {
        // df = 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π.
        foreach (var t in new[] { -30.0, -3, -0.5, 0, 0.2, 1, 3, 100 })
            Distributions.StudentTCdf(t, 1).Should().BeApproximately(0.5 + Math.Atan(t) / Math.PI, 1e-12);
        // df = 2 has F(t) = ½ + t / (2√(2 + t²)).
        foreach (var t in new[] { -4.0, -1, 0.3, 2, 9 })
            Distributions.StudentTCdf(t, 2).Should().BeApproximately(0.5 + t / (2 * Math.Sqrt(2 + t * t)), 1e-12);
    }

    [Theory]
    [InlineData(10, 2.228138851986313)]
    [InlineData(4.5, 2.658912347204325)]
    [InlineData(2.5, 3.5746548420037385)]
    [InlineData(24.5, 2.06167187934746)]
    [InlineData(200, 1.9718962236338151)]
    public void StudentTQuantileMatchesBisectionOnTheIntegratedDensity(double df, double expected) =>
        Distributions.StudentTQuantile(0.975, df).Should().BeApproximately(expected, 1e-8);

    [Fact]
    public void StudentTQuantileAgreesWithTheSurveyTableAndIsSymmetric()
    {
        Distributions.StudentTQuantile(0.975, 1).Should().BeApproximately(Math.Tan(Math.PI * 0.475), 1e-9, "the Cauchy quantile");
        // The table is rounded to 3 decimals up to df = 30, its series is within 0.001 beyond.
        for (var df = 1; df <= 60; df++)
            Distributions.StudentTQuantile(0.975, df).Should().BeApproximately(SurveyStatistics.TCritical95(df), df <= 30 ? 0.0005 : 0.001, $"df = {df}");
        Distributions.StudentTQuantile(0.025, 6.3).Should().BeApproximately(-Distributions.StudentTQuantile(0.975, 6.3), 1e-12);
        Distributions.StudentTCdf(Distributions.StudentTQuantile(0.9, 3.7), 3.7).Should().BeApproximately(0.9, 1e-11);
    }

    [Theory]
    // Python math.erfc: Φ(z) = ½·erfc(−z/√2).
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 0.6914624612740131)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(2.5, 0.9937903346742238)]
    [InlineData(3.0, 0.9986501019683699)]
    [InlineData(5.0, 0.9999997133484281)]
    [InlineData(-1.2, 0.1150696702217083)]
    public void NormalCdfMatchesTheReferenceErfc(double z, double expected) =>
        Distributions.NormalCdf(z).Should().BeApproximately(expected, 1e-13);

    [Fact]
    public void NormalTailsKeepTheirRelativePrecision()
    {
        Distributions.NormalTwoSidedP(5).Should().BeApproximately(5.733031437583892e-07, 1e-19);
        Distributions.NormalTwoSidedP(-3).Should().BeApproximately(0.0026997960632601913, 1e-15);
        Distributions.Erfc(6).Should().BeApproximately(2.1519736712498913e-17, 1e-28, "Python math.erfc(6)");
    }

    [Fact]
    public void ExactBinomialTwoSidedPMatchesHandSums()
    {
        // c = 8, p = 2, π = ½: P(X ≥ 8) = (45 + 10 + 1)/1024 = 56/1024; doubled by symmetry: 112/1024 = 0.109375.
        Distributions.BinomialTwoSidedP(8, 10, 0.5).Should().Be(112.0 / 1024);
        // π = 1/3, n = 4: P(0..4) = (16, 32, 24, 8, 1)/81. Observed 0 (16/81): outcomes no more likely are 0, 3, 4 → 25/81.
        Distributions.BinomialTwoSidedP(0, 4, 1.0 / 3).Should().BeApproximately(25.0 / 81, 1e-14);
        // Observed 2 (24/81): 0, 2, 3, 4 → 49/81. Observed 1 is the mode: p = 1.
        Distributions.BinomialTwoSidedP(2, 4, 1.0 / 3).Should().BeApproximately(49.0 / 81, 1e-14);
        Distributions.BinomialTwoSidedP(1, 4, 1.0 / 3).Should().Be(1);
        // Ties at π = ½ (5 of 10 is the mode; 4 of 9 ties with 5 of 9).
        Distributions.BinomialTwoSidedP(5, 10, 0.5).Should().Be(1);
        Distributions.BinomialTwoSidedP(4, 9, 0.5).Should().Be(1);
    }

    [Theory]
    // Python with exact fractions: sum of C(n, i)πⁱ(1 − π)ⁿ⁻ⁱ over outcomes with P(i) ≤ P(c)·(1 + 1e-7).
    [InlineData(80, 200, 0.6, 1.7693388200776368e-08)]
    [InlineData(140, 200, 0.6, 0.0038150463110888364)]
    [InlineData(600, 1000, 0.5, 2.7284641560660184e-10)]
    [InlineData(2600, 5000, 0.5, 0.004883649737517518)]
    public void ExactBinomialTwoSidedPStaysExactForLargeCounts(int k, int n, double pi, double expected) =>
        Distributions.BinomialTwoSidedP(k, n, pi).Should().BeApproximately(expected, expected * 1e-9);

    [Fact]
    public void BinomialUpperTailWorksAtAnyShare()
    {
        Distributions.BinomialUpperTail(135, 200, 0.6).Should().BeApproximately(0.017307341051347923, 1e-14);
        Distributions.BinomialUpperTail(110, 200, 0.6).Should().BeApproximately(0.9345098682915692, 1e-14);
        Distributions.BinomialUpperTail(3, 4, 1.0 / 3).Should().BeApproximately(9.0 / 81, 1e-15);
    }

    // ---- Theme counts ----

    [Fact]
    public void HolmAdjustedValuesAreMonotoneCappedAndInInputOrder()
    {
        // Sorted: .005·4 = .02, .01·3 = .03, .03·2 = .06, .04·1 = .04 → raised to .06.
        ComparisonStatistics.HolmAdjust([0.01, 0.04, 0.03, 0.005]).Should().Equal(
            [0.03, 0.06, 0.06, 0.02], (a, b) => Math.Abs(a - b) < 1e-15);
        // Sorted: .2·4 = .8, .5·3 = 1.5 → 1, .6·2 = 1.2 → 1, .9 → max(1, .9) = 1.
        ComparisonStatistics.HolmAdjust([0.5, 0.6, 0.2, 0.9]).Should().Equal([1.0, 1.0, 0.8, 1.0], (a, b) => Math.Abs(a - b) < 1e-15);
        ComparisonStatistics.HolmAdjust([]).Should().BeEmpty();
    }

    [Fact]
    public void ThemeCountsAreTestedAgainstTheChangeInVolumeAndCorrectedForEveryTheme()
    {
        // 300 items now, 200 before: with an unchanged share a theme's current count is Binomial(n, π = 0.6).
        // Raw two-sided p (Python, exact fractions): (30, 12) 0.156507, (5, 15) 0.00213557, (40, 25) 0.899403, (20, 14) 1.
        // Holm over 4 tests: .00213557·4 = .0085423, .156507·3 = .469520, .899403·2 → 1, 1 → 1.
        var results = ComparisonStatistics.Counts([(30, 12), (5, 15), (40, 25), (20, 14), (0, 0)], 300, 200)!;
        results.Select(r => r.PValue).Should().Equal([0.156507, 0.00213557, 0.899403, 1, 1], (a, b) => Math.Abs(a - b) < 1e-6);
        results.Select(r => r.AdjustedPValue).Should().Equal([0.469520, 0.0085423, 1, 1, 1], (a, b) => Math.Abs(a - b) < 1e-6);
        results.Select(r => r.Significant).Should().Equal(false, true, false, false, false);

        results[1].CurrentShare.Should().BeApproximately(100.0 * 5 / 300, 1e-12);
        results[1].PreviousShare.Should().BeApproximately(7.5, 1e-12);
        results[3].PValue.Should().Be(1, "20 of 34 is 58.8%, as close to 60% as a count of 34 gets");
        results[4].TooSmall.Should().BeTrue("a theme with no items in either period is no test");
    }

    [Fact]
    public void AThemeWithFewerThanTenItemsIsTooSmallButStillCountsAsATest()
    {
        // (0, 9) at π = ½: p = 2/512 = 0.0039 alone; with one more theme (5, 5, p = 1) Holm gives .0078 — still under
        // 0.05, yet 9 items are too few to conclude. (0, 10): 2/1024 → .0039 after Holm, and 10 items are enough.
        var results = ComparisonStatistics.Counts([(0, 9), (5, 5)], 100, 100)!;
        results[0].PValue.Should().Be(2.0 / 512);
        results[0].AdjustedPValue.Should().Be(4.0 / 512);
        results[0].TooSmall.Should().BeTrue();
        results[0].Significant.Should().BeFalse();

        var enough = ComparisonStatistics.Counts([(0, 10), (5, 5)], 100, 100)!;
        enough[0].AdjustedPValue.Should().Be(4.0 / 1024);
        enough[0].TooSmall.Should().BeFalse();
        enough[0].Significant.Should().BeTrue();
    }

    [Fact]
    public void TheSignificanceLevelOfThemeCountsCanBeChosen()
    {
        // 8 against 2 at π = ½: p = 0.109375 (above). Significant at 0.15, not at the default 0.05.
        ComparisonStatistics.Counts([(8, 2)], 50, 50)![0].Significant.Should().BeFalse();
        ComparisonStatistics.Counts([(8, 2)], 50, 50, alpha: 0.15)![0].Significant.Should().BeTrue();
    }

    // ---- Empty sides and bad input ----

    [Fact]
    public void AnEmptySideGivesNoComparison()
    {
        ComparisonStatistics.Nps(new NpsCounts(0, 0, 0), new NpsCounts(40, 10, 10)).Should().BeNull();
        ComparisonStatistics.Nps(new NpsCounts(40, 10, 10), new NpsCounts(0, 0, 0)).Should().BeNull();
        ComparisonStatistics.Proportion(0, 0, 5, 40).Should().BeNull();
        ComparisonStatistics.Proportion(5, 40, 0, 0).Should().BeNull();
        ComparisonStatistics.Means(new MeanSample(0, 0, 0), new MeanSample(40, 3, 1)).Should().BeNull();
        ComparisonStatistics.Means(new MeanSample(40, 3, 1), new MeanSample(0, 0, 0)).Should().BeNull();
        ComparisonStatistics.Counts([(0, 3)], 0, 10).Should().BeNull();
        ComparisonStatistics.Counts([(3, 0)], 10, 0).Should().BeNull();
    }

    [Fact]
    public void ImpossibleCountsAreRejected()
    {
        FluentActions.Invoking(() => ComparisonStatistics.Proportion(41, 40, 5, 40)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ComparisonStatistics.Nps(new NpsCounts(10, 6, 5), new NpsCounts(10, 1, 1)))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ComparisonStatistics.Counts([(11, 0)], 10, 10)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ComparisonStatistics.Means(new MeanSample(5, 1, -1), new MeanSample(5, 1, 1)))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    private static MeanSample Summary(double[] scores)
    {
        var mean = scores.Average();
        return new MeanSample(scores.Length, mean, Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Length - 1)));
    }
}
