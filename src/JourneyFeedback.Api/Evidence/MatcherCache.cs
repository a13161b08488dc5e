using System.Collections.Concurrent;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// One matcher per map, built from the map's touchpoints and the texts authors assigned by hand. Rebuilt when the
/// map's version changes, when this instance records a manual assignment, and after a short time (other instances).
/// </summary>
internal sealed class MatcherCache(IOptions<MatchingOptions> options, TimeProvider time)
{
    private sealed record Entry(int MapVersion, DateTimeOffset BuiltAt, TouchpointMatcher Matcher);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>The map's matcher, or null when the map does not exist.</summary>
    public async Task<TouchpointMatcher?> GetAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var version = await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => (int?)m.Version).FirstOrDefaultAsync(ct);
        if (version is null) return null;
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(mapId, out var cached) && cached.MapVersion == version
            && now - cached.BuiltAt < TimeSpan.FromSeconds(options.Value.CacheSeconds))
            return cached.Matcher;

        var matcher = await BuildAsync(db, mapId, ct);
        _entries[mapId] = new Entry(version.Value, now, matcher);
        return matcher;
    }

    public void Invalidate(Guid mapId) => _entries.TryRemove(mapId, out _);

    private async Task<TouchpointMatcher> BuildAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var touchpoints = await TouchpointsAsync(db, mapId, ct);
        var o = options.Value;
        var examples = await db.FeedbackItems.AsNoTracking()
            .Where(f => f.MapId == mapId && f.MatchReason == MatchReasons.Manual && f.TouchpointId != null)
            .OrderByDescending(f => f.MatchedAt).Take(o.MaxExamples)
            .Select(f => new MatchExample(f.TouchpointId!.Value, (f.Title ?? "") + " " + f.Text, 1.0))
            .ToListAsync(ct);
        // What the semantic tier decided for the items it embedded and placed (JudgedAt set): a touchpoint with enough
        // confidence, or the inbox. What a person, a survey or an explicit channel decided is not the teacher's.
        var teacher = await db.ItemEmbeddings.AsNoTracking().Where(e => e.MapId == mapId && e.JudgedAt != null)
            .Join(db.FeedbackItems, e => e.ItemId, f => f.Id, (e, f) => f)
            .Where(f => f.MatchReason == null || (f.MatchReason == MatchReasons.Semantic && f.MatchConfidence >= o.TeacherMinConfidence))
            .OrderBy(f => f.Id).Take(o.MaxTeacherExamples)
            .Select(f => new TeacherLabel((f.Title ?? "") + " " + f.Text, f.MatchReason == MatchReasons.Semantic ? f.TouchpointId : null))
            .ToListAsync(ct);
        return teacher.Count == 0
            ? new TouchpointMatcher(touchpoints, examples, o.Threshold)
            : StudentMatcher.Train(touchpoints, examples, teacher, o.TeacherWeight, o.Threshold);
    }

    /// <summary>The map's touchpoints as the matchers see them, in map order.</summary>
    public static async Task<List<TouchpointDescriptor>> TouchpointsAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var touchpoints = await db.Touchpoints.AsNoTracking().Where(t => t.MapId == mapId)
            .Join(db.Stages, t => t.StageId, s => s.Id, (t, s) => new { t.Id, t.Name, t.Channel, t.Description, t.Keywords, t.KeywordsByLanguage, Stage = s.Name, StagePosition = s.Position, t.Position })
            .ToListAsync(ct);
        return touchpoints.OrderBy(t => t.StagePosition).ThenBy(t => t.Position)
            .Select(t => new TouchpointDescriptor(t.Id, t.Name, t.Channel, t.Description, t.Keywords, t.Stage, [.. t.KeywordsByLanguage.All])).ToList();
    }
}
