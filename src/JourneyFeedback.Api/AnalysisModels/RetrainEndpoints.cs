using System.Security.Claims;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Training;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.AnalysisModels;

/// <summary>Start a retrain; with <c>dryRun</c> only count the examples it would use.</summary>
public sealed record RetrainRequest(bool DryRun = false);

/// <summary>Training examples taken from the workspace: corrections per model head, weak labels per source.</summary>
public sealed record RetrainExamples(
    int SentimentCorrections, int EmotionCorrections, int PainPointCorrections, int WeakLabelsFromRatings, int WeakLabelsFromNps);

public sealed record RetrainPreview(RetrainExamples Examples, int? MaxRowsPerSource, double Tolerance);

/// <summary>One held-out metric of the version in use and of the candidate, measured on the same rows.</summary>
public sealed record MetricComparison(double? Current, double? Candidate);

/// <summary>
/// A retrain job. <c>status</c>: queued, running, promoted, rejected or failed; <c>decision</c> is promoted/rejected once
/// decided, with its <c>reason</c> (for failed jobs the reason says what went wrong). <c>heldOutMetrics</c>: model →
/// metric → current and candidate value.
/// </summary>
public sealed record RetrainJobResponse(
    Guid Id,
    string Status,
    string? Decision,
    string? Reason,
    RetrainExamples Examples,
    string? CurrentVersion,
    string? CandidateVersion,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricComparison>> HeldOutMetrics,
    int? MaxRowsPerSource,
    double Tolerance,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt);

internal static class RetrainEndpoints
{
    private const int ListSize = 50;

    public static void MapRetrain(this RouteGroupBuilder analysis)
    {
        analysis.MapPost("/retrain", Start).WithName("Retrain")
            .WithSummary("Train new model versions with the workspace's corrections and weak labels; promoted only if not worse on held-out data")
            .RequireAuthorization(Policies.EditMaps);
        analysis.MapGet("/retrain", List).WithName("ListRetrainJobs").WithSummary("The workspace's retrain jobs, newest first");
        analysis.MapGet("/retrain/{id:guid}", Get).WithName("GetRetrainJob")
            .WithSummary("A retrain job: status, examples used, held-out metrics of the version in use and the candidate, decision and reason");
    }

    private static async Task<Results<Accepted<RetrainJobResponse>, Ok<RetrainPreview>, ProblemHttpResult>> Start(
        RetrainRequest? request, ClaimsPrincipal user, JourneyFeedbackDb db, RetrainQueue queue, IOptions<AnalysisOptions> options,
        IHostEnvironment environment, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var settings = options.Value;
        if (request?.DryRun == true)
        {
            var examples = await RetrainingData.CollectAsync(db, workspaceId, settings.RetrainMaxWeakLabels, ct);
            return TypedResults.Ok(new RetrainPreview(
                new RetrainExamples(examples.Sentiment.Count, examples.Emotions.Count, examples.PainPoints.Count, examples.WeakFromRatings, examples.WeakFromNps),
                settings.RetrainMaxRowsPerSource, settings.RetrainTolerance));
        }

        if (TrainingDataLocator.Find(settings.TrainingDataDirectory, environment.ContentRootPath) is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Retraining is not available",
                detail: AnalysisOptions.TrainingDataMissing);

        // A job whose instance died would otherwise block the workspace until the worker notices.
        await RetrainJobs.FailStaleAsync(db, ct);
        if (await ActiveJob(db, workspaceId, ct) is { } active) return AlreadyRunning(active);
        if (!await RetrainingData.AnyAsync(db, workspaceId, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to learn from yet",
                detail: "Retraining uses the workspace's corrections (PATCH /api/evidence/{id}) and items with a rating or NPS score; there are none.");

        var job = new RetrainJob
        {
            WorkspaceId = workspaceId,
            RequestedByKeyId = user.KeyId(),
            MaxRowsPerSource = settings.RetrainMaxRowsPerSource,
            Tolerance = settings.RetrainTolerance,
        };
        db.RetrainJobs.Add(job);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request queued one at the same moment; the unique index let only one through.
            db.ChangeTracker.Clear();
            return await ActiveJob(db, workspaceId, ct) is { } winner ? AlreadyRunning(winner)
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A retrain is already running",
                    detail: "Another retrain of this workspace was started at the same moment.");
        }
        queue.Notify(job.Id);
        return TypedResults.Accepted($"/api/analysis/retrain/{job.Id}", ToResponse(job));
    }

    private static async Task<Ok<List<RetrainJobResponse>>> List(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var jobs = await db.RetrainJobs.AsNoTracking().Where(j => j.WorkspaceId == workspaceId)
            .OrderByDescending(j => j.CreatedAt).Take(ListSize).ToListAsync(ct);
        return TypedResults.Ok(jobs.Select(ToResponse).ToList());
    }

    private static async Task<Results<Ok<RetrainJobResponse>, NotFound>> Get(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var job = await db.RetrainJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.WorkspaceId == workspaceId, ct);
        return job is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(job));
    }

    private static Task<RetrainJob?> ActiveJob(JourneyFeedbackDb db, Guid workspaceId, CancellationToken ct) =>
        db.RetrainJobs.AsNoTracking()
            .FirstOrDefaultAsync(j => j.WorkspaceId == workspaceId && (j.Status == RetrainStatus.Queued || j.Status == RetrainStatus.Running), ct);

    private static ProblemHttpResult AlreadyRunning(RetrainJob active) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "A retrain is already running",
        detail: $"Retrain {active.Id} of this workspace is {active.Status}; wait for it to finish (GET /api/analysis/retrain/{active.Id}).",
        extensions: new Dictionary<string, object?> { ["jobId"] = active.Id });

    internal static RetrainJobResponse ToResponse(RetrainJob job) => new(
        job.Id,
        job.Status,
        job.Status is RetrainStatus.Promoted or RetrainStatus.Rejected ? job.Status : null,
        job.Reason,
        new RetrainExamples(job.SentimentCorrections, job.EmotionCorrections, job.PainPointCorrections, job.WeakLabelsFromRatings, job.WeakLabelsFromNps),
        job.CurrentVersion,
        job.CandidateVersion,
        SideBySide(job.CurrentMetrics, job.CandidateMetrics),
        job.MaxRowsPerSource,
        job.Tolerance,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt);

    private static Dictionary<string, IReadOnlyDictionary<string, MetricComparison>> SideBySide(
        Dictionary<string, Dictionary<string, double>> current, Dictionary<string, Dictionary<string, double>> candidate) =>
        ModelNames.All.Where(m => current.ContainsKey(m) || candidate.ContainsKey(m)).ToDictionary(
            model => model,
            IReadOnlyDictionary<string, MetricComparison> (model) =>
            {
                var before = current.GetValueOrDefault(model) ?? [];
                var after = candidate.GetValueOrDefault(model) ?? [];
                return before.Keys.Union(after.Keys).ToDictionary(
                    metric => metric,
                    metric => new MetricComparison(before.TryGetValue(metric, out var c) ? c : null, after.TryGetValue(metric, out var n) ? n : null));
            });
}
