namespace JourneyFeedback.Api.Comparisons;

/// <summary>
/// The normal, Student t and binomial distributions the comparisons need, written here because .NET has none and the
/// project takes no maths package for four functions. Formulas and accuracy: docs/insights.md, "Comparing periods and segments".
/// </summary>
internal static class Distributions
{
    private const double Epsilon = 1e-15;
    private const double Tiny = 1e-300;
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Φ(z), the standard normal CDF.</summary>
    public static double NormalCdf(double z) => z >= 0 ? 1 - 0.5 * Erfc(z / Math.Sqrt(2)) : 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>P(|Z| ≥ |z|), computed from the tail so small p-values keep their digits.</summary>
    public static double NormalTwoSidedP(double z) => Math.Min(1, Erfc(Math.Abs(z) / Math.Sqrt(2)));

    /// <summary>
    /// erfc(x), absolute error well under 1e-12: below 2.5 from the all-positive series
    /// erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)); above it from the continued fraction
    /// erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), which converges fast there.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2 - Erfc(-x);
        if (x < 2.5)
        {
            double term = x, sum = x;
            for (var n = 1; term > Epsilon * sum; n++)
            {
                term *= 2 * x * x / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
        }
        if (x > 27) return 0; // e^(−729) is below the smallest double
        // Modified Lentz: the fraction x + a₁/(x + a₂/(x + …)) with a_k = k/2.
        double f = x, c = x, d = 0;
        for (var k = 1; k < 1000; k++)
        {
            var a = k / 2.0;
            d = x + a * d;
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = x + a / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < Epsilon) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>ln Γ(x) for x &gt; 0: Stirling's series after shifting x up to at least 10 (absolute error ≈ 1e-14 there).</summary>
    public static double LogGamma(double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(x);
        // ln Γ(x) = ln Γ(x + k) − ln(x(x+1)…(x+k−1)); the product stays below 10¹⁰.
        var product = 1.0;
        for (; x < 10; x += 1) product *= x;
        var shift = Math.Log(product);
        double inverse = 1 / x, inverse2 = inverse * inverse;
        var series = inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260 - inverse2 * (1.0 / 1680 - inverse2 / 1188))));
        return (x - 0.5) * Math.Log(x) - x + LogSqrt2Pi + series - shift;
    }

    /// <summary>
    /// The regularized incomplete beta I_x(a, b), from its continued fraction (modified Lentz), using
    /// I_x(a, b) = 1 − I_(1−x)(b, a) on the side where the fraction converges slowly. <paramref name="oneMinusX"/> is
    /// passed separately so callers that know it exactly (t²/(ν + t²)) do not lose digits to 1 − x.
    /// </summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x, double oneMinusX)
    {
        if (x <= 0) return 0;
        if (oneMinusX <= 0) return 1;
        var logFront = a * Math.Log(x) + b * Math.Log(oneMinusX) - (LogGamma(a) + LogGamma(b) - LogGamma(a + b));
        if (x < (a + 1) / (a + b + 2)) return Math.Exp(logFront) * BetaFraction(a, b, x) / a;
        return 1 - Math.Exp(logFront) * BetaFraction(b, a, oneMinusX) / b;
    }

    // The fraction 1/(1 + d₁/(1 + d₂/(1 + …))) with d_(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
    // d_(2m) = m(b−m)x / ((a+2m−1)(a+2m)); it needs about √max(a, b) steps.
    private static double BetaFraction(double a, double b, double x)
    {
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var f = d;
        for (var m = 1; m < 100_000; m++)
        {
            var even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + even * d;
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + even / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            f *= c * d;

            var odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + odd * d;
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + odd / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < Epsilon) break;
        }
        return f;
    }

    /// <summary>P(|T| ≥ |t|) for Student's t with ν (any positive real) degrees of freedom: I_(ν/(ν+t²))(ν/2, ½).</summary>
    public static double StudentTTwoSidedP(double t, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (double.IsInfinity(t)) return 0;
        var t2 = t * t;
        return Math.Min(1, RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t2), t2 / (degreesOfFreedom + t2)));
    }

    /// <summary>P(T ≤ t) for Student's t with ν (any positive real) degrees of freedom.</summary>
    public static double StudentTCdf(double t, double degreesOfFreedom)
    {
        var tail = StudentTTwoSidedP(t, degreesOfFreedom) / 2;
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="probability"/>, by bisection on the CDF (to about 1e-12).</summary>
    public static double StudentTQuantile(double probability, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (probability is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(probability), "Must lie strictly between 0 and 1.");
        if (probability < 0.5) return -StudentTQuantile(1 - probability, degreesOfFreedom);
        double low = 0, high = 1;
        while (StudentTCdf(high, degreesOfFreedom) < probability) { low = high; high *= 2; }
        for (var i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            var middle = (low + high) / 2;
            if (StudentTCdf(middle, degreesOfFreedom) < probability) low = middle; else high = middle;
        }
        return (low + high) / 2;
    }

    /// <summary>ln P(X = k) for X ~ Binomial(n, π), 0 &lt; π &lt; 1.</summary>
    public static double BinomialLogPmf(int k, int n, double pi) =>
        LogGamma(n + 1.0) - LogGamma(k + 1.0) - LogGamma(n - k + 1.0) + k * Math.Log(pi) + (n - k) * Math.Log(1 - pi);

    /// <summary>
    /// P(X ≥ k) for X ~ Binomial(n, π). The smaller side is summed and the other taken as its complement, so both tiny
    /// tails and values near 1 keep their digits.
    /// </summary>
    public static double BinomialUpperTail(int k, int n, double pi)
    {
        CheckBinomial(n, pi);
        if (k <= 0) return 1;
        if (k > n) return 0;
        return k > Mode(n, pi) ? SumAwayFromMode(k, n, pi, up: true) : Math.Max(0, 1 - SumAwayFromMode(k - 1, n, pi, up: false));
    }

    /// <summary>
    /// Two-sided exact p-value of observing k: the total probability of every outcome no more likely than k
    /// (P(i) ≤ P(k)·(1 + 1e-7), the tolerance absorbing rounding between outcomes that tie exactly).
    /// </summary>
    public static double BinomialTwoSidedP(int k, int n, double pi)
    {
        CheckBinomial(n, pi);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        var threshold = BinomialLogPmf(k, n, pi) + Math.Log(1 + 1e-7);
        var mode = Mode(n, pi);
        if (BinomialLogPmf(mode, n, pi) <= threshold) return 1;

        // The pmf rises up to the mode and falls after it, so each side holds one run of qualifying outcomes.
        // Lower side: the largest i below the mode with P(i) ≤ threshold (none when P(0) exceeds it).
        int low = 0, high = mode;
        if (BinomialLogPmf(0, n, pi) > threshold) low = -1;
        else
            while (high - low > 1)
            {
                var middle = (low + high) / 2;
                if (BinomialLogPmf(middle, n, pi) <= threshold) low = middle; else high = middle;
            }
        var lowerTail = low >= 0 ? SumAwayFromMode(low, n, pi, up: false) : 0;

        // Upper side: the smallest i above the mode with P(i) ≤ threshold.
        int below = mode, above = n;
        if (BinomialLogPmf(n, n, pi) > threshold) above = n + 1;
        else
            while (above - below > 1)
            {
                var middle = below + (above - below) / 2;
                if (BinomialLogPmf(middle, n, pi) <= threshold) above = middle; else below = middle;
            }
        var upperTail = above <= n ? SumAwayFromMode(above, n, pi, up: true) : 0;
        return Math.Min(1, lowerTail + upperTail);
    }

    /// <summary>
    /// Up to this n every binomial coefficient and its running product stay exact integers in a double, so small tests
    /// are summed term by term from C(n, i)·πⁱ(1 − π)ⁿ⁻ⁱ; at π = ½ the result is then the exact fraction k / 2ⁿ.
    /// </summary>
    private const int ExactLimit = 50;

    private static double SmallPmf(int i, int n, double pi)
    {
        var choose = 1.0;
        for (var j = 0; j < Math.Min(i, n - i); j++) choose = choose * (n - j) / (j + 1);
        return choose * Math.Pow(pi, i) * Math.Pow(1 - pi, n - i);
    }

    private static int Mode(int n, double pi) => Math.Min(n, (int)Math.Floor((n + 1) * pi));

    /// <summary>
    /// P(X ≥ start) (up) or P(X ≤ start) (down), where start is on the far side of the mode so terms only shrink.
    /// Each term comes from the previous one by the ratio P(i±1)/P(i); the pmf is log-concave, so once the current
    /// ratio r makes term·r/(1−r) negligible, everything left is too.
    /// </summary>
    private static double SumAwayFromMode(int start, int n, double pi, bool up)
    {
        if (n <= ExactLimit)
        {
            var total = 0.0;
            for (var i = start; up ? i <= n : i >= 0; i += up ? 1 : -1) total += SmallPmf(i, n, pi);
            return total;
        }
        var term = Math.Exp(BinomialLogPmf(start, n, pi));
        var sum = term;
        var odds = pi / (1 - pi);
        for (var i = start; term > 0 && (up ? i < n : i > 0);)
        {
            var ratio = up ? (n - i) / (i + 1.0) * odds : i / ((n - i + 1.0) * odds);
            i += up ? 1 : -1;
            term *= ratio;
            sum += term;
            if (ratio < 1 && term * ratio / (1 - ratio) < 1e-17 * sum) break;
        }
        return sum;
    }

    private static void CheckBinomial(int n, double pi)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(pi > 0 && pi < 1)) throw new ArgumentOutOfRangeException(nameof(pi), "Must lie strictly between 0 and 1.");
    }
}
