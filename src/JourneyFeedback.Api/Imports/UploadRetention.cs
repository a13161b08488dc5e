using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Imports;

/// <summary>Wakes the upload sweep when an import finishes and its upload is kept for no time (Imports:KeepUploadsFor = 0).</summary>
internal sealed class UploadSweepSignal : WorkSignal;

/// <summary>
/// Keeps <c>{Storage:DataDirectory}/imports/</c> from growing without bound. A finished import's file (succeeded, failed
/// or cancelled) is removed <see cref="ImportOptions.KeepUploadsFor"/> after it finished; a queued or running import's
/// file is never touched (a resumed import reads it again). Files no import owns (a partial <c>.upload</c> left by a
/// crash, files of a deleted workspace's imports) go once unwritten for <see cref="ImportOptions.OrphanUploadsAfter"/>.
/// Instances share the folder and the database, so each may sweep: every decision comes from the database and removing
/// a file twice is harmless.
/// </summary>
internal sealed class UploadRetentionWorker(
    IServiceScopeFactory scopes, StoragePaths paths, UploadSweepSignal signal, TimeProvider clock, IOptions<ImportOptions> options,
    ILogger<UploadRetentionWorker> logger) : PollingWorker(logger)
{
    private const int LookupChunk = 500;

    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(options.Value.UploadSweepSeconds);
    protected override WorkSignal WakeUp => signal;
    protected override string FailureMessage => "Removing old uploads failed; trying again at the next sweep";

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var folder = new DirectoryInfo(paths.ImportsDirectory);
        if (!folder.Exists) return;
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var orphanedBefore = now - settings.OrphanUploadsAfter;
        var finishedBefore = now - settings.KeepUploadsFor;

        var removed = 0;
        var accepted = new Dictionary<Guid, FileInfo>();
        foreach (var file in folder.EnumerateFiles())
        {
            // Only names the upload gives ({importId}.csv, {importId}.upload); anything else someone put there stays.
            if (!Guid.TryParse(Path.GetFileNameWithoutExtension(file.Name), out var importId)) continue;
            if (file.Extension == ".csv") accepted[importId] = file;
            // An upload still being received is written to all the time; one untouched this long lost its request.
            else if (file.Extension == ".upload" && file.LastWriteTimeUtc < orphanedBefore && Remove(file)) removed++;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        foreach (var ids in accepted.Keys.Chunk(LookupChunk))
        {
            var imports = await db.Imports.AsNoTracking().Where(i => ids.Contains(i.Id))
                .Select(i => new { i.Id, i.Status, Finished = i.FinishedAt ?? i.CreatedAt }).ToDictionaryAsync(i => i.Id, stoppingToken);
            foreach (var id in ids)
            {
                var file = accepted[id];
                var expired = imports.TryGetValue(id, out var import)
                    ? import.Status is ImportStatus.Succeeded or ImportStatus.Failed or ImportStatus.Cancelled && import.Finished <= finishedBefore
                    // No row: the upload moves the file into place a moment before it stores the row, hence the grace period.
                    : file.LastWriteTimeUtc < orphanedBefore;
                if (expired && Remove(file)) removed++;
            }
        }
        if (removed > 0) logger.LogInformation("Removed {Count} upload(s) from {Folder}", removed, folder.FullName);
    }

    private bool Remove(FileInfo file)
    {
        try
        {
            file.Delete();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still open elsewhere, or not ours to delete: tried again at the next sweep.
            logger.LogWarning(ex, "Upload {File} could not be removed", file.FullName);
            return false;
        }
    }
}
