using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>What happens to feedback items when the map or touchpoints they sit on are deleted; the items themselves always stay.</summary>
internal static class EvidenceDetach
{
    /// <summary>The map's items are the customers' feedback: they stay, just no longer on a map.</summary>
    public static Task<int> FromMapAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct) =>
        db.FeedbackItems.Where(f => f.MapId == mapId).ExecuteUpdateAsync(u => u
            .SetProperty(f => f.MapId, (Guid?)null).SetProperty(f => f.TouchpointId, (Guid?)null)
            .SetProperty(f => f.MatchReason, (string?)null).SetProperty(f => f.MatchConfidence, (double?)null), ct);

    /// <summary>
    /// Items of removed touchpoints stay on the map and go back to the matcher's queue, so they land on what the map has
    /// now. In the map edit's transaction, which has locked the map already.
    /// </summary>
    public static Task<int> FromTouchpointsAsync(JourneyFeedbackDb db, Guid mapId, IReadOnlyCollection<Guid> touchpointIds, CancellationToken ct)
    {
        var removed = touchpointIds.Select(t => (Guid?)t).ToList();
        return db.FeedbackItems.Where(f => f.MapId == mapId && removed.Contains(f.TouchpointId)).ExecuteUpdateAsync(u => u
            .SetProperty(f => f.TouchpointId, (Guid?)null).SetProperty(f => f.MatchReason, (string?)null)
            .SetProperty(f => f.MatchConfidence, (double?)null).SetProperty(f => f.MatchedAt, (DateTime?)null), ct);
    }
}
