using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JourneyFeedback.Api.Imports;

/// <summary>Wakes the import worker as soon as an upload is queued.</summary>
internal sealed class ImportQueue : WorkSignal;

/// <summary>
/// Claims queued imports (and running ones whose heartbeat went stale after a crash) one at a time, so that with several
/// instances on one database each import is processed by exactly one of them. The claim is made in the database: on
/// PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c> (<see cref="PostgresImportClaim"/>), elsewhere with a conditional update.
/// An import whose API key already has <see cref="ImportOptions.MaxConcurrentPerKey"/> imports running is passed over
/// (<see cref="ImportKeyLimit"/>): it stays queued while later imports of other keys go ahead.
/// </summary>
internal sealed class ImportWorker(IServiceScopeFactory scopes, ImportQueue queue, IOptions<ImportOptions> options, ILogger<ImportWorker> logger,
    UploadSweepSignal uploadSweep) : PollingWorker(logger)
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
    protected override WorkSignal WakeUp => queue;
    protected override string FailureMessage => "The import worker failed; retrying shortly";

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        while (await ClaimAndRunNext(stoppingToken)) { }
    }

    /// <summary>Claims and runs one import; false when there is nothing to do.</summary>
    private async Task<bool> ClaimAndRunNext(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var now = DateTime.UtcNow;
        var staleBefore = now.AddSeconds(-Math.Max(1, options.Value.StaleAfterSeconds));

        var maxPerKey = options.Value.MaxConcurrentPerKey;
        var (found, claimed) = db.Database.GetDbConnection() is NpgsqlConnection
            ? await PostgresImportClaim.ClaimNextAsync(db, _instance, now, staleBefore, maxPerKey, ct)
            : await ClaimNextAsync(db, now, staleBefore, maxPerKey, ct);
        if (!found) return false;
        if (claimed is not { } importId) return true; // another instance was faster; look again

        logger.LogInformation("Import {ImportId} claimed by {Instance}", importId, _instance);
        await scope.ServiceProvider.GetRequiredService<ImportProcessor>().RunAsync(importId, _instance, ct);
        // Kept for no time at all: the sweep removes the finished import's upload now rather than at its next round.
        if (options.Value.KeepUploadsFor <= TimeSpan.Zero) uploadSweep.Notify(importId);
        return true;
    }

    /// <summary>The oldest waiting import, claimed by an update that only succeeds while it is still waiting.</summary>
    private async Task<(bool Found, Guid? Claimed)> ClaimNextAsync(
        JourneyFeedbackDb db, DateTime now, DateTime staleBefore, int maxPerKey, CancellationToken ct)
    {
        var candidate = await db.Imports.AsNoTracking()
            .Where(i => i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.HeartbeatAt < staleBefore))
            .WithinKeyLimit(db, maxPerKey, staleBefore)
            .OrderBy(i => i.CreatedAt).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
        if (candidate is not { } importId) return (false, null);

        // SQLite runs one writer at a time, so the key's count in this statement cannot change before it commits.
        var claimed = await db.Imports
            .Where(i => i.Id == importId && (i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.HeartbeatAt < staleBefore)))
            .WithinKeyLimit(db, maxPerKey, staleBefore)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatus.Running)
                .SetProperty(i => i.ClaimedBy, _instance)
                .SetProperty(i => i.HeartbeatAt, now)
                .SetProperty(i => i.StartedAt, i => i.StartedAt ?? now), ct);
        return (true, claimed == 1 ? importId : null);
    }
}
