namespace JourneyFeedback.Api.Hosting;

internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public FixedWindow Public { get; set; } = new() { PermitLimit = 60, WindowSeconds = 60 };
    public FixedWindow Api { get; set; } = new() { PermitLimit = 1200, WindowSeconds = 60 };

    internal sealed class FixedWindow
    {
        public int PermitLimit { get; set; }
        public int WindowSeconds { get; set; }
    }
}
