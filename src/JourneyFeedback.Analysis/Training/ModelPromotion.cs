using System.Globalization;
using JourneyFeedback.Analysis.Manifests;

namespace JourneyFeedback.Analysis.Training;

/// <summary>The outcome of comparing a retrained version with the one in use; <see cref="Reason"/> is meant for people.</summary>
public sealed record PromotionDecision(bool Promote, string Reason, IReadOnlyList<ModelRegression> Regressions);

public sealed record ModelRegression(string Model, MetricRegression Regression);

/// <summary>
/// The promotion rule for retrained models: a version is promoted only when each of its models is not worse than the
/// model in use on every held-out metric that model reports, within a tolerance (<see cref="ModelMetrics.IsNotWorseThan"/>).
/// The three models are trained together and promoted together, so serving never mixes versions.
/// </summary>
public static class ModelPromotion
{
    public static PromotionDecision Decide(
        IReadOnlyDictionary<string, ModelMetrics> candidate, IReadOnlyDictionary<string, ModelMetrics> current, double tolerance = ModelMetrics.DefaultTolerance)
    {
        var regressions = new List<ModelRegression>();
        foreach (var (model, currentMetrics) in current.OrderBy(m => ModelOrder(m.Key)))
        {
            if (!candidate.TryGetValue(model, out var candidateMetrics))
            {
                regressions.AddRange(currentMetrics.Values.Keys.Order(StringComparer.Ordinal)
                    .Select(metric => new ModelRegression(model, new MetricRegression(metric, null, currentMetrics.Values[metric]))));
                continue;
            }
            regressions.AddRange(candidateMetrics.RegressionsAgainst(currentMetrics, tolerance).Select(r => new ModelRegression(model, r)));
        }

        string slack = Format(tolerance);
        if (regressions.Count == 0)
        {
            return new PromotionDecision(true,
                $"Not worse than the version in use on any held-out metric of {string.Join(", ", current.Keys.OrderBy(ModelOrder))} (tolerance {slack}).", []);
        }
        var worse = regressions.Select(r => r.Regression.Value is { } value
            ? $"{r.Model}.{r.Regression.Metric} {Format(value)} < {Format(r.Regression.Baseline)}"
            : $"{r.Model}.{r.Regression.Metric} missing (in use: {Format(r.Regression.Baseline)})");
        return new PromotionDecision(false, $"Worse than the version in use on held-out data (tolerance {slack}): {string.Join("; ", worse)}.", regressions);
    }

    /// <summary>Reasons list models in the usual order (sentiment, emotions, pain points), unknown names last.</summary>
    private static int ModelOrder(string model)
    {
        int index = 0;
        foreach (string name in ModelNames.All)
        {
            if (name == model)
            {
                return index;
            }
            index++;
        }
        return index;
    }

    private static string Format(double value) => value.ToString("0.000#", CultureInfo.InvariantCulture);
}
