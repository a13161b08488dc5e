using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// PostgreSQL: finding and claiming the next import is one statement. <c>FOR UPDATE SKIP LOCKED</c> makes instances that
/// look at the same moment pass over a row another one is claiming instead of queueing behind it; a row updated by a
/// transaction that committed meanwhile is re-checked against the condition, so it is never claimed twice.
/// </summary>
internal static class PostgresImportClaim
{
    public static async Task<(bool Found, Guid? Claimed)> ClaimNextAsync(
        JourneyFeedbackDb db, string instance, DateTime now, DateTime staleBefore, CancellationToken ct)
    {
        var claimed = await db.Database.SqlQuery<Guid>($"""
            UPDATE "Imports" SET "Status" = {ImportStatus.Running}, "ClaimedBy" = {instance}, "HeartbeatAt" = {now},
                "StartedAt" = COALESCE("StartedAt", {now})
            WHERE "Id" = (
                SELECT "Id" FROM "Imports"
                WHERE "Status" = {ImportStatus.Queued} OR ("Status" = {ImportStatus.Running} AND "HeartbeatAt" < {staleBefore})
                ORDER BY "CreatedAt"
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """).ToListAsync(ct);
        // Nothing claimable, or only rows another instance is claiming right now (it will run them).
        return claimed.Count == 1 ? (true, claimed[0]) : (false, null);
    }
}
