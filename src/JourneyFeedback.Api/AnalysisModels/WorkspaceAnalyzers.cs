using System.Collections.Concurrent;
using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Analysis.Training;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.AnalysisModels;

/// <summary>
/// The models analysing one workspace's text and where they come from: <c>committed</c> (shipped with the app) or
/// <c>retrained</c> (promoted for this workspace by a retrain job, with when).
/// </summary>
internal sealed record ActiveModels(FeedbackAnalyzer Analyzer, string Source, Guid? RetrainJobId = null, DateTime? PromotedAt = null)
{
    public const string CommittedSource = "committed";
    public const string RetrainedSource = "retrained";

    /// <summary>The three models are trained, evaluated and promoted together, so they share one version.</summary>
    public string Version => Analyzer.Versions.Sentiment;
}

/// <summary>
/// Promoted models on disk: <c>{DataDirectory}/models/{workspaceId}/{version}/</c> with the three .zip files and their
/// manifests, the same six files as the committed models (src/JourneyFeedback.Analysis/Models/, copied to Models/ next to the app).
/// </summary>
internal sealed class ModelStore(StoragePaths paths, IOptions<AnalysisOptions> options)
{
    public string Root => paths.ModelsDirectory;

    // A retrain replaces the English models only; every workspace keeps the shipped Polish, Italian and Romanian ones.
    private readonly Lazy<FeedbackAnalyzer> _committed = new(() => FeedbackAnalyzer.Load(CommittedDirectory(options.Value)));

    /// <summary>The committed models (English and every other language), loaded on first use.</summary>
    public FeedbackAnalyzer Committed => _committed.Value;

    // An empty setting (as in appsettings.example.json) means the default: Models/ next to the app.
    private static string? CommittedDirectory(AnalysisOptions options) => string.IsNullOrWhiteSpace(options.ModelDirectory) ? null : options.ModelDirectory;

    public string DirectoryFor(Guid workspaceId, string version) => Path.Combine(Root, workspaceId.ToString(), version);

    /// <summary>Saves a version and loads it back from disk, so what is promoted is exactly what a restart will load.</summary>
    public FeedbackAnalyzer Save(Guid workspaceId, TrainedModels models)
    {
        var directory = DirectoryFor(workspaceId, models.Analyzer.Versions.Sentiment);
        // Written next to its final place and renamed: a crash never leaves a half-written version under the real name.
        var temporary = directory + ".partial-" + Guid.NewGuid().ToString("N");
        models.SaveTo(temporary);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(temporary, directory);
        return Load(workspaceId, models.Analyzer.Versions.Sentiment);
    }

    public FeedbackAnalyzer Load(Guid workspaceId, string version) => FeedbackAnalyzer.Load(DirectoryFor(workspaceId, version)).WithOtherLanguagesOf(Committed);

    public void Delete(Guid workspaceId, string version)
    {
        var directory = DirectoryFor(workspaceId, version);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}

/// <summary>
/// Hands out the analyzer for a workspace: its latest promoted retrained version when there is one, else the committed
/// default. Analyzers are loaded once and cached; a promotion swaps the workspace's entry in one reference assignment,
/// so requests already holding the old analyzer finish with it and every later one gets the new one.
/// </summary>
internal sealed class WorkspaceAnalyzers(
    ModelStore store, IServiceScopeFactory scopes, ILogger<WorkspaceAnalyzers> logger)
{
    private readonly ConcurrentDictionary<Guid, ActiveModels> _byWorkspace = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Lazy<ActiveModels> _committed = new(() => new ActiveModels(store.Committed, ActiveModels.CommittedSource));

    /// <summary>The committed models (loaded on first use).</summary>
    public ActiveModels Committed => _committed.Value;

    public async ValueTask<ActiveModels> ForWorkspaceAsync(Guid workspaceId, CancellationToken ct)
    {
        if (_byWorkspace.TryGetValue(workspaceId, out var active)) return active;
        // One load at a time: a version is tens of MB, and simultaneous first requests should share one load.
        await _loading.WaitAsync(ct);
        try
        {
            if (_byWorkspace.TryGetValue(workspaceId, out active)) return active;
            active = await LoadAsync(workspaceId, ct);
            // A promotion that happened meanwhile has already put the newer version here and wins.
            return _byWorkspace.GetOrAdd(workspaceId, active);
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Makes a just-promoted version the one that analyses the workspace's text.</summary>
    public void Activate(Guid workspaceId, ActiveModels models) => _byWorkspace[workspaceId] = models;

    private async Task<ActiveModels> LoadAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var promoted = await db.RetrainJobs.AsNoTracking()
            .Where(j => j.WorkspaceId == workspaceId && j.Status == RetrainStatus.Promoted)
            .OrderByDescending(j => j.FinishedAt)
            .Select(j => new { j.Id, j.CandidateVersion, j.FinishedAt })
            .FirstOrDefaultAsync(ct);
        if (promoted?.CandidateVersion is not { } version) return Committed;
        try
        {
            return new ActiveModels(store.Load(workspaceId, version), ActiveModels.RetrainedSource, promoted.Id, promoted.FinishedAt);
        }
#pragma warning disable CA1031 // Any unreadable model folder (missing, truncated, wrong featurizer) must not stop analysis.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Workspace {WorkspaceId}: promoted models {Version} could not be loaded from {Directory}; using the committed models",
                workspaceId, version, store.DirectoryFor(workspaceId, version));
            return Committed;
        }
    }
}
