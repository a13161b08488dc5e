using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests.Browser;

/// <summary>
/// The same app as <see cref="JourneyFeedbackApp"/>, but served by real Kestrel on a free 127.0.0.1 port
/// (.NET 10 <c>UseKestrel</c> + <c>StartServer</c>) so that a browser can reach it. <see cref="BaseAddress"/> is the
/// server's address; <c>CreateClient()</c> then talks to it over a real socket too.
/// </summary>
public sealed class KestrelJourneyFeedbackApp : JourneyFeedbackApp
{
    public KestrelJourneyFeedbackApp()
    {
        UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;
}
