using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Uploads being received by this instance. Each one holds a request thread, a file handle and disk bandwidth for as long
/// as its client takes to send the body, so a handful of slow clients could otherwise starve everything else.
/// </summary>
internal sealed class UploadSlots(IOptions<ImportOptions> options)
{
    private int _inUse;

    public int Limit => options.Value.MaxConcurrentUploads;

    /// <summary>Takes a slot if one is free; the caller must <see cref="Release"/> it when the upload ends, however it ends.</summary>
    public bool TryTake()
    {
        while (true)
        {
            var inUse = Volatile.Read(ref _inUse);
            if (inUse >= Limit) return false;
            if (Interlocked.CompareExchange(ref _inUse, inUse + 1, inUse) == inUse) return true;
        }
    }

    public void Release() => Interlocked.Decrement(ref _inUse);
}

/// <summary>
/// The per-key limit on imports being processed (<see cref="ImportOptions.MaxConcurrentPerKey"/>), kept in the database so
/// it holds over every instance: an import may be claimed only while fewer of its key's imports are running with a live
/// heartbeat. A running import whose heartbeat went stale (its instance died) no longer counts, so it can be taken over.
/// </summary>
internal static class ImportKeyLimit
{
    public static IQueryable<Import> WithinKeyLimit(this IQueryable<Import> candidates, JourneyFeedbackDb db, int maxPerKey, DateTime staleBefore) =>
        candidates.Where(i => i.RequestedByKeyId == null || db.Imports.Count(r => r.RequestedByKeyId == i.RequestedByKeyId
            && r.Status == ImportStatus.Running && r.HeartbeatAt >= staleBefore) < maxPerKey);

    /// <summary>Where a queued import stands and why it waits; null for any other status.</summary>
    public static async Task<(int Position, string Reason)?> DescribeWaitAsync(
        JourneyFeedbackDb db, Import import, ImportOptions options, CancellationToken ct)
    {
        if (import.Status != ImportStatus.Queued) return null;
        var staleBefore = DateTime.UtcNow.AddSeconds(-Math.Max(1, options.StaleAfterSeconds));
        // Counted over every workspace (the workers serve them all), but only as a number.
        var ahead = await db.Imports.CountAsync(i => i.Status == ImportStatus.Queued && i.CreatedAt < import.CreatedAt, ct);
        var runningForKey = import.RequestedByKeyId is { } keyId
            ? await db.Imports.CountAsync(r => r.RequestedByKeyId == keyId && r.Status == ImportStatus.Running && r.HeartbeatAt >= staleBefore, ct)
            : 0;
        var reason = runningForKey >= options.MaxConcurrentPerKey
            ? $"{runningForKey} imports uploaded with the same API key are being processed and at most {options.MaxConcurrentPerKey} run at once " +
              "(Imports:MaxConcurrentPerKey); this one starts when one of them finishes."
            : ahead > 0
                ? $"{ahead} import(s) queued earlier go first; each instance processes one import at a time."
                : "Next in line: it starts as soon as a worker is free.";
        return (ahead + 1, reason);
    }
}
