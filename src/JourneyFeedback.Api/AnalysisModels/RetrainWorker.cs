using System.Globalization;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Training;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.AnalysisModels;

/// <summary>Wakes the retrain worker when a job is queued.</summary>
internal sealed class RetrainQueue : WorkSignal;

internal static class RetrainJobs
{
    /// <summary>A running job reports every few seconds; one silent for this long died with its instance.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(5);

    /// <summary>Marks running jobs whose instance stopped (crash, kill, restart) as failed, so the workspace can retrain again.</summary>
    public static Task<int> FailStaleAsync(JourneyFeedbackDb db, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var staleBefore = now - StaleAfter;
        return db.RetrainJobs
            .Where(j => j.Status == RetrainStatus.Running && (j.HeartbeatAt == null || j.HeartbeatAt < staleBefore))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, RetrainStatus.Failed)
                .SetProperty(j => j.Reason, "Interrupted: the API stopped while this job was training. Start a new retrain.")
                .SetProperty(j => j.FinishedAt, now), ct);
    }
}

/// <summary>
/// Trains queued retrain jobs one at a time: collects the workspace's corrections and weak labels, evaluates the models in
/// use and trains a candidate on one low-priority thread, compares both on the same held-out data and promotes the
/// candidate only if it is not worse. Promoted models are written to disk before the job says so.
/// </summary>
internal sealed class RetrainWorker(
    IServiceScopeFactory scopes, RetrainQueue queue, WorkspaceAnalyzers analyzers, ModelStore store,
    IOptions<AnalysisOptions> options, IHostEnvironment environment, ILogger<RetrainWorker> logger) : PollingWorker(logger)
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(10);
    protected override WorkSignal WakeUp => queue;
    protected override string FailureMessage => "The retrain worker failed; retrying shortly";

    protected override async Task StartingAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // start-up continues while this runs
        await StartUpAsync(stoppingToken);
    }

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
            await RetrainJobs.FailStaleAsync(scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>(), stoppingToken);
        while (await ClaimAndRunNext(stoppingToken)) { }
    }

    /// <summary>Fails jobs left running by a crash and loads every workspace's promoted models from disk.</summary>
    private async Task StartUpAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
            var failed = await RetrainJobs.FailStaleAsync(db, ct);
            if (failed > 0) logger.LogWarning("{Count} retrain job(s) interrupted by a stop were marked failed", failed);
            var workspaces = await db.RetrainJobs.AsNoTracking().Where(j => j.Status == RetrainStatus.Promoted)
                .Select(j => j.WorkspaceId).Distinct().ToListAsync(ct);
            foreach (var workspaceId in workspaces)
            {
                var active = await analyzers.ForWorkspaceAsync(workspaceId, ct);
                logger.LogInformation("Workspace {WorkspaceId} analyses with {Source} models {Version}", workspaceId, active.Source, active.Version);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Models still load on first use; a failed warm-up only costs the first request some time.
            logger.LogError(ex, "Loading promoted models at start-up failed");
        }
    }

    private async Task<bool> ClaimAndRunNext(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var next = await db.RetrainJobs.AsNoTracking().Where(j => j.Status == RetrainStatus.Queued)
            .OrderBy(j => j.CreatedAt).Select(j => (Guid?)j.Id).FirstOrDefaultAsync(ct);
        if (next is not { } jobId) return false;

        var now = DateTime.UtcNow;
        var claimed = await db.RetrainJobs.Where(j => j.Id == jobId && j.Status == RetrainStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, RetrainStatus.Running)
                .SetProperty(j => j.ClaimedBy, _instance)
                .SetProperty(j => j.HeartbeatAt, now)
                .SetProperty(j => j.StartedAt, now), ct);
        if (claimed == 0) return true; // another instance was faster

        await RunAsync(db, jobId, ct);
        return true;
    }

    private async Task RunAsync(JourneyFeedbackDb db, Guid jobId, CancellationToken ct)
    {
        var job = await db.RetrainJobs.AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
        var settings = options.Value;
        try
        {
            var examples = await RetrainingData.CollectAsync(db, job.WorkspaceId, settings.RetrainMaxWeakLabels, ct);
            await db.RetrainJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.SentimentCorrections, examples.Sentiment.Count)
                .SetProperty(j => j.EmotionCorrections, examples.Emotions.Count)
                .SetProperty(j => j.PainPointCorrections, examples.PainPoints.Count)
                .SetProperty(j => j.WeakLabelsFromRatings, examples.WeakFromRatings)
                .SetProperty(j => j.WeakLabelsFromNps, examples.WeakFromNps), ct);
            if (examples.IsEmpty)
            {
                await FinishAsync(db, jobId, RetrainStatus.Failed, "Nothing to learn from: the workspace has no corrections and no rated items.", ct: ct);
                return;
            }

            var current = await analyzers.ForWorkspaceAsync(job.WorkspaceId, ct);
            var trainingData = TrainingDataLocator.Find(settings.TrainingDataDirectory, environment.ContentRootPath)
                ?? throw new DirectoryNotFoundException(AnalysisOptions.TrainingDataMissing);
            var training = new TrainingOptions
            {
                TrainingDataDirectory = trainingData,
                Version = NewVersion(job.WorkspaceId),
                ExtraSentiment = examples.Sentiment,
                ExtraEmotions = examples.Emotions,
                ExtraPainPoints = examples.PainPoints,
                ExtraExampleWeight = settings.RetrainCorrectionWeight,
                WeakSentiment = examples.WeakSentiment,
                WeakExampleWeight = settings.RetrainWeakLabelWeight,
                MaxRowsPerSource = job.MaxRowsPerSource,
                MaxDegreeOfParallelism = 1,
            };
            logger.LogInformation("Retrain {JobId} of workspace {WorkspaceId} started: {Sentiment}/{Emotions}/{PainPoints} corrections, {Weak} weak labels",
                jobId, job.WorkspaceId, examples.Sentiment.Count, examples.Emotions.Count, examples.PainPoints.Count, examples.WeakSentiment.Count);

            // The version in use is evaluated again, here, on the same held-out data as the candidate: both numbers are
            // measured by the same code on the same rows, whatever version (or training data copy) is installed.
            var (currentReport, candidate) = await WithHeartbeat(jobId, LowPriorityThread.Run($"retrain {jobId}", () =>
            {
                var report = AnalysisEvaluator.Evaluate(current.Analyzer, trainingData, maxDegreeOfParallelism: 1);
                ct.ThrowIfCancellationRequested();
                var trained = AnalysisTrainer.Train(training, message => logger.LogDebug("Retrain {JobId}: {Message}", jobId, message), ct);
                return (report, trained);
            }), ct);

            var currentMetrics = currentReport.ToDictionary(r => r.Key, r => r.Value.Metrics);
            var candidateMetrics = candidate.Manifests.ToDictionary(m => m.Name, m => m.HeldOutMetrics);
            var decision = ModelPromotion.Decide(candidateMetrics, currentMetrics, job.Tolerance);
            ActiveModels? promoted = null;
            if (decision.Promote)
                promoted = new ActiveModels(store.Save(job.WorkspaceId, candidate), ActiveModels.RetrainedSource, jobId, DateTime.UtcNow);

            var finished = await FinishAsync(db, jobId, decision.Promote ? RetrainStatus.Promoted : RetrainStatus.Rejected, decision.Reason,
                current.Version, candidate.Analyzer.Versions.Sentiment, ToJson(currentMetrics), ToJson(candidateMetrics), promoted?.PromotedAt, ct);
            if (finished && promoted is not null)
            {
                analyzers.Activate(job.WorkspaceId, promoted);
            }
            else if (promoted is not null)
            {
                // The job was declared dead meanwhile (stale heartbeat): its result must not go live behind the record's back.
                store.Delete(job.WorkspaceId, promoted.Version);
            }
            logger.LogInformation("Retrain {JobId} of workspace {WorkspaceId}: {Decision}. {Reason}",
                jobId, job.WorkspaceId, decision.Promote ? "promoted" : "rejected", decision.Reason);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await FinishAsync(db, jobId, RetrainStatus.Failed, "Interrupted: the API stopped while this job was training. Start a new retrain.",
                ct: CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Retrain {JobId} failed", jobId);
            await FinishAsync(db, jobId, RetrainStatus.Failed, "Training failed: " + ex.Message, ct: CancellationToken.None);
        }
    }

    /// <summary>Records the outcome if this instance still owns the running job; false when it was taken away (declared stale).</summary>
    private async Task<bool> FinishAsync(JourneyFeedbackDb db, Guid jobId, string status, string reason, string? currentVersion = null,
        string? candidateVersion = null, Dictionary<string, Dictionary<string, double>>? currentMetrics = null,
        Dictionary<string, Dictionary<string, double>>? candidateMetrics = null, DateTime? finishedAt = null, CancellationToken ct = default)
    {
        var now = finishedAt ?? DateTime.UtcNow;
        return await db.RetrainJobs.Where(j => j.Id == jobId && j.Status == RetrainStatus.Running && j.ClaimedBy == _instance)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.Reason, reason)
                .SetProperty(j => j.CurrentVersion, j => currentVersion ?? j.CurrentVersion)
                .SetProperty(j => j.CandidateVersion, j => candidateVersion ?? j.CandidateVersion)
                .SetProperty(j => j.CurrentMetrics, currentMetrics ?? new Dictionary<string, Dictionary<string, double>>())
                .SetProperty(j => j.CandidateMetrics, candidateMetrics ?? new Dictionary<string, Dictionary<string, double>>())
                .SetProperty(j => j.FinishedAt, now), ct) == 1;
    }

    /// <summary>Keeps the job's heartbeat fresh while the training thread works, so it is not mistaken for a dead one.</summary>
    private async Task<T> WithHeartbeat<T>(Guid jobId, Task<T> work, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        while (true)
        {
            var tick = Task.Delay(RetrainJobs.HeartbeatEvery, ct);
            // On shutdown this stops waiting at once; the background thread stops at its next cancellation check.
            if (await Task.WhenAny(work, tick) == work) return await work;
            await tick;
            var now = DateTime.UtcNow;
            try
            {
                await db.RetrainJobs.Where(j => j.Id == jobId && j.ClaimedBy == _instance)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.HeartbeatAt, now), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed beat is harmless (the next one comes in seconds); failing the job over it would not be.
                logger.LogWarning(ex, "Retrain {JobId}: heartbeat not recorded", jobId);
            }
        }
    }

    /// <summary>Time-based like the committed versions, marked with the workspace: "20261201.101500-w3f2a9c1d".</summary>
    private static string NewVersion(Guid workspaceId) =>
        DateTime.UtcNow.ToString("yyyyMMdd.HHmmss", CultureInfo.InvariantCulture) + "-w" + workspaceId.ToString("N")[..8];

    private static Dictionary<string, Dictionary<string, double>> ToJson(IReadOnlyDictionary<string, ModelMetrics> metrics) =>
        metrics.ToDictionary(m => m.Key, m => m.Value.Values.ToDictionary(v => v.Key, v => Math.Round(v.Value, 4)));
}
