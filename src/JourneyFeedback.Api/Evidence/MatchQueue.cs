using System.Linq.Expressions;
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
    /// <summary>Every guess on the map: after the map's touchpoints changed (rematch). Returns how many are queued.</summary>
    public static async Task<int> RequeueGuessesAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var queued = await RequeueAllAsync(db, mapId,
            f => f.MatchReason == null || (f.MatchReason != MatchReasons.Manual && f.MatchReason != MatchReasons.Survey), ct);
        await RequeueEmbeddedAsync(db, mapId, ct);
        return queued;
    }

    /// <summary>
    /// Up to <see cref="RequeueChunk"/> items of the map's inbox that the matcher judged before
    /// <paramref name="judgedBefore"/> (the map's newest confirmation): matched again with what it taught. Inside the
    /// caller's transaction. A re-assignment requeues the first chunk itself and the matching worker the rest.
    /// </summary>
    public static Task<int> RequeueInboxAsync(JourneyFeedbackDb db, Guid mapId, DateTime judgedBefore, CancellationToken ct) =>
        RequeueChunkAsync(db, mapId, f => f.TouchpointId == null, judgedBefore, RequeueChunk, ct);

    public const int RequeueChunk = 500;

    /// <summary>
    /// The map's items that <paramref name="which"/> selects, all of them (those queued already count as queued), a
    /// chunk per short transaction. Not inside a caller's transaction.
    /// </summary>
    public static async Task<int> RequeueAllAsync(JourneyFeedbackDb db, Guid mapId, Expression<Func<FeedbackItem, bool>> which, CancellationToken ct)
    {
        var queued = await db.FeedbackItems.Where(f => f.MapId == mapId && f.MatchedAt == null).Where(which).CountAsync(ct);
        // Items judged after this moment were judged by the matcher that already knows (the caller invalidated it).
        var before = DateTime.UtcNow;
        int chunk;
        do
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            chunk = await RequeueChunkAsync(db, mapId, which, before, BulkChunk, ct);
            await transaction.CommitAsync(ct);
            queued += chunk;
        } while (chunk == BulkChunk);
        return queued;
    }

    private const int BulkChunk = 5000;

    /// <summary>
    /// One chunk, in id order, of the map's items judged before <paramref name="judgedBefore"/> that
    /// <paramref name="which"/> selects, put back in the queue; the map is locked first. In chunks because one statement
    /// over a big map held the map's row lock for seconds (the trigger takes it), and every writer of the map waited:
    /// a correction's requeue of a 30,000-item inbox took 5–10 s in the PostgreSQL soak; rewriting all of a map's guesses
    /// row by row before taking the lock was a deadlock with the matching worker.
    /// </summary>
    private static async Task<int> RequeueChunkAsync(JourneyFeedbackDb db, Guid mapId, Expression<Func<FeedbackItem, bool>> which,
        DateTime judgedBefore, int limit, CancellationToken ct)
    {
        await EvidenceVersionTriggers.LockMapsAsync(db, [mapId], ct);
        return await db.FeedbackItems
            .Where(f => f.MapId == mapId && f.MatchedAt != null && f.MatchedAt < judgedBefore).Where(which)
            .OrderBy(f => f.Id).Take(limit)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.MatchedAt, (DateTime?)null), ct);
    }

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
