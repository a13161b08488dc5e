using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// The API as a real, separate process (the one `dotnet run` starts), so a test can kill it without warning
/// and start it again on the same data folder.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, Uri baseAddress, string key)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public HttpClient Client { get; }

    /// <summary>What the process wrote to its console so far (standard output and error, line by line).</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>
    /// Each error or critical entry the process logged after the first <paramref name="skipLines"/> lines of its console,
    /// with the lines that follow it (the message, the exception), so a failed assertion shows what was logged.
    /// </summary>
    public List<string> LoggedErrors(int skipLines = 0)
    {
        var lines = _output.Skip(skipLines).ToList();
        return lines.Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal))
            .Select(l => string.Join('\n', lines.Skip(l.i).Take(12)))
            .ToList();
    }

    /// <param name="database">Where it stores its data; processes given the same one share it. Null: the data folder's
    /// (a SQLite file in it, or <see cref="TestDatabase.ForDataDirectory"/> on PostgreSQL).</param>
    /// <param name="apiAssembly">The JourneyFeedback.Api.dll to run; null: the API's build output.</param>
    /// <param name="workingDirectory">Its current directory (and so its content root); null: the test's.</param>
    public static async Task<ApiProcess> StartAsync(string dataDirectory, string key, Dictionary<string, string>? settings = null, TestDatabase? database = null,
        string? apiAssembly = null, string? workingDirectory = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [apiAssembly ?? ApiAssembly(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Auth__BootstrapKey"] = key;
        start.Environment["Demo__SeedSampleMaps"] = "false";
        foreach (var (name, value) in (database ?? TestDatabase.ForDataDirectory(dataDirectory)).Settings.Concat(settings ?? []))
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start)!;
        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"), key);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) api._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) api._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API exited with code {process.ExitCode} at start-up.");
            try
            {
                if ((await api.Client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return api;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        api.Dispose();
        throw new TimeoutException("The API did not become healthy within 60 s.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, like a crash or a pulled plug.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        Client.Dispose();
    }

    /// <summary>The configuration the tests (and so the API they reference) were built in: Debug or Release.</summary>
    public static string Configuration => TestOutput.Parent!.Name;

    /// <summary>The API project's folder, found from the repository root above the test's build output.</summary>
    public static string ApiProject()
    {
        var root = TestOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "JourneyFeedback.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
        return Path.Combine(root.FullName, "src", "JourneyFeedback.Api");
    }

    private static DirectoryInfo TestOutput => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The API's own build output (same configuration as the tests).</summary>
    private static string ApiAssembly()
    {
        var path = Path.Combine(ApiProject(), "bin", Configuration, TestOutput.Name, "JourneyFeedback.Api.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the API first", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
