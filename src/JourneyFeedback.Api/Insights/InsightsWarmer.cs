using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// After start-up, builds the evidence snapshots of the maps read most recently (Maps.InsightsReadAt), one at a time,
/// so that the first map author after a restart or deploy does not wait for a cold build; then, every
/// Insights:SaveSnapshotSeconds and once more when the application stops, brings the big snapshots this instance holds
/// up to date and saves them.
/// </summary>
internal sealed class InsightsWarmer(IServiceScopeFactory scopes, MapEvidenceCache cache, IOptions<InsightsOptions> options, ILogger<InsightsWarmer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        try
        {
            List<Guid> maps = [];
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
                var since = DateTime.UtcNow.AddDays(-o.WarmDays);
                if (o.WarmMaps > 0) maps = await db.Maps.AsNoTracking().Where(m => m.InsightsReadAt >= since).OrderByDescending(m => m.InsightsReadAt)
                    .Select(m => m.Id).Take(o.WarmMaps).ToListAsync(stoppingToken);
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var map in maps) await cache.WarmAsync(map, stoppingToken);
            if (maps.Count > 0) logger.LogInformation("Warmed the evidence snapshots of {Maps} recently read maps in {Seconds:F1} s", maps.Count, clock.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Warming only saves the first reader a wait; the product works without it.
            logger.LogWarning(ex, "Warming the evidence snapshots failed");
        }
        if (o.SaveSnapshotMinItems < 0 || o.SaveSnapshotSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.SaveSnapshotSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cache.RefreshAndSaveStaleAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Bringing the saved evidence snapshots up to date failed");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await cache.SaveBeforeStopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown timeout came first: the next start catches up from the last saved file.
        }
    }
}
