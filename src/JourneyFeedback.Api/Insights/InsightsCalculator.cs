using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Insights;

/// <summary>Sums over one group of items (a touchpoint, a stage, the map).</summary>
internal sealed class ItemTotals
{
    public int Items, Analysed, Negative, Neutral, Positive, LowConfidence, Scored;
    public readonly int[] Emotions = new int[EmotionLabels.All.Count + 1];
    public double ValenceSum, ValenceSquares;

    public void Add(MapEvidence e, int i)
    {
        Items++;
        if (!e.IsAnalysed(i)) return;
        if (e.LowConfidence[i]) { LowConfidence++; return; }
        Analysed++;
        switch (e.Sentiment[i])
        {
            case MapEvidence.Negative: Negative++; break;
            case MapEvidence.Neutral: Neutral++; break;
            default: Positive++; break;
        }
        var valence = e.Valence(i);
        Scored++;
        ValenceSum += valence;
        ValenceSquares += valence * valence;
        for (var mask = (uint)e.Emotions[i]; mask != 0; mask &= mask - 1) Emotions[System.Numerics.BitOperations.TrailingZeroCount(mask)]++;
    }

    public void AddTo(ItemTotals other)
    {
        other.Items += Items; other.Analysed += Analysed; other.Negative += Negative; other.Neutral += Neutral;
        other.Positive += Positive; other.LowConfidence += LowConfidence; other.Scored += Scored;
        other.ValenceSum += ValenceSum; other.ValenceSquares += ValenceSquares;
        for (var b = 0; b < Emotions.Length; b++) other.Emotions[b] += Emotions[b];
    }

    public SentimentMix Sentiment() => new(Analysed, Negative, Neutral, Positive,
        Percent(Negative, Analysed), Percent(Neutral, Analysed), Percent(Positive, Analysed), LowConfidence);

    public IReadOnlyList<EmotionShare> EmotionMix(int take = int.MaxValue) => InsightsCalculator.Shares(Emotions, Analysed, take);

    /// <summary>Mean valence with a 95% t interval (clamped to −1..+1); null without analysed items.</summary>
    public EmotionScore? EmotionScore() => InsightsCalculator.Valence(Scored, ValenceSum, ValenceSquares);

    private static double Percent(int count, int total) => total == 0 ? 0 : Math.Round(100.0 * count / total, 2);
}

/// <summary>A pain-point theme being counted: a theme found by meaning, or one pain-point category on one touchpoint.</summary>
internal sealed class ThemeTotals(short touchpoint, sbyte category, int key)
{
    public short Touchpoint { get; } = touchpoint;
    public sbyte Category { get; } = category;
    /// <summary><see cref="MapEvidence.Theme"/>'s key.</summary>
    public int Key { get; } = key;
    public int Count;
    public double NegativitySum;
    public readonly int[] Emotions = new int[EmotionLabels.All.Count + 1];
    public long FirstTicks = long.MaxValue, LastTicks = long.MinValue;
    public int Recent, Previous;
}

/// <summary>
/// Insights arithmetic over a <see cref="MapEvidence"/>: pure, so the maths (valence intervals, theme grouping,
/// severity) is unit-tested without a database. Formulas: docs/insights.md.
/// </summary>
internal static class InsightsCalculator
{
    public static readonly TimeSpan TrendWindow = TimeSpan.FromDays(30);

    public sealed record Result(
        ItemTotals Map, ItemTotals[] Touchpoints, int Unassigned, int Pending, List<ThemeTotals> Themes);

    public static Result Compute(MapEvidence e, EvidenceSelection selection)
    {
        var touchpoints = new ItemTotals[e.TouchpointIds.Length];
        for (var t = 0; t < touchpoints.Length; t++) touchpoints[t] = new ItemTotals();
        var map = new ItemTotals();
        var themes = new ThemeTotals?[e.ThemeKeys];
        var inSegment = selection.Segment?.Compile(e);
        int unassigned = 0, pending = 0;

        // One tight pass over the selected slice of the arrays: this loop is the cost of an insights request.
        var (start, end) = e.Range(selection.From, selection.To);
        for (var i = start; i < end; i++)
        {
            if (inSegment is not null && !inSegment(i)) continue;
            var t = e.Touchpoint[i];
            if (t < 0)
            {
                if (t == MapEvidence.Pending) pending++; else unassigned++;
                map.Add(e, i);
                continue;
            }
            touchpoints[t].Add(e, i);
            var key = e.Theme[i];
            if (key < 0) continue;
            var theme = themes[key] ??= new ThemeTotals(t, e.StoredThemeOf(key) is { Category: >= 0 } stored ? stored.Category : e.PainPoint[i], key);
            theme.Count++;
            theme.NegativitySum += e.NegativeScore[i];
            for (var mask = (uint)e.Emotions[i]; mask != 0; mask &= mask - 1) theme.Emotions[System.Numerics.BitOperations.TrailingZeroCount(mask)]++;
            var ticks = e.OccurredTicks[i];
            if (ticks < theme.FirstTicks) theme.FirstTicks = ticks;
            if (ticks > theme.LastTicks) theme.LastTicks = ticks;
        }
        foreach (var t in touchpoints) t.AddTo(map);
        var found = themes.Where(t => t is not null).Select(t => t!).ToList();

        // Trend: the last 30 days of the selection against the 30 days before (these may reach before From).
        if (found.Count > 0)
        {
            var endTicks = selection.To?.Ticks ?? (e.OccurredTicks[start] + 1);
            var (recentStart, recentEnd) = e.Range(new DateTime(endTicks - TrendWindow.Ticks), new DateTime(endTicks));
            var (previousStart, previousEnd) = e.Range(new DateTime(endTicks - 2 * TrendWindow.Ticks), new DateTime(endTicks - TrendWindow.Ticks));
            CountWindow(recentStart, recentEnd, recent: true);
            CountWindow(previousStart, previousEnd, recent: false);
        }
        return new Result(map, touchpoints, unassigned, pending, found);

        void CountWindow(int from, int to, bool recent)
        {
            for (var i = from; i < to; i++)
            {
                if (e.Theme[i] < 0 || (inSegment is not null && !inSegment(i))) continue;
                if (themes[e.Theme[i]] is not { } theme) continue;
                if (recent) theme.Recent++; else theme.Previous++;
            }
        }
    }

    /// <summary>A pain point: a confidently analysed negative item whose main complaint has a category.</summary>
    public static bool IsPainPoint(MapEvidence e, int i, int noneCategory) =>
        e.Sentiment[i] == MapEvidence.Negative && !e.LowConfidence[i] && e.PainPoint[i] >= 0 && e.PainPoint[i] != noneCategory;

    /// <summary>
    /// Severity 0–100 = 100 × √(count / largest theme count) × mean negativity × (2 + trend) / 3, where trend is the
    /// relative change of the recent 30 days against the 30 before, clamped to −1..+1: volume matters most, a theme
    /// that is strongly negative weighs more, and a growing one ranks above a fading one of the same size.
    /// </summary>
    public static double Severity(int count, int largestCount, double meanNegativity, double? changeRatio)
    {
        if (count == 0 || largestCount == 0) return 0;
        var trend = Math.Clamp(changeRatio ?? 0, -1, 1);
        return Math.Round(100 * Math.Sqrt((double)count / largestCount) * Math.Clamp(meanNegativity, 0, 1) * (2 + trend) / 3, 1);
    }

    /// <summary>Relative change (recent − previous) / previous; null when there was nothing before to compare with.</summary>
    public static double? Change(int recent, int previous) => previous == 0 ? (recent == 0 ? 0 : null) : (double)(recent - previous) / previous;

    public static IReadOnlyList<EmotionShare> Shares(int[] counts, int total, int take = int.MaxValue)
    {
        var shares = new List<EmotionShare>();
        for (var b = 0; b < counts.Length; b++)
        {
            if (counts[b] == 0) continue;
            var (label, group) = b == MapEvidence.NeutralEmotionBit
                ? (EmotionLabels.NeutralName, EmotionLabels.NeutralName)
                : (EmotionLabels.All[b].Name, EmotionLabels.GroupName(EmotionLabels.All[b].Group));
            shares.Add(new EmotionShare(label, group, counts[b], total == 0 ? 0 : Math.Round(100.0 * counts[b] / total, 2)));
        }
        return shares.OrderByDescending(s => s.Count).ThenBy(s => s.Label, StringComparer.Ordinal).Take(take).ToList();
    }

    public static EmotionScore? Valence(int n, double sum, double squares)
    {
        if (n == 0) return null;
        var mean = sum / n;
        var variance = n > 1 ? Math.Max(0, (squares - n * mean * mean) / (n - 1)) : 0;
        var half = n > 1 ? SurveyStatistics.TCritical95(n - 1) * Math.Sqrt(variance / n) : 0;
        return new EmotionScore(n, Math.Round(mean, 4),
            new Interval(Math.Round(Math.Max(-1, mean - half), 4), Math.Round(Math.Min(1, mean + half), 4)),
            n < SurveyRules.LowSampleThreshold);
    }
}
