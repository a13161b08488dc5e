using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace JourneyFeedback.Api.Tests.Browser;

/// <summary>
/// Headless Chromium driven through chromedriver's W3C WebDriver HTTP API (plain HttpClient + System.Text.Json).
/// Starts its own chromedriver on a free loopback port and a fresh Chromium profile; <see cref="DisposeAsync"/> ends
/// the session, stops chromedriver (and with it Chromium) and deletes the profile, also when a test failed.
/// </summary>
public sealed class ChromiumDriver : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromedriverPath = "/usr/bin/chromedriver";
    public const string InstallHint = "install chromium and chromium-driver: apt-get install -y chromium chromium-driver";

    /// <summary>W3C name of the element reference in WebDriver JSON.</summary>
    private const string ElementKey = "element-6066-11e4-a52e-4f735466cecf";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _driver;
    private readonly HttpClient _http;
    private readonly string _profile;
    private string? _session;

    private ChromiumDriver(Process driver, HttpClient http, string profile)
    {
        _driver = driver;
        _http = http;
        _profile = profile;
    }

    public static bool IsInstalled => File.Exists(ChromiumPath) && File.Exists(ChromedriverPath);

    public static async Task<ChromiumDriver> StartAsync(int width = 1024, int height = 768)
    {
        if (!IsInstalled) throw new InvalidOperationException($"Chromium or chromedriver is missing; {InstallHint}");

        var port = FreeLoopbackPort();
        var profile = Directory.CreateTempSubdirectory("journeyfeedback-chromium-").FullName;
        var driver = Process.Start(new ProcessStartInfo(ChromedriverPath, [$"--port={port}", "--allowed-ips=127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        // Drain chromedriver's output so it never blocks on a full pipe.
        driver.OutputDataReceived += (_, _) => { };
        driver.ErrorDataReceived += (_, _) => { };
        driver.BeginOutputReadLine();
        driver.BeginErrorReadLine();

        var browser = new ChromiumDriver(driver, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) }, profile);
        try
        {
            await WaitUntilAsync(async () =>
            {
                try { return (await browser.SendAsync(HttpMethod.Get, "status"))?["ready"]?.GetValue<bool>() == true; }
                catch (HttpRequestException) { return false; }
            }, "chromedriver to start");

            var session = await browser.SendAsync(HttpMethod.Post, "session", new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        ["browserName"] = "chrome",
                        ["pageLoadStrategy"] = "normal",
                        ["goog:loggingPrefs"] = new JsonObject { ["browser"] = "ALL" },
                        ["goog:chromeOptions"] = new JsonObject
                        {
                            ["binary"] = ChromiumPath,
                            ["args"] = new JsonArray(
                                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--disable-dev-shm-usage", $"--window-size={width},{height}", $"--user-data-dir={profile}"),
                        },
                    },
                },
            });
            browser._session = session!["sessionId"]!.GetValue<string>();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public Task NavigateAsync(Uri url) => SessionAsync(HttpMethod.Post, "url", new JsonObject { ["url"] = url.ToString() });

    public async Task<Uri> CurrentUrlAsync() => new((await SessionAsync(HttpMethod.Get, "url"))!.GetValue<string>());

    public async Task<string> TitleAsync() => (await SessionAsync(HttpMethod.Get, "title"))!.GetValue<string>();

    /// <summary>Waits (bounded) until an element matching the CSS selector exists and returns its WebDriver id.</summary>
    public async Task<string> FindAsync(string css, TimeSpan? timeout = null)
    {
        string? id = null;
        await WaitUntilAsync(async () =>
        {
            var found = (await SessionAsync(HttpMethod.Post, "elements", new JsonObject { ["using"] = "css selector", ["value"] = css }))!.AsArray();
            id = found.FirstOrDefault()?[ElementKey]?.GetValue<string>();
            return id is not null;
        }, $"an element matching '{css}'", timeout);
        return id!;
    }

    /// <summary>A real pointer click in the middle of the element, as a user would do.</summary>
    public async Task ClickAsync(string css) => await SessionAsync(HttpMethod.Post, $"element/{await FindAsync(css)}/click", new JsonObject());

    public async Task TypeAsync(string css, string text) =>
        await SessionAsync(HttpMethod.Post, $"element/{await FindAsync(css)}/value", new JsonObject { ["text"] = text });

    public async Task<string> TextAsync(string css) => (await SessionAsync(HttpMethod.Get, $"element/{await FindAsync(css)}/text"))!.GetValue<string>();

    public async Task<JsonNode?> ExecuteAsync(string script, params JsonNode?[] args) =>
        await SessionAsync(HttpMethod.Post, "execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray(args) });

    /// <summary>
    /// Lays pages out as on a phone of this CSS width (headless Chromium's window is at least 500 px wide), through the
    /// DevTools command chromedriver passes on.
    /// </summary>
    public Task EmulateViewportAsync(int width, int height) => SessionAsync(HttpMethod.Post, "goog/cdp/execute", new JsonObject
    {
        ["cmd"] = "Emulation.setDeviceMetricsOverride",
        ["params"] = new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 2, ["mobile"] = true },
    });

    /// <summary>The visible page as PNG bytes.</summary>
    public async Task<byte[]> ScreenshotAsync() => Convert.FromBase64String((await SessionAsync(HttpMethod.Get, "screenshot"))!.GetValue<string>());

    /// <summary>
    /// Console messages at level SEVERE (console.error, uncaught exceptions, failed resource loads) since the last call;
    /// chromedriver hands out each browser log entry once.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConsoleErrorsAsync()
    {
        var entries = (await SessionAsync(HttpMethod.Post, "se/log", new JsonObject { ["type"] = "browser" }))!.AsArray();
        return entries
            .Where(e => e!["level"]!.GetValue<string>() == "SEVERE")
            .Select(e => e!["message"]!.GetValue<string>())
            .ToList();
    }

    /// <summary>Bounded polling: re-checks every 100 ms and fails with a clear message after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!await condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private Task<JsonNode?> SessionAsync(HttpMethod method, string command, JsonObject? body = null) =>
        SendAsync(method, $"session/{_session}/{command}", body);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        // chromedriver's small HTTP server wants a Content-Length (no chunked bodies) and is happiest without keep-alive.
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        request.Headers.ConnectionClose = true;
        using var response = await _http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var value = json?["value"];
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"WebDriver {method} /{path} failed ({(int)response.StatusCode}): {value?["error"]} {value?["message"]}");
        return value;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_session is not null)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await _http.DeleteAsync($"session/{_session}", quit.Token);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { }
        finally
        {
            // Killing the whole tree also ends a Chromium that chromedriver could not shut down.
            try { if (!_driver.HasExited) _driver.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            try { await _driver.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
            _driver.Dispose();
            _http.Dispose();
            for (var attempt = 0; attempt < 5 && Directory.Exists(_profile); attempt++)
            {
                try { Directory.Delete(_profile, recursive: true); }
                catch (IOException) { await Task.Delay(200); }
                catch (UnauthorizedAccessException) { await Task.Delay(200); }
            }
        }
    }
}
