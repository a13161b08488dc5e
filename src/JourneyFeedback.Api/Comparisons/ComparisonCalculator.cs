using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Api.Insights;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Comparisons;

/// <summary>
/// Both sides of a comparison counted over the map's snapshot (the same arithmetic as insights), then compared with the
/// tests of <see cref="ComparisonStatistics"/>. Formulas: docs/insights.md ("Comparing periods and segments").
/// </summary>
internal static class ComparisonCalculator
{
    public const string ThemeTest =
        "Exact two-sided conditional binomial test of each theme's count against the sides' item totals, Holm-corrected over the themes compared.";

    public static MapComparison Compare(JourneyMap map, MapEvidence evidence, ComparisonQuery query,
        IReadOnlyList<MapInsightsBuilder.ScoreGroup> scoresA, IReadOnlyList<MapInsightsBuilder.ScoreGroup> scoresB, int pendingItems)
    {
        var a = InsightsCalculator.Compute(evidence, query.A);
        var b = InsightsCalculator.Compute(evidence, query.B);
        var touchpointIndex = evidence.TouchpointIds.Select((tid, i) => (tid, i)).ToDictionary(p => p.tid, p => p.i);
        ItemTotals TotalsOf(InsightsCalculator.Result r, Guid touchpointId) =>
            touchpointIndex.TryGetValue(touchpointId, out var i) ? r.Touchpoints[i] : new ItemTotals();

        var stages = new List<StageComparison>();
        foreach (var stage in map.Stages.OrderBy(s => s.Position))
        {
            var (stageA, stageB) = (new ItemTotals(), new ItemTotals());
            var touchpoints = new List<TouchpointComparison>();
            foreach (var touchpoint in stage.Touchpoints.OrderBy(t => t.Position))
            {
                var (ta, tb) = (TotalsOf(a, touchpoint.Id), TotalsOf(b, touchpoint.Id));
                ta.AddTo(stageA);
                tb.AddTo(stageB);
                touchpoints.Add(new TouchpointComparison(touchpoint.Id, touchpoint.Name,
                    Changes(ta, tb, scoresA.Where(s => s.TouchpointId == touchpoint.Id).ToList(), scoresB.Where(s => s.TouchpointId == touchpoint.Id).ToList())));
            }
            var ids = stage.Touchpoints.Select(t => (Guid?)t.Id).ToHashSet();
            stages.Add(new StageComparison(stage.Id, stage.Name,
                Changes(stageA, stageB, scoresA.Where(s => ids.Contains(s.TouchpointId)).ToList(), scoresB.Where(s => ids.Contains(s.TouchpointId)).ToList()),
                touchpoints));
        }

        return new MapComparison(map.Id, query.Mode, query.Side(query.A, a.Map.Items, query.LabelA), query.Side(query.B, b.Map.Items, query.LabelB),
            Changes(a.Map, b.Map, scoresA, scoresB), stages, Themes(map, evidence, a, b), ThemeTest, evidence.AsOf, pendingItems);
    }

    /// <summary>Every theme with items on either side, by theme key; the exposure of each side is its items on the map.</summary>
    private static List<ThemeComparison> Themes(JourneyMap map, MapEvidence evidence, InsightsCalculator.Result a, InsightsCalculator.Result b)
    {
        var names = map.Stages.SelectMany(s => s.Touchpoints).ToDictionary(t => t.Id, t => t.Name);
        var countsA = a.Themes.ToDictionary(t => t.Key);
        var countsB = b.Themes.ToDictionary(t => t.Key);
        var keys = countsA.Keys.Union(countsB.Keys).Order().ToList();
        var counts = keys.Select(k => (Current: countsA.GetValueOrDefault(k)?.Count ?? 0, Previous: countsB.GetValueOrDefault(k)?.Count ?? 0)).ToList();
        // A side without items has nothing to compare with: every theme is then "too small to conclude".
        var changes = ComparisonStatistics.Counts(counts, a.Map.Items, b.Map.Items)
            ?? counts.Select(c => new CountChange(c.Current, c.Previous, a.Map.Items == 0 ? 0 : 100.0 * c.Current / a.Map.Items,
                b.Map.Items == 0 ? 0 : 100.0 * c.Previous / b.Map.Items, 1, 1, false, TooSmall: true)).ToList();
        return keys.Select((key, i) =>
        {
            var theme = countsA.GetValueOrDefault(key) ?? countsB[key];
            var touchpointId = evidence.TouchpointIds[theme.Touchpoint];
            var category = theme.Category >= 0 ? PainPointTaxonomy.All[theme.Category].Name : "";
            var stored = evidence.StoredThemeOf(key);
            return new ThemeComparison(stored is not null ? stored.Id.ToString("N") : $"{touchpointId:N}:{category}", touchpointId,
                names.GetValueOrDefault(touchpointId, ""), category, evidence.Themes.NameOf(key).Name, Rounded(changes[i]));
        }).OrderBy(t => t.Change.AdjustedPValue).ThenByDescending(t => t.Change.Current + t.Change.Previous).ToList();
    }

    private static MetricChanges Changes(ItemTotals a, ItemTotals b, IReadOnlyList<MapInsightsBuilder.ScoreGroup> scoresA,
        IReadOnlyList<MapInsightsBuilder.ScoreGroup> scoresB) => new(
        a.Items, b.Items,
        Rounded(ComparisonStatistics.Nps(NpsOf(scoresA), NpsOf(scoresB))),
        Rounded(ComparisonStatistics.Proportion(Count(scoresA, SurveyTypes.Csat, s => s >= 4), Count(scoresA, SurveyTypes.Csat, _ => true),
            Count(scoresB, SurveyTypes.Csat, s => s >= 4), Count(scoresB, SurveyTypes.Csat, _ => true))),
        Rounded(ComparisonStatistics.Means(MeanOf(scoresA, SurveyTypes.Ces), MeanOf(scoresB, SurveyTypes.Ces))),
        Rounded(ComparisonStatistics.Proportion(a.Negative, a.Analysed, b.Negative, b.Analysed)),
        Rounded(ComparisonStatistics.Proportion(a.Positive, a.Analysed, b.Positive, b.Analysed)),
        Rounded(ComparisonStatistics.Means(ValenceOf(a), ValenceOf(b))));

    /// <summary>
    /// Values for display: 4 decimals (NPS points, percentage points, scale units); p-values keep 4 significant digits
    /// so a tiny one stays readable. The flags were decided on the exact values.
    /// </summary>
    private static Change? Rounded(Change? c) => c is null ? null : c with
    {
        Current = Math.Round(c.Current, 4), Previous = Math.Round(c.Previous, 4), Difference = Math.Round(c.Difference, 4),
        Ci95 = c.Ci95 is { } ci ? new Interval(Math.Round(ci.Low, 4), Math.Round(ci.High, 4)) : null,
        PValue = c.PValue is { } p ? Significant(p) : null,
    };

    private static double Significant(double p) => p == 0 ? 0 : Math.Round(p, Math.Clamp(3 - (int)Math.Floor(Math.Log10(p)), 0, 15));

    private static CountChange Rounded(CountChange c) => c with
    {
        CurrentShare = Math.Round(c.CurrentShare, 4), PreviousShare = Math.Round(c.PreviousShare, 4),
        PValue = Significant(c.PValue), AdjustedPValue = Significant(c.AdjustedPValue),
    };

    private static int Count(IReadOnlyList<MapInsightsBuilder.ScoreGroup> groups, string type, Func<int, bool> score) =>
        groups.Where(g => g.Type == type && score(g.Score)).Sum(g => g.Count);

    private static NpsCounts NpsOf(IReadOnlyList<MapInsightsBuilder.ScoreGroup> groups) =>
        new(Count(groups, SurveyTypes.Nps, _ => true), Count(groups, SurveyTypes.Nps, s => s >= 9), Count(groups, SurveyTypes.Nps, s => s <= 6));

    private static MeanSample MeanOf(IReadOnlyList<MapInsightsBuilder.ScoreGroup> groups, string type)
    {
        var of = groups.Where(g => g.Type == type).ToList();
        var n = of.Sum(g => g.Count);
        if (n == 0) return new MeanSample(0, 0, 0);
        var mean = of.Sum(g => (double)g.Score * g.Count) / n;
        var squares = of.Sum(g => (g.Score - mean) * (g.Score - mean) * g.Count);
        return new MeanSample(n, mean, n > 1 ? Math.Sqrt(squares / (n - 1)) : 0);
    }

    private static MeanSample ValenceOf(ItemTotals t)
    {
        if (t.Scored == 0) return new MeanSample(0, 0, 0);
        var mean = t.ValenceSum / t.Scored;
        var variance = t.Scored > 1 ? Math.Max(0, (t.ValenceSquares - t.Scored * mean * mean) / (t.Scored - 1)) : 0;
        return new MeanSample(t.Scored, mean, Math.Sqrt(variance));
    }

    /// <summary>A survey's score by its type (NPS, CSAT share, CES mean) and, for attribution, each option's share.</summary>
    public static SurveyComparison Compare(Survey survey, ComparisonQuery query, IReadOnlyList<AnswerRow> a, IReadOnlyList<AnswerRow> b)
    {
        static List<int> Scores(IReadOnlyList<AnswerRow> rows) => rows.Where(r => r.Score is not null).Select(r => r.Score!.Value).ToList();
        var (scoresA, scoresB) = (Scores(a), Scores(b));
        var score = Rounded(survey.Type switch
        {
            SurveyTypes.Nps => ComparisonStatistics.Nps(
                new NpsCounts(scoresA.Count, scoresA.Count(s => s >= 9), scoresA.Count(s => s <= 6)),
                new NpsCounts(scoresB.Count, scoresB.Count(s => s >= 9), scoresB.Count(s => s <= 6))),
            SurveyTypes.Csat => ComparisonStatistics.Proportion(scoresA.Count(s => s >= 4), scoresA.Count, scoresB.Count(s => s >= 4), scoresB.Count),
            SurveyTypes.Ces => ComparisonStatistics.Means(Sample(scoresA), Sample(scoresB)),
            _ => null,
        });
        var options = survey.Type == SurveyTypes.Attribution
            ? survey.Options.Select(o => new OptionComparison(o.Id, o.Label,
                Rounded(ComparisonStatistics.Proportion(a.Count(r => r.OptionId == o.Id), a.Count, b.Count(r => r.OptionId == o.Id), b.Count)))).ToList()
            : [];
        return new SurveyComparison(survey.Id, survey.Type, query.Mode, query.Side(query.A, a.Count, query.LabelA), query.Side(query.B, b.Count, query.LabelB),
            a.Count, b.Count, score, options);
    }

    private static MeanSample Sample(List<int> scores)
    {
        if (scores.Count == 0) return new MeanSample(0, 0, 0);
        var mean = scores.Average();
        var sd = scores.Count > 1 ? Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1)) : 0;
        return new MeanSample(scores.Count, mean, sd);
    }
}
