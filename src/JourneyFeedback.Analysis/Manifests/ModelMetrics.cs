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
    public bool IsNotWorseThan(ModelMetrics other, double tolerance = DefaultTolerance)
    {
        foreach (var (name, otherValue) in other.Values)
        {
            if (!Values.TryGetValue(name, out double value) || value < otherValue - tolerance)
            {
                return false;
            }
        }
        return true;
    }
}
