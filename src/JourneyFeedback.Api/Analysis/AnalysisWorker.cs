using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Api.Data;
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
    public int WorkerBatchSize { get; set; } = 500;
    public int WorkerPollSeconds { get; set; } = 2;
}

/// <summary>
/// Analyses every stored feedback item that has no analysis yet (survey comments, items queued for re-analysis),
/// in batches, so the request that stored them never waits for the models.
/// </summary>
internal sealed class AnalysisWorker(IServiceScopeFactory scopes, IOptions<AnalysisOptions> options, ILogger<AnalysisWorker> logger)
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

    /// <summary>Analyses one batch; returns how many items it stored results for.</summary>
    internal async Task<int> AnalyzeNextBatch(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var pending = await db.FeedbackItems.AsNoTracking().Where(f => f.AnalyzedAt == null)
            .OrderBy(f => f.Id).Take(Math.Max(1, options.Value.WorkerBatchSize))
            .Select(f => new { f.Id, f.Text }).ToListAsync(ct);
        if (pending.Count == 0) return 0;

        var analyzer = scope.ServiceProvider.GetRequiredService<FeedbackAnalyzer>();
        var results = analyzer.Analyze(pending.Select(p => p.Text).ToList());
        var now = DateTime.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < pending.Count; i++)
        {
            var id = pending[i].Id;
            var a = StoredAnalysis.From(results[i]);
            await db.FeedbackItems.Where(f => f.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.Sentiment, a.Sentiment)
                .SetProperty(f => f.SentimentNegative, a.Negative)
                .SetProperty(f => f.SentimentNeutral, a.Neutral)
                .SetProperty(f => f.SentimentPositive, a.Positive)
                .SetProperty(f => f.Emotions, a.Emotions)
                .SetProperty(f => f.PainPoint, a.PainPoint)
                .SetProperty(f => f.PainPoints, a.PainPoints)
                .SetProperty(f => f.KeyPhrases, a.KeyPhrases)
                .SetProperty(f => f.DetectedLanguage, a.Language)
                .SetProperty(f => f.LowConfidence, a.LowConfidence)
                .SetProperty(f => f.ModelVersion, a.ModelVersion)
                .SetProperty(f => f.AnalyzedAt, now), ct);
        }
        await transaction.CommitAsync(ct);
        return pending.Count;
    }
}
