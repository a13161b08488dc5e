using System.Threading.Channels;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// Wakes a <see cref="PollingWorker"/> as soon as work is queued; the worker also polls, to pick up work queued by
/// another instance or left over from before a restart. One subclass per worker, so each is its own singleton.
/// </summary>
internal abstract class WorkSignal
{
    private readonly Channel<Guid> _signals = Channel.CreateUnbounded<Guid>();

    public void Notify(Guid id) => _signals.Writer.TryWrite(id);

    /// <summary>Waits for one signal; throws <see cref="OperationCanceledException"/> when <paramref name="ct"/> ends first.</summary>
    public async Task WaitAsync(CancellationToken ct) => await _signals.Reader.ReadAsync(ct);
}

/// <summary>
/// A background loop: work until a round finds nothing more to do, then sleep for the poll interval (or until the
/// wake-up signal, if the worker has one), and again. A failed round is logged and retried after the sleep; the
/// loop ends quietly when the application stops.
/// </summary>
internal abstract class PollingWorker(ILogger logger) : BackgroundService
{
    /// <summary>How long to sleep when there is nothing to do; read before every sleep.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Cuts the sleep short when work is queued; null: the worker only polls.</summary>
    protected virtual WorkSignal? WakeUp => null;

    /// <summary>Logged with the exception when a round fails.</summary>
    protected abstract string FailureMessage { get; }

    /// <summary>Runs once before the first round.</summary>
    protected virtual Task StartingAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    /// <summary>Does all the work there is now (returns when a look finds nothing left).</summary>
    protected abstract Task RunRoundAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartingAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && Data.StorageFull.Find(ex) is { } full)
            {
                // A full disk fails every round until someone frees space: one line each, not a stack trace filling the log's disk too.
                logger.LogWarning("{Failure}: no room to write ({Error})", FailureMessage, full.Message);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "{Failure}", FailureMessage);
            }
            await SleepAsync(stoppingToken);
        }
    }

    private async Task SleepAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (WakeUp is { } signal)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(PollInterval);
                await signal.WaitAsync(wait.Token);
            }
            else
            {
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The poll interval passed, or the application is stopping (the loop condition sees that).
        }
    }
}

/// <summary>A worker that drains a queue in batches: a round ends when a batch finds nothing left to do.</summary>
internal abstract class BatchWorker(ILogger logger, string failureMessage) : PollingWorker(logger)
{
    protected sealed override string FailureMessage => failureMessage;

    /// <summary>Processes one batch; returns how many items it handled (0: the queue is empty).</summary>
    protected abstract Task<int> NextBatchAsync(CancellationToken ct);

    protected sealed override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        while (await NextBatchAsync(stoppingToken) > 0) { }
    }
}
