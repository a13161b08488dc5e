using System.Runtime.InteropServices;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// Runs CPU-heavy work on a dedicated background thread below the requests' priority: retraining, the encoder and the
/// theme finder at the lowest (request handling and imports win every contest for a core), an import's reading stage at
/// <see cref="BulkNice"/> (requests first, then the import, then the rest).
/// </summary>
internal static class LowPriorityThread
{
    private const int PrioProcess = 0;
    private const int LowestNice = 19;

    /// <summary>The nice value of background bulk work people wait for (an import): below requests, above retraining (19).</summary>
    public const int BulkNice = 10;

    public static Task<T> Run<T>(string name, Func<T> work, int nice = LowestNice)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThreadPriority(nice);
            try
            {
                result.SetResult(work());
            }
            catch (OperationCanceledException ex)
            {
                result.SetCanceled(ex.CancellationToken);
            }
#pragma warning disable CA1031 // Handed to the awaiting caller, which records the failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                result.SetException(ex);
            }
        })
        {
            Name = name,
            // Never keeps the process alive: on shutdown the job is recorded as failed and the thread dies with the process.
            IsBackground = true,
            Priority = nice >= LowestNice ? ThreadPriority.Lowest : ThreadPriority.BelowNormal, // what Windows honours
        };
        thread.Start();
        return result.Task;
    }

    /// <summary>
    /// Thread.Priority only works on Windows; Linux ignores it for normal threads. There the thread's nice value does
    /// work (it is per thread), and raising it needs no privileges. Best effort: without it the thread still
    /// runs on one core.
    /// </summary>
    internal static void LowerCurrentThreadPriority(int nice)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // "/proc/thread-self" links to "<pid>/task/<tid>": the kernel id of this thread.
            var target = new FileInfo("/proc/thread-self").LinkTarget;
            if (target is not null && int.TryParse(Path.GetFileName(target), out var threadId))
                _ = SetPriority(PrioProcess, threadId, nice);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    // DllImport rather than LibraryImport: the blittable signature needs no generated marshalling (nor unsafe code).
    [DllImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);
}

/// <summary>
/// Runs tasks (the helpers of a <see cref="Parallel"/> loop, via <see cref="ParallelOptions.TaskScheduler"/>) on one
/// dedicated thread per core at <see cref="LowPriorityThread.BulkNice"/>: an import's parsing, analysis and matching
/// fill both cores for minutes, and at the thread pool's priority they made every request wait its turn (insights on a
/// 2M-item map: p50 70 ms while an import ran, 19 ms without). Requests now win each contest for a core; the import gets
/// what they leave.
/// </summary>
internal sealed class LowPriorityScheduler : TaskScheduler
{
    public static readonly LowPriorityScheduler Bulk = new(Environment.ProcessorCount, LowPriorityThread.BulkNice);

    private readonly System.Collections.Concurrent.BlockingCollection<Task> _queue = new();
    private readonly int _threads;

    private LowPriorityScheduler(int threads, int nice)
    {
        _threads = threads;
        for (var i = 0; i < threads; i++)
        {
            new Thread(() =>
            {
                LowPriorityThread.LowerCurrentThreadPriority(nice);
                foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
            })
            { Name = $"low-priority {i}", IsBackground = true, Priority = ThreadPriority.BelowNormal }.Start();
        }
    }

    /// <summary>A parallel loop on this scheduler's threads. The calling thread takes part too: call it from a low-priority thread.</summary>
    public ParallelOptions Options(int maxDegreeOfParallelism) => new() { MaxDegreeOfParallelism = maxDegreeOfParallelism, TaskScheduler = this };

    public override int MaximumConcurrencyLevel => _threads;

    protected override void QueueTask(Task task) => _queue.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
}
