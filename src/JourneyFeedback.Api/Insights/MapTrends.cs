using System.Globalization;
using System.Runtime.InteropServices;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Insights;

/// <summary>An NPS answer to one of a map's surveys; <see cref="TouchpointId"/> null: a survey of the whole map.</summary>
internal sealed record NpsAnswer(Guid? TouchpointId, int Score, DateTime AnsweredAt);

/// <summary>
/// Trends: the insights numbers per ISO week or calendar month (UTC), per touchpoint and for the whole map. Pure over a
/// <see cref="MapEvidence"/> and the NPS answers, so the bucketing and each bucket's arithmetic are unit-tested without a
/// database. Formulas and limits: docs/insights.md, "Trends".
/// </summary>
internal static class MapTrends
{
    public const string Week = "week", Month = "month";
    public static readonly string[] Intervals = [Week, Month];
    public const int DefaultBuckets = 12;
    public const int MaxBuckets = 104;

    /// <summary>
    /// The buckets of a request and the window [<see cref="From"/>, <see cref="To"/>) that counts: bucket b is
    /// [Starts[b], Starts[b + 1]), the last one ends at <see cref="End"/>. A window that does not start or end on a
    /// bucket boundary makes the first or last bucket partial.
    /// </summary>
    public sealed record Plan(string Interval, DateTime From, DateTime To, DateTime[] Starts, DateTime End)
    {
        public int Count => Starts.Length;

        public DateTime EndOf(int bucket) => bucket + 1 < Starts.Length ? Starts[bucket + 1] : End;

        /// <summary>The bucket holding <paramref name="time"/>, or -1 outside the buckets.</summary>
        public int IndexOf(DateTime time)
        {
            if (time < Starts[0] || time >= End) return -1;
            var found = Array.BinarySearch(Starts, time);
            return found >= 0 ? found : ~found - 1;
        }
    }

    /// <summary>Monday 00:00 UTC of the ISO week, or the first of the month, holding <paramref name="time"/>.</summary>
    public static DateTime BucketStart(DateTime time, string interval) => interval == Month
        ? new DateTime(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc)
        : DateTime.SpecifyKind(time.Date.AddDays(-(((int)time.DayOfWeek + 6) % 7)), DateTimeKind.Utc);

    /// <summary>The next bucket's start (the end of the calendar saturates instead of overflowing).</summary>
    public static DateTime NextStart(DateTime start, string interval) =>
        start >= DateTime.MaxValue.AddMonths(-1) ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)
        : interval == Month ? start.AddMonths(1) : start.AddDays(7);

    /// <summary><paramref name="buckets"/> buckets before <paramref name="start"/> (0001-01-01, a Monday, at the earliest).</summary>
    private static DateTime StartBefore(DateTime start, string interval, int buckets)
    {
        var fits = interval == Month ? (start.Year - 1) * 12 + start.Month - 1 >= buckets : start.Ticks >= buckets * 7 * TimeSpan.TicksPerDay;
        return !fits ? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)
            : interval == Month ? start.AddMonths(-buckets) : start.AddDays(-7 * buckets);
    }

    /// <summary><c>2026-W41</c> (ISO week-numbering year and week) or <c>2026-10</c>.</summary>
    public static string Label(DateTime start, string interval) => interval == Month
        ? start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : $"{ISOWeek.GetYear(start)}-W{ISOWeek.GetWeekOfYear(start):00}";

    private static long BucketsBetween(DateTime firstStart, DateTime lastStart, string interval) => interval == Month
        ? (lastStart.Year - firstStart.Year) * 12L + lastStart.Month - firstStart.Month + 1
        : (lastStart - firstStart).Ticks / (7 * TimeSpan.TicksPerDay) + 1;

    /// <summary>When the snapshot's newest item happened; null for a map without items.</summary>
    public static DateTime? Newest(MapEvidence e) => e.Count == 0 ? null : new DateTime(e.OccurredTicks[0], DateTimeKind.Utc);

    /// <summary>
    /// The buckets for <paramref name="from"/>/<paramref name="to"/> (either may be missing): without <c>to</c> they end
    /// with the bucket of the map's newest item (<paramref name="now"/> on a map without items; never before
    /// <c>from</c>), without <c>from</c> they are the <see cref="DefaultBuckets"/> ending there. Null when that makes more
    /// than <see cref="MaxBuckets"/>; <paramref name="count"/> says how many.
    /// </summary>
    public static Plan? PlanFor(string interval, DateTime? from, DateTime? to, DateTime? newest, DateTime now, out long count)
    {
        var last = to is { } t
            ? BucketStart(t.Ticks > 0 ? t.AddTicks(-1) : t, interval) // to is exclusive
            : BucketStart(from is { } f && f > (newest ?? now) ? f : newest ?? now, interval);
        var first = from is { } start ? BucketStart(start, interval) : StartBefore(last, interval, DefaultBuckets - 1);
        count = BucketsBetween(first, last, interval);
        if (count > MaxBuckets) return null;
        var starts = new DateTime[count];
        starts[0] = first;
        for (var b = 1; b < starts.Length; b++) starts[b] = NextStart(starts[b - 1], interval);
        var end = NextStart(last, interval);
        return new Plan(interval, from ?? first, to ?? end, starts, end);
    }

    /// <summary>One point per bucket for the map, and per touchpoint (indexed as the snapshot's <see cref="MapEvidence.TouchpointIds"/>).</summary>
    public sealed record Series(TrendPoint[] Map, TrendPoint[][] Touchpoints);

    /// <summary>
    /// The series of <paramref name="plan"/>'s buckets over the items in <paramref name="inSegment"/> (null: all) and the
    /// NPS answers, with each bucket's <paramref name="themes"/> largest pain-point themes.
    /// </summary>
    public static Series Compute(MapEvidence e, Plan plan, bool[]? inSegment, IReadOnlyList<NpsAnswer> answers, int themes)
    {
        var touchpoints = e.TouchpointIds.Length;
        var mapPoints = new TrendPoint[plan.Count];
        var touchpointPoints = new TrendPoint[touchpoints][];
        for (var t = 0; t < touchpoints; t++) touchpointPoints[t] = new TrendPoint[plan.Count];
        var (mapScores, touchpointScores) = NpsScores(e, plan, answers);
        var themeCounts = new Dictionary<(short Touchpoint, int Key), int>();

        for (var b = 0; b < plan.Count; b++)
        {
            var totals = new ItemTotals[touchpoints];
            for (var t = 0; t < touchpoints; t++) totals[t] = new ItemTotals();
            var map = new ItemTotals();
            themeCounts.Clear();

            // Each bucket is a contiguous slice of the newest-first arrays: one binary search, then a tight scan.
            var from = plan.Starts[b] > plan.From ? plan.Starts[b] : plan.From;
            var to = plan.EndOf(b) < plan.To ? plan.EndOf(b) : plan.To;
            var (start, end) = from < to ? e.Range(from, to) : (0, 0);
            for (var i = start; i < end; i++)
            {
                if (inSegment is not null && !inSegment[i]) continue;
                var t = e.Touchpoint[i];
                if (t < 0)
                {
                    map.Add(e, i); // inbox and not yet matched items count for the map only
                    continue;
                }
                totals[t].Add(e, i);
                if (themes > 0 && e.Theme[i] >= 0) CollectionsMarshal.GetValueRefOrAddDefault(themeCounts, (t, e.Theme[i]), out _)++;
            }
            foreach (var t in totals) t.AddTo(map);

            var counted = themeCounts.Select(c => (c.Key.Touchpoint, Theme: Theme(e, c.Key.Key, c.Value))).ToList();
            mapPoints[b] = Point(plan.Starts[b], map, mapScores[b], Top(counted
                .GroupBy(c => c.Theme.Key).Select(g => g.First().Theme with { Count = g.Sum(c => c.Theme.Count) }), themes));
            for (var t = 0; t < touchpoints; t++)
            {
                var touchpoint = t;
                touchpointPoints[t][b] = Point(plan.Starts[b], totals[t], touchpointScores[t, b],
                    Top(counted.Where(c => c.Touchpoint == touchpoint).Select(c => c.Theme), themes));
            }
        }
        return new Series(mapPoints, touchpointPoints);
    }

    private static TrendTheme Theme(MapEvidence e, int key, int count) => new(e.ThemeKeyText(key), e.Themes.NameOf(key).Name, count);

    /// <summary>The largest themes first; a tie goes by name, then key, so the order never depends on hashing.</summary>
    private static IReadOnlyList<TrendTheme> Top(IEnumerable<TrendTheme> themes, int take) => take == 0 ? [] : themes
        .OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Key, StringComparer.Ordinal).Take(take).ToList();

    /// <summary>The scores per bucket for the map (every answer) and per touchpoint (answers to that touchpoint's surveys).</summary>
    private static (List<int>?[] Map, List<int>?[,] Touchpoints) NpsScores(MapEvidence e, Plan plan, IReadOnlyList<NpsAnswer> answers)
    {
        var map = new List<int>?[plan.Count];
        var touchpoints = new List<int>?[e.TouchpointIds.Length, plan.Count];
        var index = e.TouchpointIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        foreach (var answer in answers)
        {
            if (answer.AnsweredAt < plan.From || answer.AnsweredAt >= plan.To || plan.IndexOf(answer.AnsweredAt) is not (>= 0 and var b)) continue;
            (map[b] ??= []).Add(answer.Score);
            if (answer.TouchpointId is { } id && index.TryGetValue(id, out var t)) (touchpoints[t, b] ??= []).Add(answer.Score);
        }
        return (map, touchpoints);
    }

    private static TrendPoint Point(DateTime start, ItemTotals totals, List<int>? scores, IReadOnlyList<TrendTheme> themes)
    {
        var mix = totals.Sentiment();
        var nps = scores is null ? null : SurveyStatistics.Nps(scores);
        return new TrendPoint(start, totals.Items, totals.Analysed, mix.NegativePercent, mix.NeutralPercent, mix.PositivePercent,
            totals.Scored == 0 ? null : Math.Round(totals.ValenceSum / totals.Scored, 4),
            nps is null ? null : new TrendNps(nps.Score, nps.Responses, nps.MarginOfError, nps.LowSample), themes);
    }

    /// <summary>
    /// The response: the map's touchpoints in map order (stages and touchpoints as <see cref="MapInsightsBuilder.LoadAsync"/>
    /// orders them) with their stage; a touchpoint the snapshot does not know yet gets empty points.
    /// </summary>
    public static MapTrendsResponse Respond(JourneyMap map, MapEvidence e, Plan plan, string? segment, Series series, int pendingItems)
    {
        var index = e.TouchpointIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var touchpoints = map.Stages.SelectMany(stage => stage.Touchpoints.Select(touchpoint => new TouchpointTrend(
            touchpoint.Id, touchpoint.Name, touchpoint.Channel, stage.Id, stage.Name,
            index.TryGetValue(touchpoint.Id, out var i) ? series.Touchpoints[i] : [.. plan.Starts.Select(s => Point(s, new ItemTotals(), null, []))])))
            .ToList();
        var buckets = plan.Starts.Select((start, b) => new TrendBucket(start, plan.EndOf(b), Label(start, plan.Interval))).ToList();
        return new MapTrendsResponse(map.Id, map.Name, plan.Interval, plan.From, plan.To, segment, buckets, series.Map, touchpoints, e.AsOf, pendingItems);
    }
}
