namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>The real clock plus an offset a test moves forward: retry schedules of hours pass in a moment.</summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
