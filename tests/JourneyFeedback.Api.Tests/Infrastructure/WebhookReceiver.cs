using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>One request a <see cref="WebhookReceiver"/> got, as it came over the wire.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string? ContentType, string Body, DateTime ReceivedAt, int Answered);

/// <summary>
/// A real HTTP receiver on a loopback port (Kestrel), for webhook tests: it records every request and answers what
/// <see cref="Respond"/> says (200 by default), optionally with a Retry-After.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _arrived;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Given the request and how many requests with its webhook-id came before it: status and Retry-After (seconds or null).</summary>
    public Func<ReceivedWebhook, int, (int Status, string? RetryAfter)> Respond { get; set; } = (_, _) => (200, null);

    /// <summary>How long to wait before answering (a slow receiver).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The wait per request, by its arrival index (from 0); null: <see cref="Delay"/>.</summary>
    public Func<int, TimeSpan>? DelayOf { get; set; }

    /// <summary>The most requests that were waiting for their answer at once.</summary>
    public int MaxInFlight
    {
        get { lock (_received) return _maxInFlight; }
    }

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            var request = new ReceivedWebhook(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"],
                context.Request.ContentType, body, DateTime.UtcNow, 0);
            var index = Interlocked.Increment(ref receiver._arrived) - 1;
            var inFlight = Interlocked.Increment(ref receiver._inFlight);
            lock (receiver._received) receiver._maxInFlight = Math.Max(receiver._maxInFlight, inFlight);
            var before = receiver._received.Count(r => r.Id == request.Id);
            var delay = receiver.DelayOf?.Invoke(index) ?? receiver.Delay;
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            Interlocked.Decrement(ref receiver._inFlight);
            var (status, retryAfter) = receiver.Respond(request, before);
            receiver._received.Enqueue(request with { Answered = status });
            if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status is >= 200 and < 300 ? "ok" : "receiver says no");
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Requests that arrived, including those still waiting for their answer (<see cref="Delay"/>).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Waits until the recorded requests satisfy <paramref name="done"/> (default 30 s); returns them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var now = Received;
            if (done(now)) return now;
            await Task.Delay(50);
        }
        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
