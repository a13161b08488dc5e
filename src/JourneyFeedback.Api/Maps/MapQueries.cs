using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Maps;

/// <summary>Reads of maps that other features share (insights and suggestions read the same shape as the map endpoints).</summary>
internal static class MapQueries
{
    /// <summary>The workspace's map with its stages and their touchpoints; null when it is not there (or not this workspace's).</summary>
    /// <remarks>
    /// One statement: the collections are nested, so the join has one row per touchpoint (no cartesian product), and one
    /// statement reads one snapshot. Said explicitly, or EF Core warns about it on every map read.
    /// </remarks>
    public static Task<JourneyMap?> LoadMap(IQueryable<JourneyMap> maps, Guid workspaceId, Guid id, CancellationToken ct) =>
        maps.AsSingleQuery().Include(m => m.Stages).ThenInclude(s => s.Touchpoints)
            .FirstOrDefaultAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct);
}
