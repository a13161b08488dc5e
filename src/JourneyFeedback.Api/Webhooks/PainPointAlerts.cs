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
        var tested = themes.Where(t => t.Current + t.Previous > 0)
            .Select(t => (Theme: t, P: UpperTail(t.Current, t.Current + t.Previous)))
            .OrderBy(x => x.P).ToList();
        // Holm step-down: the k-th smallest p-value (from 0) is compared with alpha / (m - k); stop at the first that fails.
        var running = 0.0;
        for (var k = 0; k < tested.Count; k++)
        {
            var adjusted = Math.Min(1, Math.Max(running, tested[k].P * (tested.Count - k)));
            running = adjusted;
            if (adjusted > alpha) break;
            var t = tested[k].Theme;
            if (t.Current >= minItems && t.Current > t.Previous && !emerged.Contains(t.ThemeId))
                alerts.Add(new Alert(t.ThemeId, WebhookEventTypes.PainPointSpiked, adjusted));
        }
        return alerts;
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, ½), summed in log space (exact for any n a map holds).</summary>
    public static double UpperTail(int k, int n)
    {
        if (k <= 0) return 1;
        if (k > n) return 0;
        var logHalfN = -n * Math.Log(2);
        var sum = 0.0;
        var logChoose = LogChoose(n, k);
        for (var i = k; i <= n; i++)
        {
            sum += Math.Exp(logChoose + logHalfN);
            logChoose += Math.Log(n - i) - Math.Log(i + 1); // C(n, i+1) from C(n, i)
        }
        return Math.Min(1, sum);
    }

    private static double LogChoose(int n, int k)
    {
        var result = 0.0;
        k = Math.Min(k, n - k);
        for (var i = 1; i <= k; i++) result += Math.Log(n - k + i) - Math.Log(i);
        return result;
    }
}
