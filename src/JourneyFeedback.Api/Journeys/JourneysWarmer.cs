using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Journeys;

/// <summary>
/// After start-up, builds the journey logs of the maps that have event rules (those read most recently first, at most
/// <see cref="MaxMaps"/>), one at a time: a log of a million events takes seconds to build, and the first map author
/// after a restart should not wait for it.
/// </summary>
internal sealed class JourneysWarmer(IServiceScopeFactory scopes, JourneyLogCache logs, ILogger<JourneysWarmer> logger) : BackgroundService
{
    private const int MaxMaps = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
            var maps = await db.Maps.AsNoTracking().Where(m => m.EventRulesVersion > 0)
                .OrderByDescending(m => m.InsightsReadAt).ThenByDescending(m => m.UpdatedAt)
                .Select(m => new { m.Id, m.WorkspaceId }).Take(MaxMaps).ToListAsync(stoppingToken);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var map in maps) await logs.GetAsync(db, map.WorkspaceId, map.Id, stoppingToken, waitForCurrent: true);
            if (maps.Count > 0) logger.LogInformation("Warmed the journey logs of {Maps} maps in {Seconds:F1} s", maps.Count, clock.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Warming only saves the first reader a wait; the product works without it.
            logger.LogWarning(ex, "Warming the journey logs failed");
        }
    }
}
