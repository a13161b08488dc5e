using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using JourneyFeedback.Api.Webhooks;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Matches items on a map that the matcher has not seen: survey comments of surveys tied to a map but not to a
/// touchpoint, items queued again by a rematch, imported rows stored before their map's matcher existed.
/// Imports match their rows in the import pipeline itself; this worker is the catch-up path.
/// </summary>
internal sealed class MatchingWorker(
    IServiceScopeFactory scopes, MatcherCache matchers, IOptions<MatchingOptions> options, WebhookOutbox webhooks, IOptions<WebhooksOptions> webhookOptions,
    ILogger<MatchingWorker> logger)
    : BatchWorker(logger, "Matching feedback to touchpoints failed; retrying shortly")
{
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(Math.Max(1, options.Value.WorkerPollSeconds));
    protected override Task<int> NextBatchAsync(CancellationToken ct) => MatchNextBatch(ct);

    internal static readonly string UpdateSql =
        $"UPDATE \"FeedbackItems\" SET {FeedbackItemColumns.Set(FeedbackItemColumns.Match)} " +
        "WHERE \"Id\" = @id AND \"MatchedAt\" IS NULL";

    internal async Task<int> MatchNextBatch(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        await RequeueTaughtInboxesAsync(db, ct);
        var pending = await db.FeedbackItems.AsNoTracking().Where(f => f.MatchedAt == null && f.MapId != null)
            .OrderBy(f => f.Id).Take(Math.Max(1, options.Value.WorkerBatchSize))
            .Select(f => new { f.Id, MapId = f.MapId!.Value, f.Text, f.Title, f.Channel, f.Source, f.TouchpointId, f.MatchReason })
            .ToListAsync(ct);
        if (pending.Count == 0) return 0;

        var results = new List<(Guid Id, Guid? TouchpointId, string? Reason, double Confidence)>(pending.Count);
        foreach (var group in pending.GroupBy(p => p.MapId))
        {
            var matcher = await matchers.GetAsync(db, group.Key, ct);
            foreach (var item in group)
            {
                // What a person or the survey decided stands; the map may be gone (its items then stay unassigned).
                if (item.MatchReason is MatchReasons.Manual or MatchReasons.Survey && item.TouchpointId is not null)
                    results.Add((item.Id, item.TouchpointId, item.MatchReason, 1));
                else if (matcher is null)
                    results.Add((item.Id, null, null, 0));
                else
                {
                    var match = matcher.Match(new MatchInput(item.Text, item.Channel, item.Source, item.Title));
                    results.Add((item.Id, match.TouchpointId, match.Reason, match.Confidence));
                }
            }
        }

        var now = DateTime.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await FeedbackItemColumns.UpdateEachAsync(db, UpdateSql, FeedbackItemColumns.Match, results, pending.Select(p => (Guid?)p.MapId), (r, values) =>
        {
            values.TouchpointId = r.TouchpointId;
            values.MatchReason = r.Reason;
            values.MatchConfidence = r.Confidence;
            values.MatchedAt = now;
            return r.Id;
        }, ct);
        // Items that went to an inbox may have grown it past the threshold: map.inbox.grew, in this transaction.
        var mapOf = pending.ToDictionary(p => p.Id, p => p.MapId);
        var events = await MapInboxWatch.CheckAsync(db, results.Where(r => r.TouchpointId is null).Select(r => mapOf[r.Id]),
            webhookOptions.Value.InboxThreshold, Data.Timestamps.Now(), ct);
        var deliveries = await webhooks.WriteAsync(db, events, ct);
        await transaction.CommitAsync(ct);
        webhooks.Committed(deliveries);
        return pending.Count;
    }

    /// <summary>The newest confirmation per map whose inbox was found fully requeued for it (a memo: the database decides).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTime> _inboxRequeuedFor = new();

    /// <summary>
    /// The part of a map's inbox that a re-assignment did not requeue itself (it takes the first chunk): items judged
    /// before the map's newest confirmation, a chunk per map and per round, each in its own short transaction.
    /// </summary>
    private async Task RequeueTaughtInboxesAsync(JourneyFeedbackDb db, CancellationToken ct)
    {
        var newest = await db.FeedbackItems.AsNoTracking()
            .Where(f => f.MapId != null && f.MatchReason == MatchReasons.Manual && f.MatchedAt != null)
            .GroupBy(f => f.MapId!.Value).Select(g => new { MapId = g.Key, Newest = g.Max(f => f.MatchedAt!.Value) })
            .ToListAsync(ct);
        foreach (var map in newest.OrderBy(m => m.MapId))
        {
            if (_inboxRequeuedFor.TryGetValue(map.MapId, out var done) && done == map.Newest) continue;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var requeued = await MatchQueue.RequeueInboxAsync(db, map.MapId, map.Newest, ct);
            await transaction.CommitAsync(ct);
            if (requeued < MatchQueue.RequeueChunk) _inboxRequeuedFor[map.MapId] = map.Newest;
        }
    }
}
