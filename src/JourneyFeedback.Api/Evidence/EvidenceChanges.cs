using System.Data.Common;
using JourneyFeedback.Api.Data;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Marks maps whose evidence changed, inside the writer's own transaction, so cached insights are rebuilt exactly when
/// they are stale, on every API instance.
/// </summary>
internal static class EvidenceChanges
{
    public static async Task BumpAsync(JourneyFeedbackDb db, DbConnection connection, DbTransaction transaction, IEnumerable<Guid> mapIds, CancellationToken ct)
    {
        using var bump = new PreparedCommand(db, connection, transaction,
            """UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = @id""", ("@id", typeof(Guid)));
        // In id order: writers on several instances that bump the same maps lock them in the same order (no deadlock).
        foreach (var mapId in mapIds.Distinct().Order()) await bump.ExecuteAsync(ct, mapId);
    }
}
