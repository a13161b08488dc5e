using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.AnalysisModels;

/// <summary>
/// Analyses every stored feedback item that has no analysis yet (survey comments, items queued for re-analysis),
/// in batches, so the request that stored them never waits for the models.
/// </summary>
internal sealed class AnalysisWorker(
    IServiceScopeFactory scopes, WriteActivity activity, WorkspaceAnalyzers analyzers, IOptions<AnalysisOptions> options, ILogger<AnalysisWorker> logger)
    : BatchWorker(logger, "Analysing stored feedback failed; retrying shortly")
{
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(Math.Max(1, options.Value.WorkerPollSeconds));
    protected override Task<int> NextBatchAsync(CancellationToken ct) => AnalyzeNextBatch(ct);

    // Fields a person corrected keep the correction (CASE … THEN the stored value).
    internal static readonly string UpdateSql =
        $"UPDATE \"FeedbackItems\" SET {FeedbackItemColumns.Set(FeedbackItemColumns.AnalysisResults, c => c.KeptWhen is { } corrected
            ? $"CASE WHEN \"{corrected}\" THEN \"{c.Name}\" ELSE {c.Parameter} END"
            : c.Parameter)} WHERE \"Id\" = @id";

    /// <summary>Analyses one batch; returns how many items it stored results for.</summary>
    internal async Task<int> AnalyzeNextBatch(CancellationToken ct)
    {
        // Background priority: answers and imports go first; the backlog is caught up in the quiet moments.
        if (!activity.QuietFor(TimeSpan.FromSeconds(1))) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var pending = await db.FeedbackItems.AsNoTracking().Where(f => f.AnalyzedAt == null)
            .OrderBy(f => f.Id).Take(Math.Max(1, options.Value.WorkerBatchSize))
            .Select(f => new { f.Id, f.WorkspaceId, f.Text, f.MapId, f.Language }).ToListAsync(ct);
        if (pending.Count == 0) return 0;

        // One core, one text at a time: background analysis must not starve request handling (e.g. survey answers).
        // Each item is scored by its own workspace's models (a promoted retrained version or the committed default).
        var results = new List<StoredAnalysis>(pending.Count);
        foreach (var item in pending)
        {
            var models = await analyzers.ForWorkspaceAsync(item.WorkspaceId, ct);
            results.Add(StoredAnalysis.From(models.Analyzer.Analyze(item.Text, item.Language)));
        }

        var now = DateTime.UtcNow;
        await FeedbackItemColumns.UpdateEachAsync(db, UpdateSql, FeedbackItemColumns.AnalysisResults,
            Enumerable.Range(0, pending.Count), pending.Select(p => p.MapId), (i, values) =>
            {
                StoredAnalysis.Apply(results[i], values, now);
                return pending[i].Id;
            }, ct);
        return pending.Count;
    }
}
