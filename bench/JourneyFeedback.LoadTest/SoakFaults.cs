using System.Diagnostics;
using System.Globalization;

/// <summary>The soak's faults (SIGKILLs and a PostgreSQL restart, each inside a recorded window) and its /proc and disk sampling.</summary>
internal sealed partial class Soak
{
    /// <summary>
    /// Kills at k / (kills + 2) of the fault span (k = 1..kills), the first in the middle of an import batch, then
    /// alternating with kills in the middle of answer batches; the PostgreSQL restart (when given) at (kills + 1) /
    /// (kills + 2). The span is the run, or its first half in runs of 10 minutes or more: each instance's last process
    /// then lives at least half the run, long enough for its memory and descriptor trend to mean something.
    /// </summary>
    private async Task FaultLoop(DateTime start, DateTime end, CancellationToken load)
    {
        var length = options.Minutes >= 10 ? (end - start) / 2 : end - start;
        var slots = options.Kills + (options.RestartDatabase is null ? 1 : 2);
        for (var k = 1; k <= options.Kills + (options.RestartDatabase is null ? 0 : 1); k++)
        {
            if (!await Delay(start + length * k / slots - DateTime.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, load)) return;
            if (k > options.Kills) await RestartDatabaseAsync();
            else if (k % 2 == 1) await KillDuringImportAsync(load);
            else await KillDuringAnswersAsync((k / 2) % Instances);
        }
    }

    private int? CurrentPid(int instance) =>
        File.Exists(options.PidFiles[instance]) && int.TryParse(File.ReadAllText(options.PidFiles[instance]).Trim(), out var pid) ? pid : null;

    /// <summary>Waits (up to 75 s) for an import with at least one batch committed and more to come, and kills the instance running it.</summary>
    private async Task KillDuringImportAsync(CancellationToken load)
    {
        var deadline = DateTime.UtcNow.AddSeconds(75);
        await using var db = SoakChecks.Open(options);
        while (DateTime.UtcNow < deadline && !load.IsCancellationRequested)
        {
            var running = await SoakChecks.RunningImportAsync(db);
            if (running is { } import && import.FileName.EndsWith("-support-log.csv", StringComparison.Ordinal) && import.Committed > 0 && import.Committed + 1000 < options.ImportRows)
            {
                var pid = import.ClaimedBy?.Split(':') is [_, var p, _] && int.TryParse(p, out var parsed) ? parsed : -1;
                var instance = Enumerable.Range(0, Instances).FirstOrDefault(i => CurrentPid(i) == pid);
                await KillAsync(instance, string.Create(CultureInfo.InvariantCulture,
                    $"mid-import ({import.FileName} at committed row {import.Committed}, {Interlocked.Read(ref _inFlight)} answers in flight)"));
                return;
            }
            await Task.Delay(100, CancellationToken.None);
        }
        _faults.Add("no import was mid-way within 75 s: killed during answers instead");
        await KillDuringAnswersAsync(0);
    }

    private async Task KillDuringAnswersAsync(int instance)
    {
        for (var i = 0; i < 50 && Interlocked.Read(ref _inFlight) == 0; i++) await Task.Delay(100);
        await KillAsync(instance, $"mid-answers ({Interlocked.Read(ref _inFlight)} answers in flight)");
    }

    /// <summary>SIGKILL; run.sh's loop starts the instance again on the same data; the window closes 3 s after it is healthy.</summary>
    private async Task KillAsync(int instance, string what)
    {
        if (CurrentPid(instance) is not { } pid) { _faults.Add($"instance {instance}: no pid to kill"); return; }
        var window = _ledger.Open($"kill {what}", instance);
        using (var process = Process.GetProcessById(pid)) process.Kill(); // SIGKILL on Linux
        var healthy = await WaitHealthyAsync(instance, pid, TimeSpan.FromMinutes(3));
        window.End = DateTime.UtcNow.AddSeconds(3);
        _faults.Add(string.Create(CultureInfo.InvariantCulture,
            $"t+{(window.Start - _started).TotalSeconds:F0}s SIGKILL instance {instance} pid {pid} {what}, healthy again after {(healthy - window.Start).TotalSeconds:F1} s"));
    }

    /// <summary>Stops PostgreSQL, waits, starts it again (run.sh's command); every instance is inside the window.</summary>
    private async Task RestartDatabaseAsync()
    {
        var window = _ledger.Open("postgres restart", -1);
        using var restart = Process.Start(new ProcessStartInfo("bash", ["-c", options.RestartDatabase!]) { RedirectStandardOutput = true })!;
        await restart.WaitForExitAsync();
        var up = DateTime.UtcNow;
        for (var i = 0; i < Instances; i++) await WaitHealthyAsync(i, null, TimeSpan.FromMinutes(3));
        window.End = DateTime.UtcNow.AddSeconds(3);
        _faults.Add(string.Create(CultureInfo.InvariantCulture,
            $"t+{(window.Start - _started).TotalSeconds:F0}s PostgreSQL restarted (exit {restart.ExitCode}, down {(up - window.Start).TotalSeconds:F1} s, instances healthy {(DateTime.UtcNow - window.Start).TotalSeconds:F1} s after the stop)"));
    }

    /// <summary>Until the instance runs under another pid than <paramref name="killed"/> and answers /health with 200.</summary>
    private async Task<DateTime> WaitHealthyAsync(int instance, int? killed, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (CurrentPid(instance) is { } pid && pid != killed)
            {
                try
                {
                    using var response = await _http[instance].GetAsync("/health");
                    if (response.IsSuccessStatusCode) return DateTime.UtcNow;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
            await Task.Delay(200);
        }
        _faults.Add($"instance {instance} not healthy {limit.TotalMinutes} min after a fault");
        return DateTime.UtcNow;
    }

    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>Every 2 s: each instance's VmRSS and open descriptors (/proc), the WAL, the uploads folder and the whole data folder.</summary>
    private async Task SampleLoop(CancellationToken stop)
    {
        var wal = Path.Combine(options.DataDirectory, "journeyfeedback.db-wal");
        do
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < Instances; i++)
            {
                if (CurrentPid(i) is not { } pid) continue;
                try
                {
                    var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    var kb = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    _ledger.Sample(i, pid, new ProcessSample(now, kb, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { } // gone meanwhile
            }
            lock (_disk) _disk.Add((now, File.Exists(wal) ? new FileInfo(wal).Length : 0,
                FolderBytes(Path.Combine(options.DataDirectory, "imports")), FolderBytes(options.DataDirectory)));
        }
        while (await Delay(TimeSpan.FromSeconds(2), stop));
    }

    internal static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => { try { return f.Length; } catch (IOException) { return 0; } }) : 0;
}
