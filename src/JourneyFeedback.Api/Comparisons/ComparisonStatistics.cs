using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Comparisons;

/// <summary>NPS answers of one period or segment, counted.</summary>
internal sealed record NpsCounts(int Responses, int Promoters, int Detractors);

/// <summary>Summary of one sample of scores: size, mean and sample standard deviation (n − 1 denominator).</summary>
internal sealed record MeanSample(int N, double Mean, double Sd);

/// <summary>
/// Current against previous (or segment a against segment b). Difference = Current − Previous in the measure's unit:
/// NPS points, percentage points, or the scale of the mean. Ci95 and PValue are null only when the data cannot give
/// them (a side with a single score). Significant is never true when TooSmall.
/// </summary>
public sealed record Change(double Current, double Previous, double Difference, Interval? Ci95, double? PValue,
    bool Significant, bool TooSmall, string Test);

/// <summary>One theme's counts in the two periods; shares are percent of that period's items.</summary>
public sealed record CountChange(int Current, int Previous, double CurrentShare, double PreviousShare,
    double PValue, double AdjustedPValue, bool Significant, bool TooSmall);

/// <summary>
/// Is a change real or noise? Pure functions over counts and summaries; every formula is in docs/insights.md ("Comparing periods and segments"),
/// "Statistics". Values are unrounded: callers round for display.
/// </summary>
internal static class ComparisonStatistics
{
    public const string NpsTest = "nps-difference";
    public const string ProportionTest = "two-proportion-z";
    public const string MeansTest = "welch-t";
    public const string CountsTest = "exact-binomial";

    /// <summary>Below this many items in both periods together a theme's count change is not judged.</summary>
    public const int MinThemeItems = 10;

    private const double Z95 = SurveyStatistics.Z95;

    /// <summary>
    /// NPS difference in points (−200..200). Each answer is +1/0/−1 and NPS is 100 × their mean, so a period's variance
    /// is (p + d − (p − d)²)/n and the two add: CI = diff ± 1.96 · 100 · √(v₁ + v₂); z = diff / (100 · √(v₁ + v₂)).
    /// </summary>
    public static Change? Nps(NpsCounts current, NpsCounts previous)
    {
        CheckNps(current);
        CheckNps(previous);
        if (current.Responses == 0 || previous.Responses == 0) return null;
        var (scoreNow, varianceNow) = NpsScoreAndVariance(current);
        var (scoreBefore, varianceBefore) = NpsScoreAndVariance(previous);
        var difference = scoreNow - scoreBefore;
        var se = 100 * Math.Sqrt(varianceNow + varianceBefore);
        var ci = new Interval(Math.Max(-200, difference - Z95 * se), Math.Min(200, difference + Z95 * se));
        var tooSmall = current.Responses < SurveyRules.LowSampleThreshold || previous.Responses < SurveyRules.LowSampleThreshold;
        return new Change(scoreNow, scoreBefore, difference, ci, ZTestP(difference, se),
            !tooSmall && (ci.Low > 0 || ci.High < 0), tooSmall, NpsTest);
    }

    /// <summary>
    /// Difference of two shares in percentage points. CI: Newcombe's hybrid score interval (his method 10) built from
    /// each share's Wilson interval; p: the pooled two-proportion z-test, two-sided, which also decides Significant.
    /// </summary>
    public static Change? Proportion(int kCurrent, int nCurrent, int kPrevious, int nPrevious)
    {
        CheckShare(kCurrent, nCurrent);
        CheckShare(kPrevious, nPrevious);
        if (nCurrent == 0 || nPrevious == 0) return null;
        double p1 = (double)kCurrent / nCurrent, p2 = (double)kPrevious / nPrevious;
        var difference = p1 - p2;
        var ci = NewcombeInterval(kCurrent, nCurrent, kPrevious, nPrevious);

        var pooled = (double)(kCurrent + kPrevious) / (nCurrent + nPrevious);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / nCurrent + 1.0 / nPrevious));
        var p = ZTestP(difference, se);
        var tooSmall = nCurrent < SurveyRules.LowSampleThreshold || nPrevious < SurveyRules.LowSampleThreshold;
        return new Change(100 * p1, 100 * p2, 100 * difference, new Interval(100 * ci.Low, 100 * ci.High), p,
            !tooSmall && p < 0.05, tooSmall, ProportionTest);
    }

    /// <summary>
    /// Newcombe's hybrid score interval for p₁ − p₂, as fractions: with Wilson intervals (l₁, u₁) and (l₂, u₂),
    /// low = d − √((p₁ − l₁)² + (u₂ − p₂)²), high = d + √((u₁ − p₁)² + (p₂ − l₂)²).
    /// </summary>
    public static Interval NewcombeInterval(int kCurrent, int nCurrent, int kPrevious, int nPrevious)
    {
        double p1 = (double)kCurrent / nCurrent, p2 = (double)kPrevious / nPrevious;
        var one = SurveyStatistics.WilsonInterval(kCurrent, nCurrent);
        var two = SurveyStatistics.WilsonInterval(kPrevious, nPrevious);
        var difference = p1 - p2;
        return new Interval(
            difference - Math.Sqrt(Square(p1 - one.Low) + Square(two.High - p2)),
            difference + Math.Sqrt(Square(one.High - p1) + Square(p2 - two.Low)));
    }

    /// <summary>
    /// Difference of two means by Welch's t-test (no equal-variance assumption): t = diff / √(s₁²/n₁ + s₂²/n₂) on the
    /// Welch–Satterthwaite degrees of freedom; CI = diff ± t₀.₉₇₅(df) · se. A side with one score has no spread to
    /// test with: the numbers come back without interval or p-value.
    /// </summary>
    public static Change? Means(MeanSample current, MeanSample previous)
    {
        CheckMean(current);
        CheckMean(previous);
        if (current.N == 0 || previous.N == 0) return null;
        var difference = current.Mean - previous.Mean;
        var tooSmall = current.N < SurveyRules.LowSampleThreshold || previous.N < SurveyRules.LowSampleThreshold;
        if (current.N < 2 || previous.N < 2)
            return new Change(current.Mean, previous.Mean, difference, null, null, false, tooSmall, MeansTest);

        var se = Math.Sqrt(Square(current.Sd) / current.N + Square(previous.Sd) / previous.N);
        Interval ci;
        double p;
        if (se == 0)
        {
            // Every score equal within each side: the difference is exact.
            ci = new Interval(difference, difference);
            p = difference == 0 ? 1 : 0;
        }
        else
        {
            var df = WelchDegreesOfFreedom(current, previous);
            var half = Distributions.StudentTQuantile(0.975, df) * se;
            ci = new Interval(difference - half, difference + half);
            p = Distributions.StudentTTwoSidedP(difference / se, df);
        }
        return new Change(current.Mean, previous.Mean, difference, ci, p, !tooSmall && p < 0.05, tooSmall, MeansTest);
    }

    /// <summary>Welch–Satterthwaite: (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1)) with vᵢ = sᵢ²/nᵢ; both n ≥ 2, some spread.</summary>
    public static double WelchDegreesOfFreedom(MeanSample current, MeanSample previous)
    {
        double v1 = Square(current.Sd) / current.N, v2 = Square(previous.Sd) / previous.N;
        return Square(v1 + v2) / (Square(v1) / (current.N - 1) + Square(v2) / (previous.N - 1));
    }

    /// <summary>
    /// Did each theme's count change beyond what the change in item volume explains? Given a theme's n = c + p items
    /// over both periods, c ~ Binomial(n, π) with π = totalCurrent / (totalCurrent + totalPrevious) when the theme's
    /// share of items did not change. Two-sided exact test (outcomes no more likely than c), then Holm's correction over
    /// every theme with items in either period. Themes with none get p = 1 and are not counted as tests.
    /// Null when either period has no items.
    /// </summary>
    public static IReadOnlyList<CountChange>? Counts(IReadOnlyList<(int Current, int Previous)> counts, int totalCurrent, int totalPrevious,
        double alpha = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalCurrent);
        ArgumentOutOfRangeException.ThrowIfNegative(totalPrevious);
        foreach (var (current, previous) in counts)
        {
            CheckShare(current, totalCurrent);
            CheckShare(previous, totalPrevious);
        }
        if (totalCurrent == 0 || totalPrevious == 0) return null;

        var pi = (double)totalCurrent / (totalCurrent + totalPrevious);
        var tested = Enumerable.Range(0, counts.Count).Where(i => counts[i].Current + counts[i].Previous > 0).ToList();
        var raw = tested.Select(i => Distributions.BinomialTwoSidedP(counts[i].Current, counts[i].Current + counts[i].Previous, pi)).ToList();
        var adjusted = HolmAdjust(raw);
        var results = new CountChange[counts.Count];
        for (var i = 0; i < counts.Count; i++)
        {
            var (current, previous) = counts[i];
            results[i] = new CountChange(current, previous, 100.0 * current / totalCurrent, 100.0 * previous / totalPrevious,
                1, 1, false, TooSmall: true);
        }
        for (var j = 0; j < tested.Count; j++)
        {
            var i = tested[j];
            var tooSmall = counts[i].Current + counts[i].Previous < MinThemeItems;
            results[i] = results[i] with
            {
                PValue = raw[j], AdjustedPValue = adjusted[j], Significant = !tooSmall && adjusted[j] <= alpha, TooSmall = tooSmall,
            };
        }
        return results;
    }

    /// <summary>
    /// Holm's step-down adjusted p-values, in the input's order: sorted ascending, the k-th (from 0) of m becomes
    /// min(1, max over j ≤ k of (m − j) · p₍ⱼ₎). Rejecting where adjusted ≤ α is Holm's procedure at level α.
    /// </summary>
    public static IReadOnlyList<double> HolmAdjust(IReadOnlyList<double> pValues)
    {
        var order = Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ToList();
        var adjusted = new double[pValues.Count];
        var running = 0.0;
        for (var k = 0; k < order.Count; k++)
        {
            running = Math.Min(1, Math.Max(running, (order.Count - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }

    private static (double Score, double Variance) NpsScoreAndVariance(NpsCounts counts)
    {
        double p = (double)counts.Promoters / counts.Responses, d = (double)counts.Detractors / counts.Responses;
        return (100 * (p - d), Math.Max(0, p + d - Square(p - d)) / counts.Responses);
    }

    // Two-sided normal p-value of diff/se; with no spread at all the difference is either exactly 0 or certain.
    private static double ZTestP(double difference, double se) =>
        se > 0 ? Distributions.NormalTwoSidedP(difference / se) : difference == 0 ? 1 : 0;

    private static double Square(double x) => x * x;

    private static void CheckNps(NpsCounts counts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(counts.Promoters);
        ArgumentOutOfRangeException.ThrowIfNegative(counts.Detractors);
        if (counts.Promoters + counts.Detractors > counts.Responses)
            throw new ArgumentOutOfRangeException(nameof(counts), "Promoters and detractors exceed the responses.");
    }

    private static void CheckShare(int count, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, total);
    }

    private static void CheckMean(MeanSample sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample.N);
        if (!(sample.Sd >= 0)) throw new ArgumentOutOfRangeException(nameof(sample), "The standard deviation must be 0 or more.");
    }
}
