using JourneyFeedback.Api.Comparisons;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// Which pain-point themes emerged or spiked (docs/webhooks.md, "Pain points"). The current period is the last
/// Webhooks:PainPointPeriodDays before the refresh, the previous one the same span before it.
/// <list type="bullet">
/// <item><b>Emerged</b>: at least PainPointMinItems items in the current period and none before it.</item>
/// <item><b>Spiked</b>: at least PainPointMinItems items now, and more than before by a one-sided exact binomial test
/// (two Poisson counts over equal spans: given their sum n, the current count is Binomial(n, ½) when the rate did not
/// change), with Holm's correction over every theme of the map that had items in either period.</item>
/// </list>
/// </summary>
internal static class PainPointAlerts
{
    public sealed record ThemeCounts(Guid ThemeId, int Current, int Previous, bool HasOlder);

    public sealed record Alert(Guid ThemeId, string Type, double? PValue);

    public static List<Alert> Find(IReadOnlyList<ThemeCounts> themes, int minItems, double alpha)
    {
        var alerts = new List<Alert>();
        foreach (var t in themes)
            if (t.Current >= minItems && t.Previous == 0 && !t.HasOlder) alerts.Add(new Alert(t.ThemeId, WebhookEventTypes.PainPointEmerged, null));

        var emerged = alerts.Select(a => a.ThemeId).ToHashSet();
        var tested = themes.Where(t => t.Current + t.Previous > 0).ToList();
        var pValues = tested.Select(t => UpperTail(t.Current, t.Current + t.Previous)).ToList();
        var adjusted = ComparisonStatistics.HolmAdjust(pValues);
        // Strongest first, as Holm's step-down meets them.
        foreach (var k in Enumerable.Range(0, tested.Count).OrderBy(k => pValues[k]))
        {
            var t = tested[k];
            if (adjusted[k] <= alpha && t.Current >= minItems && t.Current > t.Previous && !emerged.Contains(t.ThemeId))
                alerts.Add(new Alert(t.ThemeId, WebhookEventTypes.PainPointSpiked, adjusted[k]));
        }
        return alerts;
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, ½): the rate did not change between two equal spans.</summary>
    public static double UpperTail(int k, int n) => Distributions.BinomialUpperTail(k, n, 0.5);
}
