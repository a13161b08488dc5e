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
    /// <summary>Held by every claim for its transaction; only claims wait for it, and a claim takes milliseconds.</summary>
    private const long ClaimLock = 7318204455012345002;

    public static async Task<(bool Found, Guid? Claimed)> ClaimNextAsync(
        JourneyFeedbackDb db, string instance, DateTime now, DateTime staleBefore, int maxPerKey, CancellationToken ct)
    {
        // Two instances claiming two imports of one key at the same moment would each count the key's running imports
        // without the other's claim (read committed) and together pass the limit; one claim at a time, each statement
        // sees every earlier claim committed.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ClaimLock})", ct);
        var claimed = await db.Database.SqlQuery<Guid>($"""
            UPDATE "Imports" SET "Status" = {ImportStatus.Running}, "ClaimedBy" = {instance}, "HeartbeatAt" = {now},
                "StartedAt" = COALESCE("StartedAt", {now})
            WHERE "Id" = (
                SELECT c."Id" FROM "Imports" c
                WHERE (c."Status" = {ImportStatus.Queued} OR (c."Status" = {ImportStatus.Running} AND c."HeartbeatAt" < {staleBefore}))
                  AND (c."RequestedByKeyId" IS NULL OR (
                      SELECT count(*) FROM "Imports" r
                      WHERE r."RequestedByKeyId" = c."RequestedByKeyId" AND r."Status" = {ImportStatus.Running}
                        AND r."HeartbeatAt" >= {staleBefore}) < {maxPerKey})
                ORDER BY c."CreatedAt"
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """).ToListAsync(ct);
        await transaction.CommitAsync(ct);
        // Nothing claimable, or only rows another instance is claiming right now (it will run them).
        return claimed.Count == 1 ? (true, claimed[0]) : (false, null);
    }
}
