using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Analysis;

internal sealed class AnalysisOptions
{
    public const string Section = "Analysis";

    /// <summary>Folder with the model .zip files and manifests; default: Models/ next to the application.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Analyse imported rows in the import pipeline (off: items are analysed afterwards by the worker).</summary>
    public bool AnalyzeDuringImport { get; set; } = true;
    public int WorkerBatchSize { get; set; } = 200;
    public int WorkerPollSeconds { get; set; } = 2;

    /// <summary>The built-in training data retraining starts from; default: src/JourneyFeedback.Analysis/TrainingData above the app.</summary>
    public string? TrainingDataDirectory { get; set; }

    /// <summary>Caps each built-in training source for retraining (seeded sample); empty: all rows, as the committed models.</summary>
    public int? RetrainMaxRowsPerSource { get; set; }

    /// <summary>How much lower a retrained model may score on a held-out metric and still count as not worse.</summary>
    public double RetrainTolerance { get; set; } = ModelMetrics.DefaultTolerance;

    /// <summary>Example weight of a person's correction (built-in in-domain rows weigh 1, our own customer texts 2 for sentiment).</summary>
    public float RetrainCorrectionWeight { get; set; } = 2f;

    /// <summary>Example weight of a weak label from a rating or NPS score: noisier than a correction.</summary>
    public float RetrainWeakLabelWeight { get; set; } = 0.5f;

    /// <summary>At most this many weak labels per retrain, the newest, split evenly over negative / neutral / positive.</summary>
    public int RetrainMaxWeakLabels { get; set; } = 6000;
}

/// <summary>
/// Analyses every stored feedback item that has no analysis yet (survey comments, items queued for re-analysis),
/// in batches, so the request that stored them never waits for the models.
/// </summary>
internal sealed class AnalysisWorker(
    IServiceScopeFactory scopes, WriteActivity activity, WorkspaceAnalyzers analyzers, IOptions<AnalysisOptions> options, ILogger<AnalysisWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await AnalyzeNextBatch(stoppingToken) > 0) { }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Analysing stored feedback failed; retrying shortly");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, options.Value.WorkerPollSeconds)), stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    // Fields a person corrected keep the correction (CASE … THEN the stored value).
    private static readonly string UpdateSql =
        $"UPDATE \"FeedbackItems\" SET {string.Join(", ", FeedbackItemColumns.AnalysisResults.Select(c => c.KeptWhen is { } corrected
            ? $"\"{c.Name}\" = CASE WHEN \"{corrected}\" THEN \"{c.Name}\" ELSE {c.Parameter} END"
            : $"\"{c.Name}\" = {c.Parameter}"))} WHERE \"Id\" = @id";

    /// <summary>Analyses one batch; returns how many items it stored results for.</summary>
    internal async Task<int> AnalyzeNextBatch(CancellationToken ct)
    {
        // Background priority: answers and imports go first; the backlog is caught up in the quiet moments.
        if (!activity.QuietFor(TimeSpan.FromSeconds(1))) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var pending = await db.FeedbackItems.AsNoTracking().Where(f => f.AnalyzedAt == null)
            .OrderBy(f => f.Id).Take(Math.Max(1, options.Value.WorkerBatchSize))
            .Select(f => new { f.Id, f.WorkspaceId, f.Text, f.MapId }).ToListAsync(ct);
        if (pending.Count == 0) return 0;

        // One core, one text at a time: background analysis must not starve request handling (e.g. survey answers).
        // Each item is scored by its own workspace's models (a promoted retrained version or the committed default).
        var results = new List<StoredAnalysis>(pending.Count);
        foreach (var item in pending)
        {
            var models = await analyzers.ForWorkspaceAsync(item.WorkspaceId, ct);
            results.Add(StoredAnalysis.From(models.Analyzer.Analyze(item.Text)));
        }

        // A short write transaction with one prepared statement: the write lock is held for milliseconds.
        var now = DateTime.UtcNow;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            using var update = new PreparedCommand(db, connection, transaction, UpdateSql,
                [.. FeedbackItemColumns.AnalysisResults.Select(c => (c.Parameter, c.Type)), ("@id", typeof(Guid))]);
            var values = new FeedbackItem { Kind = "", Text = "" };
            for (var i = 0; i < pending.Count; i++)
            {
                StoredAnalysis.Apply(results[i], values, now);
                await update.ExecuteAsync(ct, FeedbackItemColumns.Values(FeedbackItemColumns.AnalysisResults, values, pending[i].Id));
            }
            await EvidenceChanges.BumpAsync(db, connection, transaction, pending.Where(p => p.MapId != null).Select(p => p.MapId!.Value), ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return pending.Count;
    }
}
