using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// <c>map.inbox.grew</c>: checked in the transaction that may have put items in a map's inbox (an import's end, a
/// matching batch). It fires when the unassigned count reaches Webhooks:InboxThreshold and <c>Maps.InboxNotifiedAt</c>
/// is empty (a conditional update: one instance wins), and is re-armed when a later check finds the inbox below it.
/// </summary>
internal static class MapInboxWatch
{
    public static async Task<List<OutboxEvent>> CheckAsync(JourneyFeedbackDb db, IEnumerable<Guid> mapIds, int threshold, DateTime now, CancellationToken ct)
    {
        var events = new List<OutboxEvent>();
        foreach (var mapId in mapIds.Distinct().Order())
        {
            if (await RearmAsync(db, mapId, threshold, ct)) continue;
            // The inbox as GET /api/maps/{id}/unassigned counts it: looked at by the matcher, on no touchpoint.
            var unassigned = await db.FeedbackItems.CountAsync(f => f.MapId == mapId && f.TouchpointId == null && f.MatchedAt != null, ct);
            if (unassigned < threshold) continue;
            if (await db.Maps.Where(m => m.Id == mapId && m.InboxNotifiedAt == null).ExecuteUpdateAsync(u => u.SetProperty(m => m.InboxNotifiedAt, now), ct) == 0)
                continue;
            var map = await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => new { m.WorkspaceId, m.Name }).FirstAsync(ct);
            var links = new Dictionary<string, string> { ["inbox"] = $"/api/maps/{mapId}/unassigned", ["map"] = $"/api/maps/{mapId}" };
            events.Add(new OutboxEvent(map.WorkspaceId, WebhookEventTypes.MapInboxGrew, WebhookSeverity.Medium, now,
                new InboxGrewData(mapId, map.Name, unassigned, threshold, links), MapId: mapId));
        }
        return events;
    }

    /// <summary>
    /// Re-arms the map when its inbox is below the threshold; true when it is. Items waiting to be matched (again) count
    /// as in the inbox: a correction requeues the inbox (in chunks), and a check between the worker's batches must not see an
    /// inbox that only looks small (it would re-arm, and the next batch would report the same inbox again). Also called
    /// when a person assigns an item, so an inbox emptied by hand is re-armed without waiting for a matching batch.
    /// </summary>
    public static async Task<bool> RearmAsync(JourneyFeedbackDb db, Guid mapId, int threshold, CancellationToken ct)
    {
        if (await db.FeedbackItems.CountAsync(f => f.MapId == mapId && f.TouchpointId == null, ct) >= threshold) return false;
        await db.Maps.Where(m => m.Id == mapId && m.InboxNotifiedAt != null).ExecuteUpdateAsync(u => u.SetProperty(m => m.InboxNotifiedAt, (DateTime?)null), ct);
        return true;
    }
}
