using System.Collections.Concurrent;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Semantic;

/// <summary>
/// The semantic tier's background work, one batch at a time (docs/insights.md, "Semantic tier"):
/// 1. places embedded items again after the author taught the matcher (no encoding: the vectors are stored);
/// 2. embeds and places a map's items up to its budget, inbox items first (a second opinion that can move them out);
///    when the budget is spent, the lexical matcher is rebuilt with these placements as teacher labels and re-places
///    the map's other guesses at n-gram speed;
/// 3. refreshes pain-point themes (<see cref="ThemeRefresh"/>).
/// All queue state is in the database (ItemEmbeddings.JudgedAt, conditional updates), so instances share the work.
/// </summary>
internal sealed class SemanticWorker(
    IServiceScopeFactory scopes, Encoder encoder, MatcherCache lexical, ThemeRefresh themes, WriteActivity activity,
    IOptions<SemanticOptions> options, IOptions<MatchingOptions> matching, ILogger<SemanticWorker> logger)
    : BatchWorker(logger, "Semantic matching or theme refresh failed; retrying shortly")
{
    /// <summary>What a matcher was built from: the map's version and its confirmations (their count and newest).</summary>
    private sealed record MatcherBasis(int MapVersion, int Confirmations, DateTime? LatestConfirmation);

    private sealed record CachedMatcher(MatcherBasis Basis, int Pool, SemanticMatcher Matcher);

    private readonly ConcurrentDictionary<Guid, CachedMatcher> _matchers = new();

    // The touchpoints' clauses, embedded once: a matcher is rebuilt after every confirmation, its map rarely changes.
    private readonly ConcurrentDictionary<string, float[]> _clauses = new(StringComparer.Ordinal);

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));

    // The first look waits one interval: start-up (migrations, seeding, the first requests) goes first.
    protected override Task StartingAsync(CancellationToken stoppingToken) => Task.Delay(PollInterval, stoppingToken);

    protected override async Task<int> NextBatchAsync(CancellationToken ct)
    {
        // Off: the encoder is never loaded, matching stays lexical and themes stay per pain-point category.
        if (!options.Value.Enabled) return 0;
        // Imports and survey answers on this instance come first: the tier waits while an import runs, and until answers
        // have been quiet for a second.
        if (activity.ImportsRunning || !activity.QuietFor(TimeSpan.FromSeconds(1))) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var done = await RejudgeAsync(db, ct);
        if (done == 0) done = await EmbedAndPlaceAsync(db, ct);
        if (done == 0) done = await themes.RefreshNextAsync(db, ct);
        return done;
    }

    /// <summary>Embedded items waiting to be placed again (after a confirmation, a rematch or a theme refresh embedded them).</summary>
    internal async Task<int> RejudgeAsync(JourneyFeedbackDb db, CancellationToken ct)
    {
        var mapId = await db.ItemEmbeddings.AsNoTracking().Where(e => e.JudgedAt == null).OrderBy(e => e.MapId).Select(e => (Guid?)e.MapId).FirstOrDefaultAsync(ct);
        if (mapId is not { } map) return 0;
        var rows = await db.ItemEmbeddings.AsNoTracking().Where(e => e.MapId == map && e.JudgedAt == null)
            .OrderBy(e => e.ItemId).Take(options.Value.BatchSize * 8)
            .Join(db.FeedbackItems, e => e.ItemId, f => f.Id, (e, f) => new Candidate(f.Id, f.Text, f.Title, f.Channel, f.Source, f.MatchReason, f.TouchpointId, e.Vector))
            .ToListAsync(ct);
        if (rows.Count == 0) return 0;
        var (matcher, basis) = await MatcherAsync(db, map, adaptToItems: true, ct);
        // A confirmation landed meanwhile: the rows stay queued for the next round, whose matcher learns it.
        if (!await WriteAsync(db, map, matcher, basis, rows.Select(r => (r, Embedding.Unpack(r.Vector))).ToList(), isNew: false, ct)) return 0;
        return rows.Count;
    }

    /// <summary>Items of a map under its budget that were never embedded: inbox first, then in id order.</summary>
    internal async Task<int> EmbedAndPlaceAsync(JourneyFeedbackDb db, CancellationToken ct)
    {
        var o = options.Value;
        var waiting = db.FeedbackItems.AsNoTracking().Where(Encoder.Reads)
            .Where(f => f.MapId != null && f.MatchedAt != null && f.MatchReason != MatchReasons.Manual && f.MatchReason != MatchReasons.Survey
                && !db.ItemEmbeddings.Any(e => e.ItemId == f.Id));
        var mapId = await db.Maps.AsNoTracking()
            .Where(m => db.ItemEmbeddings.Count(e => e.MapId == m.Id) < o.MaxEmbeddedItemsPerMap && waiting.Any(f => f.MapId == m.Id))
            .OrderBy(m => m.Id).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (mapId is not { } map) return 0;

        var room = Math.Min(o.BatchSize, o.MaxEmbeddedItemsPerMap - await db.ItemEmbeddings.CountAsync(e => e.MapId == map, ct));
        var onMap = waiting.Where(f => f.MapId == map);
        var batch = await onMap.Where(f => f.TouchpointId == null).OrderBy(f => f.Id).Take(room)
            .Select(f => new Candidate(f.Id, f.Text, f.Title, f.Channel, f.Source, f.MatchReason, f.TouchpointId, null)).ToListAsync(ct);
        if (batch.Count < room)
            batch.AddRange(await onMap.Where(f => f.TouchpointId != null).OrderBy(f => f.Id).Take(room - batch.Count)
                .Select(f => new Candidate(f.Id, f.Text, f.Title, f.Channel, f.Source, f.MatchReason, f.TouchpointId, null)).ToListAsync(ct));
        if (batch.Count == 0) return 0;

        var vectors = await encoder.EmbedAsync(batch.Select(c => Encoder.TextOf(c.Title, c.Text)).ToList(), ct);
        var (matcher, basis) = await MatcherAsync(db, map, adaptToItems: false, ct);
        await WriteAsync(db, map, matcher, basis, batch.Select((c, i) => (c, vectors[i])).ToList(), isNew: true, ct);

        // All of the map's items that will be embedded now are: the matcher adapts to them (self-training) and places
        // them again, from their stored vectors.
        var spent = await db.ItemEmbeddings.CountAsync(e => e.MapId == map, ct) >= o.MaxEmbeddedItemsPerMap;
        if (spent || !await onMap.AnyAsync(ct))
        {
            var embedded = await db.ItemEmbeddings.Where(e => e.MapId == map).ExecuteUpdateAsync(u => u.SetProperty(e => e.JudgedAt, (DateTime?)null), ct);
            var (texts, elapsed) = encoder.Embedder.Statistics;
            logger.LogInformation("Map {MapId}: {Embedded} items embedded and placed by the semantic tier; encoder {Rate:F0} texts/s over {Texts} texts",
                map, embedded, texts / Math.Max(elapsed.TotalSeconds, 1e-3), texts);
        }

        // The budget is spent: the lexical matcher learns from the placements and re-places everything else on the map.
        if (spent)
        {
            lexical.Invalidate(map);
            var requeued = await MatchQueue.RequeueAllAsync(db, map,
                f => (f.MatchReason == null || f.MatchReason == MatchReasons.Text) && !db.ItemEmbeddings.Any(e => e.ItemId == f.Id), ct);
            logger.LogInformation("Map {MapId}: {Budget} items placed by the encoder; {Requeued} others re-matched by the taught lexical matcher",
                map, o.MaxEmbeddedItemsPerMap, requeued);
        }
        return batch.Count;
    }

    private sealed record Candidate(Guid Id, string Text, string? Title, string? Channel, string? Source, string? MatchReason, Guid? TouchpointId, byte[]? Vector);

    private static readonly string PlaceSql =
        $"UPDATE \"FeedbackItems\" SET {FeedbackItemColumns.Set(FeedbackItemColumns.Match)} " +
        $"WHERE \"Id\" = @id AND (\"MatchReason\" IS NULL OR \"MatchReason\" NOT IN ('{MatchReasons.Manual}', '{MatchReasons.Survey}'))";

    /// <summary>
    /// One transaction: the vectors (new or re-judged) and the placements, so a crash leaves neither half. When the map
    /// or its confirmations changed since the matcher was built (<paramref name="basis"/>), its placements are stale:
    /// re-judged rows are left queued (returns false) and new vectors are stored queued, so the next round places them
    /// with what was learnt. The check and the write hold the map's lock (<see cref="MatchQueue.LockMapAsync"/>), so a
    /// confirmation either is seen by the check or comes after the commit and requeues these rows itself.
    /// </summary>
    private static async Task<bool> WriteAsync(JourneyFeedbackDb db, Guid mapId, SemanticMatcher? matcher, MatcherBasis basis,
        List<(Candidate Item, float[] Vector)> items, bool isNew, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var placed = new List<(Guid Id, TouchpointMatch Match)>();
        foreach (var (item, vector) in items)
        {
            // What a person or a survey decided stands; a map without touchpoints leaves items where they are.
            if (matcher is null || item.MatchReason is MatchReasons.Manual or MatchReasons.Survey) continue;
            placed.Add((item.Id, matcher.Match(new MatchInput(item.Text, item.Channel, item.Source, item.Title), vector)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await MatchQueue.LockMapAsync(db, mapId, ct);
        var current = await ReadBasisAsync(db, mapId, ct) == basis;
        if (!current && !isNew) return false;
        if (isNew)
        {
            db.ItemEmbeddings.AddRange(items.Select(i => new ItemEmbedding
            {
                ItemId = i.Item.Id, MapId = mapId, Vector = Embedding.Pack(i.Vector), JudgedAt = current ? now : null,
            }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        else
        {
            var ids = items.Select(i => i.Item.Id).ToList();
            await db.ItemEmbeddings.Where(e => ids.Contains(e.ItemId)).ExecuteUpdateAsync(u => u.SetProperty(e => e.JudgedAt, now), ct);
        }
        await FeedbackItemColumns.UpdateEachAsync(db, PlaceSql, FeedbackItemColumns.Match, placed, [mapId], (p, values) =>
        {
            values.TouchpointId = p.Match.TouchpointId;
            values.MatchReason = p.Match.TouchpointId is null ? null : p.Match.Reason;
            values.MatchConfidence = p.Match.Confidence;
            values.MatchedAt = now;
            return p.Id;
        }, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static async Task<MatcherBasis> ReadBasisAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var version = await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => m.Version).FirstOrDefaultAsync(ct);
        var confirmations = Confirmations(db, mapId);
        return new MatcherBasis(version, await confirmations.CountAsync(ct), await confirmations.MaxAsync(f => f.MatchedAt, ct));
    }

    /// <summary>The map's items a person placed: what a matcher learns from.</summary>
    private static IQueryable<FeedbackItem> Confirmations(JourneyFeedbackDb db, Guid mapId) =>
        db.FeedbackItems.AsNoTracking().Where(f => f.MapId == mapId && f.MatchReason == MatchReasons.Manual);

    /// <summary>
    /// The map's semantic matcher, rebuilt when the map changed or its confirmations did (their count or newest, read
    /// from a partial index), so a confirmation on any instance reaches the next placement; with
    /// <paramref name="adaptToItems"/>, also when the map's embedded items grew by a fifth since it adapted to them.
    /// </summary>
    private async Task<(SemanticMatcher? Matcher, MatcherBasis Basis)> MatcherAsync(JourneyFeedbackDb db, Guid mapId, bool adaptToItems, CancellationToken ct)
    {
        var basis = await ReadBasisAsync(db, mapId, ct);
        var pool = adaptToItems ? await db.ItemEmbeddings.CountAsync(e => e.MapId == mapId, ct) : 0;
        if (_matchers.TryGetValue(mapId, out var cached) && cached.Basis == basis && (!adaptToItems || pool <= cached.Pool * 1.2 + 10))
            return (cached.Matcher, basis);

        var touchpoints = await MatcherCache.TouchpointsAsync(db, mapId, ct);
        if (touchpoints.Count == 0) return (null, basis);
        var confirmed = await Confirmations(db, mapId).Where(f => f.TouchpointId != null)
            .OrderByDescending(f => f.MatchedAt).Take(matching.Value.MaxExamples)
            .Select(f => new { f.Id, TouchpointId = f.TouchpointId!.Value, f.Title, f.Text }).ToListAsync(ct);
        var ids = confirmed.Select(c => c.Id).ToList();
        var stored = await db.ItemEmbeddings.AsNoTracking().Where(e => ids.Contains(e.ItemId)).ToDictionaryAsync(e => e.ItemId, e => e.Vector, ct);
        var missing = confirmed.Where(c => !stored.ContainsKey(c.Id)).ToList();
        var encoded = missing.Count == 0 ? [] : await encoder.EmbedAsync(missing.Select(c => Encoder.TextOf(c.Title, c.Text)).ToList(), ct);
        var vectors = stored.ToDictionary(p => p.Key, p => Embedding.Unpack(p.Value));
        for (var i = 0; i < missing.Count; i++) vectors[missing[i].Id] = encoded[i];

        var examples = confirmed.Select(c => new EmbeddedExample(c.TouchpointId, Encoder.TextOf(c.Title, c.Text), vectors[c.Id])).ToList();
        var unlabelled = adaptToItems
            ? (await db.ItemEmbeddings.AsNoTracking().Where(e => e.MapId == mapId).OrderBy(e => e.ItemId).Select(e => e.Vector).ToListAsync(ct)).Select(v => Embedding.Unpack(v)).ToList()
            : null;
        var matcher = await LowPriorityThread.Run("semantic-matcher", () => new SemanticMatcher(touchpoints, examples, EmbedClauses, unlabelled: unlabelled));
        _matchers[mapId] = new CachedMatcher(basis, unlabelled?.Count ?? 0, matcher);
        return (matcher, basis);
    }

    private float[][] EmbedClauses(IReadOnlyList<string> clauses)
    {
        var missing = clauses.Where(c => !_clauses.ContainsKey(c)).Distinct().ToList();
        if (_clauses.Count + missing.Count > 20_000) _clauses.Clear();
        var embedded = encoder.Embedder.Embed(missing);
        for (var i = 0; i < missing.Count; i++) _clauses[missing[i]] = embedded[i];
        return clauses.Select(c => _clauses.TryGetValue(c, out var v) ? v : encoder.Embedder.Embed(c)).ToArray();
    }

}
