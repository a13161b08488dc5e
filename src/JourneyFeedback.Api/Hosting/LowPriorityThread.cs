using System.Runtime.InteropServices;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// Runs CPU-heavy work (retraining) on a dedicated background thread at the lowest priority, so request handling and
/// imports keep the other core and win every contest for this one.
/// </summary>
internal static class LowPriorityThread
{
    private const int PrioProcess = 0;
    private const int LowestNice = 19;

    public static Task<T> Run<T>(string name, Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThreadPriority();
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
            Priority = ThreadPriority.Lowest,
        };
        thread.Start();
        return result.Task;
    }

    /// <summary>
    /// Thread.Priority only works on Windows; Linux ignores it for normal threads. There the thread's nice value does
    /// work (it is per thread), and raising it to 19 needs no privileges. Best effort: without it the thread still
    /// runs on one core.
    /// </summary>
    private static void LowerCurrentThreadPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // "/proc/thread-self" links to "<pid>/task/<tid>": the kernel id of this thread.
            var target = new FileInfo("/proc/thread-self").LinkTarget;
            if (target is not null && int.TryParse(Path.GetFileName(target), out var threadId))
                _ = SetPriority(PrioProcess, threadId, LowestNice);
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
