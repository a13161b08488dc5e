using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Analysis.Themes;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Semantic;

/// <summary>
/// Recomputes a map's pain-point themes by meaning (docs/insights.md, "Pain-point themes"): per touchpoint, the newest
/// negative items are embedded (vectors are kept) and grouped by <see cref="ThemeFinder"/>; older ones join the nearest
/// theme by their words. Themes keep their ids while their membership stays mostly the same. The themes, the items'
/// ThemeId and the map's ThemesEvidenceVersion are written in one transaction, and only if no other refresh claimed or
/// wrote the map since this one read the themes it builds on.
/// </summary>
internal sealed class ThemeRefresh(
    Encoder encoder, IOptions<SemanticOptions> options, WebhookOutbox webhooks, IOptions<WebhooksOptions> webhookOptions,
    Insights.MapEvidenceCache evidence, ILogger<ThemeRefresh> logger)
{
    private static readonly string[] NotPainPoints = [PainPointTaxonomy.None];

    private static readonly string SetThemeSql =
        $"UPDATE \"FeedbackItems\" SET {FeedbackItemColumns.Set(FeedbackItemColumns.Theme)} WHERE \"Id\" = @id";

    /// <summary>Refreshes the themes of one map whose evidence changed since its last refresh (at most every ThemeRefreshSeconds).</summary>
    public async Task<int> RefreshNextAsync(JourneyFeedbackDb db, CancellationToken ct)
    {
        var due = DateTime.UtcNow.AddSeconds(-options.Value.ThemeRefreshSeconds);
        var map = await db.Maps.AsNoTracking()
            .Where(m => m.EvidenceVersion != m.ThemesEvidenceVersion && (m.ThemesComputedAt == null || m.ThemesComputedAt < due))
            .OrderBy(m => m.ThemesComputedAt).ThenBy(m => m.Id).Select(m => new { m.Id, m.WorkspaceId }).FirstOrDefaultAsync(ct);
        if (map is null) return 0;
        // Claimed in the database, so two instances do not refresh the same map at once.
        var claimed = await db.Maps.Where(m => m.Id == map.Id && (m.ThemesComputedAt == null || m.ThemesComputedAt < due))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.ThemesComputedAt, DateTime.UtcNow), ct);
        return claimed == 0 ? 1 : await RefreshAsync(db, map.Id, map.WorkspaceId, ct);
    }

    private sealed record Negative(Guid Id, Guid TouchpointId, string Text, string? Title, string? PainPoint, Guid? ThemeId, DateTime OccurredAt);

    public async Task<int> RefreshAsync(JourneyFeedbackDb db, Guid mapId, Guid workspaceId, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        // What the write below checks: another refresh that claimed the map meanwhile (another instance's, after this claim
        // went stale) or wrote it moved it, and this one's result, computed from the themes before that, would clash with
        // that refresh's new themes (same members: same ids, a failed commit; other members: a second theme of one name).
        if (await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => new { m.ThemesComputedAt }).FirstOrDefaultAsync(ct) is not { } claim)
            return 0;
        var negatives = await db.FeedbackItems.AsNoTracking()
            .Where(f => f.MapId == mapId && f.TouchpointId != null && f.Sentiment == SentimentLabels.Negative && !f.LowConfidence
                && f.PainPoint != null && !NotPainPoints.Contains(f.PainPoint))
            .Select(f => new Negative(f.Id, f.TouchpointId!.Value, f.Text, f.Title, f.PainPoint, f.ThemeId, f.OccurredAt))
            .ToListAsync(ct);
        var previous = await db.Themes.AsNoTracking().Where(t => t.MapId == mapId).ToListAsync(ct);
        var finder = new ThemeFinder(encoder.Embedder);
        var found = new List<(Guid TouchpointId, FoundTheme Theme)>();
        var membership = new Dictionary<Guid, Guid>();

        foreach (var touchpoint in negatives.GroupBy(n => n.TouchpointId).OrderBy(g => g.Key))
        {
            var newest = touchpoint.OrderByDescending(n => n.OccurredAt).ThenBy(n => n.Id).Take(options.Value.MaxThemeItemsPerTouchpoint).ToList();
            var vectors = await VectorsAsync(db, mapId, newest, ct);
            var items = newest.Select(n => new ThemeItem(n.Id, Text(n), vectors[n.Id], n.PainPoint)).ToList();
            var textOf = items.ToDictionary(i => i.Id, i => i.Text);
            var known = previous.Where(t => t.TouchpointId == touchpoint.Key)
                .Select(t => new KnownTheme(t.Id, t.Name, Embedding.Unpack(t.Centroid), touchpoint.Where(n => n.ThemeId == t.Id).Select(n => n.Id).ToList()))
                .ToList();
            var themes = await Hosting.LowPriorityThread.Run("theme-finder", () => finder.Find(items, known, ct));
            foreach (var theme in themes)
            {
                found.Add((touchpoint.Key, theme));
                foreach (var member in theme.Members) membership[member] = theme.Id;
            }

            // Older items join the theme whose members' words they share most (the lexical matcher, with themes as its
            // "touchpoints" and members as examples); too weak a match leaves them out of every theme.
            var grouped = newest.Select(n => n.Id).ToHashSet();
            var older = touchpoint.Where(n => !grouped.Contains(n.Id)).ToList();
            if (themes.Count == 0 || older.Count == 0) continue;
            var byWords = new TouchpointMatcher(themes.Select(t => new TouchpointDescriptor(t.Id, t.Name, Keywords: t.Phrases)),
                themes.SelectMany(t => t.Members.Select(m => new MatchExample(t.Id, textOf[m]))));
            foreach (var item in older)
                if (byWords.Match(new MatchInput(Text(item))) is { TouchpointId: { } theme }) membership[item.Id] = theme;
        }

        var now = DateTime.UtcNow;
        var changed = negatives.Where(n => membership.GetValueOrDefault(n.Id) is var theme && (theme == Guid.Empty ? n.ThemeId is not null : n.ThemeId != theme)).ToList();
        var stale = await db.FeedbackItems.AsNoTracking()
            .Where(f => f.MapId == mapId && f.ThemeId != null).Select(f => f.Id).ToListAsync(ct);
        var changedIds = changed.Select(c => c.Id).ToHashSet();
        var leaving = stale.Where(id => !membership.ContainsKey(id) && !changedIds.Contains(id)).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await EvidenceVersionTriggers.LockMapsAsync(db, [mapId], ct); // PostgreSQL: waits for a refresh of this map still writing
        if (await db.Maps.Where(m => m.Id == mapId).Select(m => m.ThemesComputedAt).FirstOrDefaultAsync(ct) != claim.ThemesComputedAt)
        {
            logger.LogInformation("Map {MapId}: another theme refresh claimed or wrote the map while this one computed; its result is dropped", mapId);
            return 1;
        }
        var keep = found.Select(f => f.Theme.Id).ToHashSet();
        var removedIds = previous.Where(p => !keep.Contains(p.Id)).Select(p => p.Id).ToList();
        await db.Themes.Where(t => removedIds.Contains(t.Id)).ExecuteDeleteAsync(ct);
        var previousById = previous.ToDictionary(p => p.Id);
        foreach (var (touchpointId, theme) in found)
        {
            var count = membership.Count(m => m.Value == theme.Id);
            if (previousById.TryGetValue(theme.Id, out var existing))
            {
                db.Themes.Attach(existing);
                existing.Name = theme.Name;
                existing.Category = theme.Category;
                existing.Phrases = [.. theme.Phrases];
                existing.Centroid = Embedding.Pack(theme.Centroid);
                existing.Items = count;
                existing.ComputedAt = now;
            }
            else
            {
                db.Themes.Add(new Theme
                {
                    Id = theme.Id, WorkspaceId = workspaceId, MapId = mapId, TouchpointId = touchpointId, Name = theme.Name, Category = theme.Category,
                    Phrases = [.. theme.Phrases], Centroid = Embedding.Pack(theme.Centroid), Items = count, ComputedAt = now, CreatedAt = now,
                });
            }
        }
        var alerts = await PainPointEventsAsync(db, mapId, workspaceId, found, membership, negatives, previousById, now, ct);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var updates = changed.Select(n => (n.Id, Theme: membership.TryGetValue(n.Id, out var t) ? t : (Guid?)null))
            .Concat(leaving.Select(id => (Id: id, Theme: (Guid?)null))).ToList();
        await FeedbackItemColumns.UpdateEachAsync(db, SetThemeSql, FeedbackItemColumns.Theme, updates, [mapId], (u, values) =>
        {
            values.ThemeId = u.Theme;
            return u.Id;
        }, ct);
        // After the item updates (their triggers bumped EvidenceVersion): the themes are current as of that version.
        await db.Maps.Where(m => m.Id == mapId)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.ThemesEvidenceVersion, m => m.EvidenceVersion).SetProperty(m => m.ThemesComputedAt, now), ct);
        var deliveries = await webhooks.WriteAsync(db, alerts, ct);
        await transaction.CommitAsync(ct);
        webhooks.Committed(deliveries);
        evidence.CatchUpHeld(mapId); // the regrouped items reach the map's snapshot now, not when someone next reads it

        logger.LogInformation("Map {MapId}: {Themes} pain-point themes over {Items} negative items ({Changed} items moved) in {Seconds:F1} s",
            mapId, found.Count, negatives.Count, updates.Count, (DateTime.UtcNow - started).TotalSeconds);
        return Math.Max(1, found.Count);
    }

    /// <summary>
    /// <c>painpoint.emerged</c> and <c>painpoint.spiked</c> for this refresh's themes (<see cref="PainPointAlerts"/>); the
    /// themes tracked for saving are stamped, so a theme emerges once and spikes at most once per period.
    /// </summary>
    private async Task<List<OutboxEvent>> PainPointEventsAsync(JourneyFeedbackDb db, Guid mapId, Guid workspaceId,
        List<(Guid TouchpointId, FoundTheme Theme)> found, Dictionary<Guid, Guid> membership, List<Negative> negatives,
        Dictionary<Guid, Theme> previousById, DateTime now, CancellationToken ct)
    {
        var o = webhookOptions.Value;
        var period = TimeSpan.FromDays(o.PainPointPeriodDays);
        var (currentStart, previousStart) = (now - period, now - 2 * period);
        var itemsOf = negatives.Where(n => membership.ContainsKey(n.Id)).ToLookup(n => membership[n.Id]);
        var counts = found.Select(f => f.Theme.Id).Distinct().Select(id => new PainPointAlerts.ThemeCounts(id,
            itemsOf[id].Count(n => n.OccurredAt >= currentStart && n.OccurredAt <= now),
            itemsOf[id].Count(n => n.OccurredAt >= previousStart && n.OccurredAt < currentStart),
            itemsOf[id].Any(n => n.OccurredAt < previousStart))).ToList();
        var tracked = db.ChangeTracker.Entries<Theme>().Select(e => e.Entity).ToDictionary(t => t.Id);
        // A theme found under a new id whose items mostly belonged to one earlier theme is that theme re-formed: it keeps
        // the earlier one's notices, so it does not emerge (or spike) a second time.
        foreach (var theme in tracked.Values.Where(t => !previousById.ContainsKey(t.Id)))
        {
            var before = itemsOf[theme.Id].Where(n => n.ThemeId is not null).GroupBy(n => n.ThemeId!.Value).MaxBy(g => g.Count());
            if (before is null || before.Count() * 2 < itemsOf[theme.Id].Count() || !previousById.TryGetValue(before.Key, out var earlier)) continue;
            theme.EmergedNotifiedAt ??= earlier.EmergedNotifiedAt;
            theme.SpikeNotifiedAt ??= earlier.SpikeNotifiedAt;
        }
        var alerts = PainPointAlerts.Find(counts, o.PainPointMinItems, o.SpikeAlpha);
        if (alerts.Count == 0) return [];

        var map = await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => m.Name).FirstAsync(ct);
        var touchpoints = await db.Touchpoints.AsNoTracking().Where(t => t.MapId == mapId).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var countOf = counts.ToDictionary(c => c.ThemeId);
        var events = new List<OutboxEvent>();
        foreach (var alert in alerts)
        {
            var theme = tracked[alert.ThemeId];
            var emerged = alert.Type == WebhookEventTypes.PainPointEmerged;
            if (emerged ? theme.EmergedNotifiedAt is not null : theme.SpikeNotifiedAt > currentStart) continue;
            if (emerged) theme.EmergedNotifiedAt = now;
            else theme.SpikeNotifiedAt = now;
            var quotes = itemsOf[alert.ThemeId].Where(n => n.OccurredAt >= currentStart).OrderByDescending(n => n.OccurredAt).Take(3)
                .Select(n => WebhookBody.Shorten(n.Text, 300)).ToList();
            var links = new Dictionary<string, string>
            {
                ["insights"] = $"/api/maps/{mapId}/insights",
                ["evidence"] = $"/api/maps/{mapId}/touchpoints/{theme.TouchpointId}/evidence?sentiment=negative&from={currentStart:yyyy-MM-dd}",
            };
            var c = countOf[alert.ThemeId];
            var data = new PainPointData(theme.Id, theme.Name, theme.Category, mapId, map, theme.TouchpointId, touchpoints.GetValueOrDefault(theme.TouchpointId, ""),
                c.Current, c.Previous, currentStart, now, alert.PValue, quotes, links);
            events.Add(new OutboxEvent(workspaceId, alert.Type, emerged ? WebhookSeverity.Medium : WebhookSeverity.High, now, data,
                MapId: mapId, TouchpointId: theme.TouchpointId));
        }
        return events;
    }

    /// <summary>The items' stored vectors; the missing ones are embedded and stored (to be placed by the semantic matcher too).</summary>
    private async Task<Dictionary<Guid, float[]>> VectorsAsync(JourneyFeedbackDb db, Guid mapId, List<Negative> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        var vectors = (await db.ItemEmbeddings.AsNoTracking().Where(e => ids.Contains(e.ItemId)).Select(e => new { e.ItemId, e.Vector }).ToListAsync(ct))
            .ToDictionary(e => e.ItemId, e => Embedding.Unpack(e.Vector));
        var missing = items.Where(i => !vectors.ContainsKey(i.Id)).ToList();
        if (missing.Count == 0) return vectors;
        var encoded = await encoder.EmbedAsync(missing.Select(Text).ToList(), ct);
        for (var i = 0; i < missing.Count; i++) vectors[missing[i].Id] = encoded[i];
        db.ItemEmbeddings.AddRange(missing.Select((m, i) => new ItemEmbedding { ItemId = m.Id, MapId = mapId, Vector = Embedding.Pack(encoded[i]) }));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return vectors;
    }

    private static string Text(Negative n) => Encoder.TextOf(n.Title, n.Text);
}
