namespace JourneyFeedback.Analysis.Manifests;

/// <summary>Held-out metrics of one model, all "higher is better" (accuracy, macro-F1, ...), keyed by name.</summary>
public sealed record ModelMetrics(IReadOnlyDictionary<string, double> Values)
{
    /// <summary>Default slack so retraining noise of a few held-out rows does not block promotion.</summary>
    public const double DefaultTolerance = 0.005;

    /// <summary>
    /// True when every metric the other model reports is also reported here and is at least
    /// as high, within <paramref name="tolerance"/>. Used to promote a retrained model only when it is not worse.
    /// </summary>
    public bool IsNotWorseThan(ModelMetrics other, double tolerance = DefaultTolerance) => RegressionsAgainst(other, tolerance).Count == 0;

    /// <summary>The metrics of <paramref name="baseline"/> that this model misses or scores lower on by more than <paramref name="tolerance"/>.</summary>
    public IReadOnlyList<MetricRegression> RegressionsAgainst(ModelMetrics baseline, double tolerance = DefaultTolerance)
    {
        var regressions = new List<MetricRegression>();
        foreach (var (name, baselineValue) in baseline.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!Values.TryGetValue(name, out double value))
            {
                regressions.Add(new MetricRegression(name, null, baselineValue));
            }
            else if (value < baselineValue - tolerance)
            {
                regressions.Add(new MetricRegression(name, value, baselineValue));
            }
        }
        return regressions;
    }
}

/// <summary>A metric on which a model is worse than its baseline; <see cref="Value"/> is null when the model does not report it.</summary>
public sealed record MetricRegression(string Metric, double? Value, double Baseline);
