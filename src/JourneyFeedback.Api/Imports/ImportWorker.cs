using System.Threading.Channels;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JourneyFeedback.Api.Imports;

/// <summary>Wakes the worker as soon as an upload is queued (it also polls, to pick up work after a restart).</summary>
internal sealed class ImportQueue
{
    private readonly Channel<Guid> _signals = Channel.CreateUnbounded<Guid>();
    public void Notify(Guid importId) => _signals.Writer.TryWrite(importId);
    public ChannelReader<Guid> Signals => _signals.Reader;
}

/// <summary>
/// Claims queued imports (and running ones whose heartbeat went stale after a crash) one at a time, so that with several
/// instances on one database each import is processed by exactly one of them. The claim is made in the database: on
/// PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c> (<see cref="PostgresImportClaim"/>), elsewhere with a conditional update.
/// </summary>
internal sealed class ImportWorker(IServiceScopeFactory scopes, ImportQueue queue, IOptions<ImportOptions> options, ILogger<ImportWorker> logger)
    : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ClaimAndRunNext(stoppingToken)) { }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The import worker failed; retrying shortly");
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds)));
            try { await queue.Signals.ReadAsync(wait.Token); }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
        }
    }

    /// <summary>Claims and runs one import; false when there is nothing to do.</summary>
    private async Task<bool> ClaimAndRunNext(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var now = DateTime.UtcNow;
        var staleBefore = now.AddSeconds(-Math.Max(1, options.Value.StaleAfterSeconds));

        var (found, claimed) = db.Database.GetDbConnection() is NpgsqlConnection
            ? await PostgresImportClaim.ClaimNextAsync(db, _instance, now, staleBefore, ct)
            : await ClaimNextAsync(db, now, staleBefore, ct);
        if (!found) return false;
        if (claimed is not { } importId) return true; // another instance was faster; look again

        logger.LogInformation("Import {ImportId} claimed by {Instance}", importId, _instance);
        await scope.ServiceProvider.GetRequiredService<ImportProcessor>().RunAsync(importId, _instance, ct);
        return true;
    }

    /// <summary>The oldest waiting import, claimed by an update that only succeeds while it is still waiting.</summary>
    private async Task<(bool Found, Guid? Claimed)> ClaimNextAsync(JourneyFeedbackDb db, DateTime now, DateTime staleBefore, CancellationToken ct)
    {
        var candidate = await db.Imports.AsNoTracking()
            .Where(i => i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.HeartbeatAt < staleBefore))
            .OrderBy(i => i.CreatedAt).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
        if (candidate is not { } importId) return (false, null);

        var claimed = await db.Imports
            .Where(i => i.Id == importId && (i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.HeartbeatAt < staleBefore)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatus.Running)
                .SetProperty(i => i.ClaimedBy, _instance)
                .SetProperty(i => i.HeartbeatAt, now)
                .SetProperty(i => i.StartedAt, i => i.StartedAt ?? now), ct);
        return (true, claimed == 1 ? importId : null);
    }
}
