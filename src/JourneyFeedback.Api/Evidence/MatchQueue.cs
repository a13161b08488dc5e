using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Puts a map's items back in the matching worker's queue (MatchedAt = null) after what the matcher knows has changed.
/// What a person or a survey decided is not a guess and is never queued.
/// </summary>
internal static class MatchQueue
{
    /// <summary>Every guess on the map: after the map's touchpoints changed (rematch). Inside the caller's transaction.</summary>
    public static async Task<int> RequeueGuessesAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        await EvidenceVersionTriggers.LockMapsAsync(db, [mapId], ct);
        var queued = await db.FeedbackItems
            .Where(f => f.MapId == mapId && (f.MatchReason == null || (f.MatchReason != MatchReasons.Manual && f.MatchReason != MatchReasons.Survey)))
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.MatchedAt, (DateTime?)null), ct);
        await RequeueEmbeddedAsync(db, mapId, ct);
        return queued;
    }

    /// <summary>
    /// Up to <see cref="RequeueChunk"/> items of the map's inbox that the matcher judged before
    /// <paramref name="judgedBefore"/> (the map's newest confirmation), in id order: matched again with what it taught.
    /// Inside the caller's transaction. A re-assignment requeues the first chunk itself and the matching worker the
    /// rest, a chunk per transaction: one statement over a big inbox held the map's row lock for 5–10 s under load
    /// (the PostgreSQL soak, 30,000 items in the inbox), and every writer of the map (answers, imports, workers) waited.
    /// </summary>
    public static async Task<int> RequeueInboxAsync(JourneyFeedbackDb db, Guid mapId, DateTime judgedBefore, CancellationToken ct)
    {
        await EvidenceVersionTriggers.LockMapsAsync(db, [mapId], ct);
        return await db.FeedbackItems
            .Where(f => f.MapId == mapId && f.TouchpointId == null && f.MatchedAt != null && f.MatchedAt < judgedBefore)
            .OrderBy(f => f.Id).Take(RequeueChunk)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.MatchedAt, (DateTime?)null), ct);
    }

    public const int RequeueChunk = 500;

    /// <summary>
    /// Taken first in a transaction that changes what a map's matchers learn from (a confirmation), and by the semantic
    /// tier's write before it checks that its matcher is still current. Without it, on PostgreSQL, a confirmation
    /// committed between that check and the write's commit would requeue nothing (the write's rows are not yet visible
    /// to it) and its lesson would not reach the items being placed. SQLite: nothing to do, its write lock already
    /// serialises the two. Released when the transaction ends.
    /// </summary>
    public static async Task LockMapAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is not Npgsql.NpgsqlConnection) return;
        var bytes = mapId.ToByteArray();
        var key = BitConverter.ToInt32(bytes, 0) ^ BitConverter.ToInt32(bytes, 4) ^ BitConverter.ToInt32(bytes, 8) ^ BitConverter.ToInt32(bytes, 12);
        // The two-key form has its own key space, apart from the single-key locks of start-up and import claims.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MapLockClass}, {key})", ct);
    }

    private const int MapLockClass = 731820;

    /// <summary>
    /// The items the semantic tier embedded: placed again by its matcher (their vectors are stored, so this costs no
    /// encoding), which learns every confirmation at once. At most the tier's budget per map (5,000 by default).
    /// </summary>
    public static Task<int> RequeueEmbeddedAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct) =>
        db.ItemEmbeddings.Where(e => e.MapId == mapId && e.JudgedAt != null)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.JudgedAt, (DateTime?)null), ct);
}
