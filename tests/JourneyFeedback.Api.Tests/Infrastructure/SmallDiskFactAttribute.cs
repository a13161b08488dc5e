using System.Diagnostics;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// A fact that mounts a small tmpfs (<see cref="SmallDisk"/>), which needs root on Linux. Skipped elsewhere on a
/// developer machine; on CI (<c>CI=true</c>, which runs as root) it always runs, so it cannot go quietly missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!onCi && !(OperatingSystem.IsLinux() && Environment.UserName == "root"))
            Skip = "Mounts a small tmpfs: needs root on Linux (CI runs it).";
    }
}

/// <summary>A tmpfs of a few megabytes mounted on a folder, unmounted on dispose: a disk that really fills up.</summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(string path, int kilobytes)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        return new SmallDisk(path);
    }

    public void Dispose() => Run("umount", "--lazy", Path);

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error}");
    }
}
