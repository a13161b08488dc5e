namespace JourneyFeedback.Api.Surveys;

/// <summary>A 95% interval.</summary>
public sealed record Interval(double Low, double High);

public sealed record NpsStats(
    int Responses, int Promoters, int Passives, int Detractors,
    double PromotersPercent, double PassivesPercent, double DetractorsPercent,
    double Score, double MarginOfError, Interval Ci95, bool LowSample);

public sealed record ProportionStats(int Count, int Total, double Percent, Interval Ci95, bool LowSample);

public sealed record MeanStats(int Responses, double Mean, double StandardDeviation, Interval Ci95, bool LowSample);

/// <summary>
/// Survey maths, kept pure so it can be checked against hand-computed cases. Formulas: docs/surveys.md ("Formulas").
/// </summary>
public static class SurveyStatistics
{
    internal const double Z95 = 1.959963984540054;

    /// <summary>
    /// NPS = %promoters − %detractors. Each answer is +1 (9–10), 0 (7–8) or −1 (0–6); the score is 100 × their mean,
    /// so its variance is (p + d − (p − d)²) / n and the 95% margin is 1.96 × 100 × √variance.
    /// </summary>
    public static NpsStats? Nps(IReadOnlyCollection<int> scores)
    {
        var n = scores.Count;
        if (n == 0) return null;
        var promoters = scores.Count(s => s >= 9);
        var detractors = scores.Count(s => s <= 6);
        var passives = n - promoters - detractors;
        double p = (double)promoters / n, d = (double)detractors / n;
        var score = 100 * (p - d);
        var margin = 100 * Z95 * Math.Sqrt(Math.Max(0, p + d - (p - d) * (p - d)) / n);
        return new NpsStats(n, promoters, passives, detractors,
            Round(100 * p), Round(100.0 * passives / n), Round(100 * d),
            Round(score), Round(margin),
            new Interval(Round(Math.Max(-100, score - margin)), Round(Math.Min(100, score + margin))),
            n < SurveyRules.LowSampleThreshold);
    }

    /// <summary>A share with its Wilson score interval, which stays inside 0–100% and behaves at small n.</summary>
    public static ProportionStats Proportion(int count, int total)
    {
        if (total == 0) return new ProportionStats(0, 0, 0, new Interval(0, 0), LowSample: true);
        var wilson = WilsonInterval(count, total);
        return new ProportionStats(count, total, Round(100 * ((double)count / total)),
            new Interval(Round(100 * wilson.Low), Round(100 * wilson.High)),
            total < SurveyRules.LowSampleThreshold);
    }

    /// <summary>The 95% Wilson score interval of count / total as fractions, unrounded (total &gt; 0).</summary>
    internal static Interval WilsonInterval(int count, int total)
    {
        var p = (double)count / total;
        var z2 = Z95 * Z95;
        var denominator = 1 + z2 / total;
        var centre = (p + z2 / (2 * total)) / denominator;
        var half = Z95 * Math.Sqrt(p * (1 - p) / total + z2 / (4.0 * total * total)) / denominator;
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>CSAT: share of 4–5 answers on a 1–5 scale.</summary>
    public static ProportionStats? Csat(IReadOnlyCollection<int> scores) =>
        scores.Count == 0 ? null : Proportion(scores.Count(s => s >= 4), scores.Count);

    /// <summary>CES: mean with a Student-t interval (sample standard deviation).</summary>
    public static MeanStats? Mean(IReadOnlyCollection<int> scores)
    {
        var n = scores.Count;
        if (n == 0) return null;
        var mean = scores.Average();
        var sd = n > 1 ? Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (n - 1)) : 0;
        var half = n > 1 ? TCritical95(n - 1) * sd / Math.Sqrt(n) : 0;
        return new MeanStats(n, Round(mean, 3), Round(sd, 3), new Interval(Round(mean - half, 3), Round(mean + half, 3)),
            n < SurveyRules.LowSampleThreshold);
    }

    /// <summary>Two-sided 95% critical value of Student's t; exact table to 30 degrees of freedom, then a close series.</summary>
    public static double TCritical95(int degreesOfFreedom)
    {
        ReadOnlySpan<double> table =
        [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ];
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= table.Length) return table[degreesOfFreedom - 1];
        // Cornish–Fisher expansion around the normal quantile; error < 0.001 for df > 30.
        double z = Z95, v = degreesOfFreedom;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.Pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
    }

    private static double Round(double value, int digits = 2) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
