using System.Diagnostics;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// The API as <c>dotnet publish</c> lays it out, in a folder of its own under the temp directory (no clone above it).
/// It publishes the build the tests already made (same configuration, <c>--no-build</c>): the published layout is what
/// is under test, and that takes a second where compiling again in Release takes a minute.
/// </summary>
public sealed class PublishedApi : IDisposable
{
    public PublishedApi()
    {
        if (TestDatabase.UsesPostgres) return; // its tests are SqliteOnlyFact: skipped
        Directory.CreateDirectory(Folder);
        var start = new ProcessStartInfo("dotnet", ["publish", ApiProcess.ApiProject(), "-c", ApiProcess.Configuration, "--no-build", "-o", Folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        if (!publish.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish did not finish within 3 minutes.");
        }
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{output.Result}\n{errors.Result}");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", "published-" + Guid.NewGuid().ToString("N"));

    public string Assembly => Path.Combine(Folder, "JourneyFeedback.Api.dll");

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
