using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// The API for webhook tests: loopback http receivers allowed, no retry jitter, a quick poll, and a clock the test can
/// move forward (<see cref="Clock"/>) to reach the retry schedule's later attempts.
/// </summary>
public class WebhooksApp : JourneyFeedbackApp
{
    public WebhooksApp() : this(null) { }

    /// <summary>With extra settings, or on a database shared with other instances (tests of several instances).</summary>
    public static WebhooksApp With(Dictionary<string, string?>? settings, TestDatabase? database = null) => new(settings, database);

    protected WebhooksApp(Dictionary<string, string?>? settings, TestDatabase? database = null) : base(Settings(settings), database) { }

    public ShiftableClock Clock { get; } = new();

    private static Dictionary<string, string?> Settings(Dictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetryJitter"] = "0",
            ["Webhooks:PollSeconds"] = "0.2",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>The API with the default target rules: https only, no internal addresses.</summary>
public sealed class StrictWebhooksApp() : WebhooksApp(new() { ["Webhooks:AllowPrivateTargets"] = "false", ["Webhooks:AllowHttp"] = "false" });
