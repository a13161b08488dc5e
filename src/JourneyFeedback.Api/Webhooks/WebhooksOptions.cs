using System.Globalization;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>Settings under <c>Webhooks:</c> (README, docs/webhooks.md).</summary>
internal sealed class WebhooksOptions
{
    /// <summary>Whether this instance delivers (the outbox is written either way; another instance may deliver).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Delays before each attempt, the first counted from the commit: "0s 5s 5m 30m 2h 5h 10h 10h" (s, m, h, d).</summary>
    public string RetrySchedule { get; set; } = "0s 5s 5m 30m 2h 5h 10h 10h";

    /// <summary>Each retry delay is stretched by a random 0–this share, so receivers that failed together are not all retried together.</summary>
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>A Retry-After longer than this is capped (a receiver cannot park a delivery for days).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(12);

    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>A claimed attempt's lease is its timeout plus this: an instance that died mid-attempt leaves it to be retried after that.</summary>
    public int LeaseMarginSeconds { get; set; } = 60;

    /// <summary>A subscription failing without a single success for this long is disabled (the reason is shown to the admin).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the previous secret keeps signing after a rotation, unless the rotation names its own overlap.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Allow <c>http://</c> targets (default: only https).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow targets on loopback, private, link-local, CGNAT and metadata addresses (on-premise receivers, tests).</summary>
    public bool AllowPrivateTargets { get; set; }

    public int MaxBodyBytes { get; set; } = 64 * 1024;
    public int MaxConcurrentDeliveries { get; set; } = 64;
    /// <summary>In flight per subscription on one instance: a slow receiver holds at most this many of the slots.</summary>
    public int MaxConcurrentPerSubscription { get; set; } = 16;
    public double PollSeconds { get; set; } = 1;
    /// <summary>Deliveries (and messages nothing waits for) older than this are deleted.</summary>
    public TimeSpan KeepDeliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary><c>map.inbox.grew</c> fires when a map's unassigned items reach this many.</summary>
    public int InboxThreshold { get; set; } = 50;
    /// <summary>Pain-point events compare the last this-many days with the same span before.</summary>
    public int PainPointPeriodDays { get; set; } = 7;
    /// <summary>A theme needs at least this many items in the current period to be reported.</summary>
    public int PainPointMinItems { get; set; } = 5;
    /// <summary>Significance level of the spike test after the Holm correction over a map's themes.</summary>
    public double SpikeAlpha { get; set; } = 0.05;

    public IReadOnlyList<TimeSpan> Schedule() => ParseSchedule(RetrySchedule);

    public static IReadOnlyList<TimeSpan> ParseSchedule(string text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            // NaN, infinity and huge numbers parse as doubles but are no TimeSpan: refused here like any other bad part.
            if (part.Length < 2 || !double.TryParse(part[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n is not (>= 0 and <= 1e6))
                throw new FormatException($"Webhooks:RetrySchedule: '{part}' is not a delay (a number and s, m, h or d).");
            delays.Add(part[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => throw new FormatException($"Webhooks:RetrySchedule: '{part}' has no unit (s, m, h or d)."),
            });
        }
        if (delays.Count == 0) throw new FormatException("Webhooks:RetrySchedule needs at least one delay.");
        return delays;
    }
}
