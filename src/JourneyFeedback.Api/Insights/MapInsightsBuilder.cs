using Microsoft.Extensions.Caching.Memory;
using System.Runtime.InteropServices;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Surveys;
using Microsoft.EntityFrameworkCore;

using JourneyFeedback.Api.Segments;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// Puts insights together: the arithmetic over the cached <see cref="MapEvidence"/>, survey scores from the answers
/// (one grouped query), and the quotes' texts and origins (one query by id).
/// </summary>
/// <summary>A map with its evidence snapshot, and how many changed items the snapshot does not show yet.</summary>
internal sealed record LoadedMap(JourneyMap Map, MapEvidence Evidence, int PendingItems)
{
    public void Deconstruct(out JourneyMap map, out MapEvidence evidence) => (map, evidence) = (Map, Evidence);
}

internal sealed class MapInsightsBuilder(JourneyFeedbackDb db, MapEvidenceCache cache, IMemoryCache memory)
{
    public const int MaxQuotes = 5;

    public async Task<LoadedMap?> LoadAsync(Guid workspaceId, Guid mapId, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps.AsNoTracking(), workspaceId, mapId, ct);
        if (map is null) return null;
        map.Stages = map.Stages.OrderBy(s => s.Position).ToList();
        foreach (var stage in map.Stages) stage.Touchpoints = stage.Touchpoints.OrderBy(t => t.Position).ToList();
        return await cache.GetAsync(db, mapId, ct) is var (evidence, pending) ? new LoadedMap(map, evidence, pending) : null;
    }

    public async Task<MapInsights?> BuildAsync(Guid workspaceId, Guid mapId, EvidenceSelection selection, int themesPerTouchpoint, CancellationToken ct)
    {
        var loaded = await LoadAsync(workspaceId, mapId, ct);
        if (loaded is null) return null;
        return await BuildAsync(loaded.Map, loaded.Evidence, selection, themesPerTouchpoint, ct, loaded.PendingItems);
    }

    public async Task<MapInsights> BuildAsync(JourneyMap map, MapEvidence evidence, EvidenceSelection selection, int themesPerTouchpoint, CancellationToken ct,
        int pendingItems = 0)
    {
        var result = InsightsCalculator.Compute(evidence, selection);
        var touchpointIndex = evidence.TouchpointIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var touchpointNames = map.Stages.SelectMany(s => s.Touchpoints).ToDictionary(t => t.Id, t => t.Name);

        // Themes: severity is relative to the largest theme on the map in this selection.
        var largest = result.Themes.Count == 0 ? 0 : result.Themes.Max(t => t.Count);
        var ranked = result.Themes
            .Select(t => (Theme: t, Severity: InsightsCalculator.Severity(t.Count, largest, t.NegativitySum / t.Count,
                InsightsCalculator.Change(t.Recent, t.Previous))))
            .OrderByDescending(t => t.Severity).ThenByDescending(t => t.Theme.Count).ThenBy(t => t.Theme.Touchpoint).ThenBy(t => t.Theme.Category)
            .ToList();
        var shown = ranked.GroupBy(t => t.Theme.Touchpoint).SelectMany(g => g.Take(themesPerTouchpoint)).ToList();
        var quotes = await QuotesAsync(evidence, shown.Select(t => t.Theme).ToList(), selection, ct);

        var themesByTouchpoint = shown.Select(t =>
        {
            var theme = t.Theme;
            var (name, phrases, _) = evidence.Themes.NameOf(theme.Key);
            var stored = evidence.StoredThemeOf(theme.Key);
            var touchpointId = evidence.TouchpointIds[theme.Touchpoint];
            var category = JourneyFeedback.Analysis.PainPoints.PainPointTaxonomy.All[theme.Category].Name;
            var totals = result.Touchpoints[theme.Touchpoint];
            var change = InsightsCalculator.Change(theme.Recent, theme.Previous);
            return new PainPointTheme(
                evidence.ThemeKeyText(theme.Key), touchpointId, touchpointNames.GetValueOrDefault(touchpointId, ""), category, name, phrases,
                theme.Count, totals.Items == 0 ? 0 : Math.Round(100.0 * theme.Count / totals.Items, 2),
                Math.Round(theme.NegativitySum / theme.Count, 4), InsightsCalculator.Shares(theme.Emotions, theme.Count, 3),
                new DateTime(theme.FirstTicks, DateTimeKind.Utc), new DateTime(theme.LastTicks, DateTimeKind.Utc),
                new ThemeTrend(theme.Recent, theme.Previous, change is { } c ? Math.Round(100 * c, 1) : null),
                t.Severity, quotes.GetValueOrDefault(theme, []), stored?.Id, stored?.ComputedAt);
        }).ToList();

        var surveys = await SurveyScoresAsync(map.Id, evidence.EvidenceVersion, selection, ct);
        var stages = new List<StageInsights>();
        foreach (var stage in map.Stages)
        {
            var stageTotals = new ItemTotals();
            var stageScores = new List<ScoreGroup>();
            var touchpoints = new List<TouchpointInsights>();
            foreach (var touchpoint in stage.Touchpoints)
            {
                var totals = touchpointIndex.TryGetValue(touchpoint.Id, out var i) ? result.Touchpoints[i] : new ItemTotals();
                totals.AddTo(stageTotals);
                var scores = surveys.Where(s => s.TouchpointId == touchpoint.Id).ToList();
                stageScores.AddRange(scores);
                touchpoints.Add(new TouchpointInsights(touchpoint.Id, touchpoint.Name, touchpoint.Channel, totals.Items, totals.Sentiment(),
                    totals.EmotionMix(), totals.EmotionScore(), Scores(scores),
                    themesByTouchpoint.Where(t => t.TouchpointId == touchpoint.Id).ToList()));
            }
            stages.Add(new StageInsights(stage.Id, stage.Name, stage.Position, stageTotals.Items, stageTotals.Sentiment(), stageTotals.EmotionMix(),
                stageTotals.EmotionScore(), Scores(stageScores), touchpoints));
        }

        return new MapInsights(map.Id, map.Name, selection.From, selection.To, selection.Segment?.Text,
            result.Map.Items, result.Unassigned, result.Pending, result.Map.Sentiment(), result.Map.EmotionMix(), Scores(surveys),
            stages, themesByTouchpoint.OrderByDescending(t => t.Severity).ThenByDescending(t => t.Count).Take(10).ToList(), evidence.AsOf, pendingItems)
        {
            SegmentDetails = selection.Segment?.View,
            Languages = LanguageCounts.Of(evidence, selection),
        };
    }

    internal sealed record ScoreGroup(string Type, Guid? TouchpointId, int Score, int Count);

    /// <summary>How long survey score groups of a segment that depends on the invitation are reused (see <see cref="SurveyScoresAsync"/>).</summary>
    public static readonly TimeSpan SegmentScoresFor = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Survey scores of the map's surveys in the selection, grouped by survey type, touchpoint and score (a type, touchpoint
    /// and score may come in more than one group). Whole days of the window are summed from the answer writer's daily
    /// counts (<see cref="SurveyScoreDay"/>), a few rows a day however many answers arrived; only a window's partial first
    /// or last day reads the answers. A segment judges each answer by its invitation's channel and customer, which the
    /// counts do not keep: those read every answer in the window and are reused for <see cref="SegmentScoresFor"/> per map,
    /// window and evidence version. A segment on item fields alone (<c>kind = review</c>) judges all answers alike.
    /// </summary>
    internal async Task<List<ScoreGroup>> SurveyScoresAsync(Guid mapId, long evidenceVersion, EvidenceSelection selection, CancellationToken ct)
    {
        if (selection.Segment is { } segment)
        {
            switch (segment.VerdictOnEveryAnswer())
            {
                case false: return [];
                case null:
                    return await memory.GetOrCreateAsync(("segment-survey-scores", mapId, evidenceVersion, selection.From, selection.To, segment.Text,
                        segment.CustomersVersion), entry =>
                    {
                        entry.AbsoluteExpirationRelativeToNow = SegmentScoresFor;
                        return SegmentScoresAsync(mapId, selection, segment, ct);
                    }) ?? [];
            }
        }

        var (from, to) = (selection.From, selection.To);
        int? firstDay = from is { } f ? SurveyScoreDay.DayOf(f) + (f.TimeOfDay == TimeSpan.Zero ? 0 : 1) : null;
        int? endDay = to is { } t ? SurveyScoreDay.DayOf(t) : null;
        if (firstDay >= endDay) return await AnswerScoresAsync(mapId, from, to, ct); // within one day

        var days = db.SurveyScoreDays.AsNoTracking();
        if (firstDay is { } first) days = days.Where(c => c.Day >= first);
        if (endDay is { } end) days = days.Where(c => c.Day < end);
        var groups = await days.Join(db.Surveys.Where(s => s.MapId == mapId), c => c.SurveyId, s => s.Id, (c, s) => new { s.Type, s.TouchpointId, c.Score, c.Count })
            .GroupBy(x => new { x.Type, x.TouchpointId, x.Score })
            .Select(g => new ScoreGroup(g.Key.Type, g.Key.TouchpointId, g.Key.Score, g.Sum(x => x.Count)))
            .ToListAsync(ct);
        if (firstDay is { } head && SurveyScoreDay.StartOf(head) != from) groups.AddRange(await AnswerScoresAsync(mapId, from, SurveyScoreDay.StartOf(head), ct));
        if (endDay is { } tail && SurveyScoreDay.StartOf(tail) != to) groups.AddRange(await AnswerScoresAsync(mapId, SurveyScoreDay.StartOf(tail), to, ct));
        return groups;
    }

    private Task<List<ScoreGroup>> AnswerScoresAsync(Guid mapId, DateTime? from, DateTime? to, CancellationToken ct) =>
        ScoredAnswers(mapId, from, to).GroupBy(x => new { x.Type, x.TouchpointId, x.Score })
            .Select(g => new ScoreGroup(g.Key.Type, g.Key.TouchpointId, g.Key.Score, g.Count()))
            .ToListAsync(ct);

    private async Task<List<ScoreGroup>> SegmentScoresAsync(Guid mapId, EvidenceSelection selection, SegmentFilter segment, CancellationToken ct)
    {
        var rows = await ScoredAnswers(mapId, selection.From, selection.To)
            .Join(db.Invitations, x => x.InvitationId, i => i.Id, (x, i) => new { x.Type, x.TouchpointId, x.Score, i.CustomerId, i.Channel })
            .GroupBy(x => new { x.Type, x.TouchpointId, x.Score, x.CustomerId, x.Channel })
            .Select(g => new { g.Key.Type, g.Key.TouchpointId, g.Key.Score, g.Key.CustomerId, g.Key.Channel, Count = g.Count() })
            .ToListAsync(ct);
        var mask = segment.MaskInvitations(rows.Count, i => rows[i].CustomerId, i => rows[i].Channel);
        return rows.Where((_, i) => mask[i])
            .GroupBy(r => (r.Type, r.TouchpointId, r.Score))
            .Select(g => new ScoreGroup(g.Key.Type, g.Key.TouchpointId, g.Key.Score, g.Sum(r => r.Count))).ToList();
    }

    /// <summary>The NPS answers of the map's surveys in the selection, one row each with its time (trends bucket them).</summary>
    public async Task<List<NpsAnswer>> NpsAnswersAsync(Guid mapId, EvidenceSelection selection, CancellationToken ct)
    {
        var nps = ScoredAnswers(mapId, selection.From, selection.To).Where(x => x.Type == SurveyTypes.Nps);
        if (selection.Segment is not { } segment)
            return await nps.Select(x => new NpsAnswer(x.TouchpointId, x.Score, x.AnsweredAt)).ToListAsync(ct);

        var rows = await nps.Join(db.Invitations, x => x.InvitationId, i => i.Id, (x, i) => new { x.TouchpointId, x.Score, x.AnsweredAt, i.CustomerId, i.Channel })
            .ToListAsync(ct);
        var mask = segment.MaskInvitations(rows.Count, i => rows[i].CustomerId, i => rows[i].Channel);
        return [.. rows.Where((_, i) => mask[i]).Select(r => new NpsAnswer(r.TouchpointId, r.Score, r.AnsweredAt))];
    }

    /// <summary>An answer with a score to one of a map's surveys: a member-initialised class (not a positional record) so EF can query on past it.</summary>
    private sealed class ScoredAnswer
    {
        public Guid InvitationId { get; init; }
        public string Type { get; init; } = "";
        public Guid? TouchpointId { get; init; }
        public int Score { get; init; }
        public DateTime AnsweredAt { get; init; }
    }

    private IQueryable<ScoredAnswer> ScoredAnswers(Guid mapId, DateTime? from, DateTime? to)
    {
        var answers = db.SurveyAnswers.AsNoTracking().Where(a => a.Score != null);
        if (from is { } after) answers = answers.Where(a => a.AnsweredAt >= after);
        if (to is { } before) answers = answers.Where(a => a.AnsweredAt < before);
        return answers.Join(db.Surveys.Where(s => s.MapId == mapId), a => a.SurveyId, s => s.Id, (a, s) => new ScoredAnswer
        {
            InvitationId = a.InvitationId, Type = s.Type, TouchpointId = s.TouchpointId, Score = a.Score!.Value, AnsweredAt = a.AnsweredAt,
        });
    }

    private static SurveyScores? Scores(IReadOnlyCollection<ScoreGroup> groups)
    {
        if (groups.Count == 0) return null;
        List<int> Expand(string type) => groups.Where(g => g.Type == type).SelectMany(g => Enumerable.Repeat(g.Score, g.Count)).ToList();
        return new SurveyScores(SurveyStatistics.Nps(Expand(SurveyTypes.Nps)), SurveyStatistics.Csat(Expand(SurveyTypes.Csat)),
            SurveyStatistics.Mean(Expand(SurveyTypes.Ces)));
    }

    /// <summary>
    /// 3–5 representative quotes per theme: items that carry the theme's name phrase first, then the most negative,
    /// then the newest; the same text twice (a re-sent complaint) is shown once.
    /// </summary>
    private async Task<Dictionary<ThemeTotals, IReadOnlyList<Quote>>> QuotesAsync(
        MapEvidence e, List<ThemeTotals> themes, EvidenceSelection selection, CancellationToken ct)
    {
        // The theme's items in quote order (precomputed per snapshot); keep the first ones inside this selection.
        var inSegment = selection.Segment?.Compile(e);
        long from = selection.From?.Ticks ?? long.MinValue, to = selection.To?.Ticks ?? long.MaxValue;
        var candidates = new Dictionary<ThemeTotals, List<int>>();
        var sparse = new Dictionary<int, ThemeTotals>();
        foreach (var theme in themes)
        {
            var chosen = new List<int>(MaxQuotes * 2);
            var all = e.Themes.CandidatesOf(theme.Key);
            // A narrow selection may hold few of a big theme's best items; then its slice is scanned instead.
            var walk = all.Count;
            for (var k = 0; k < walk && chosen.Count < MaxQuotes * 2; k++)
            {
                var i = all[k];
                if (e.OccurredTicks[i] >= from && e.OccurredTicks[i] < to && (inSegment is null || inSegment(i))) chosen.Add(i);
            }
            candidates[theme] = chosen;
            if (chosen.Count < Math.Min(MaxQuotes * 2, theme.Count) && walk < e.Themes.MemberCount(theme.Key)) sparse[theme.Key] = theme;
        }
        if (sparse.Count > 0)
        {
            var found = sparse.Values.ToDictionary(t => t.Key, _ => new List<int>());
            var (start, end) = e.Range(selection.From, selection.To);
            for (var i = start; i < end; i++)
            {
                if (e.Theme[i] < 0 || (inSegment is not null && !inSegment(i))) continue;
                if (found.TryGetValue(e.Theme[i], out var list)) list.Add(i);
            }
            foreach (var (key, list) in found)
            {
                candidates[sparse[key]] = [.. ThemeIndex.QuoteOrder(e, CollectionsMarshal.AsSpan(list), e.Themes.NameOf(key).NamePhrase, MaxQuotes * 2)];
            }
        }
        // Texts and origins never change once stored: read once per snapshot lineage; the negativity comes from the snapshot.
        var missing = candidates.Values.SelectMany(c => c).Select(i => e.Ids[i]).Where(id => !e.QuoteSources.TryGet(id, out _)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var read = await db.FeedbackItems.AsNoTracking().Where(f => missing.Contains(f.Id)).WithImportFileName(db)
                .Select(r => new
                {
                    r.Item.Id, r.Item.Text, r.Item.OccurredAt, r.Item.ImportId, r.Item.LineNumber, r.Item.SurveyId, r.Item.SurveyAnswerId,
                    r.Item.InvitationRef, r.FileName,
                })
                .ToListAsync(ct);
            foreach (var f in read)
                e.QuoteSources.Add(f.Id, new QuoteSource(f.Text, f.OccurredAt, f.ImportId, f.LineNumber, f.FileName, f.SurveyId, f.SurveyAnswerId, f.InvitationRef));
        }

        var quotes = new Dictionary<ThemeTotals, IReadOnlyList<Quote>>();
        foreach (var (theme, indices) in candidates)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var list = new List<Quote>();
            foreach (var i in indices)
            {
                if (!e.QuoteSources.TryGet(e.Ids[i], out var f) || !seen.Add(f.Text.Trim())) continue;
                list.Add(new Quote(e.Ids[i], f.Text, f.OccurredAt, Math.Round(e.NegativeScore[i], 4), f.ImportId is not null
                    ? new EvidenceOrigin("import", f.ImportId, f.FileName, f.LineNumber, null, null, null)
                    : new EvidenceOrigin("survey", null, null, null, f.SurveyId, f.SurveyAnswerId, f.InvitationRef)));
                if (list.Count == MaxQuotes) break;
            }
            quotes[theme] = list;
        }
        return quotes;
    }
}
