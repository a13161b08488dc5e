namespace JourneyFeedback.Api.Data;

/// <summary>
/// Stored times have microsecond precision on both engines (PostgreSQL's; .NET ticks are 100 ns), so a time an API call
/// returns right after a write equals the one a later read returns.
/// </summary>
internal static class Timestamps
{
    public static DateTime Now() => ToMicroseconds(DateTime.UtcNow);

    public static DateTime ToMicroseconds(DateTime value) => new(value.Ticks - value.Ticks % 10, value.Kind);
}
