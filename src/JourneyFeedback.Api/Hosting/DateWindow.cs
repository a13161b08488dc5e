namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// The <c>from</c>/<c>to</c> query parameters of a list or report: <c>From</c> inclusive, <c>To</c> exclusive, both UTC.
/// A <c>to</c> that is a date without a time includes that whole day, as a person reading "to 31 March" expects.
/// </summary>
internal readonly record struct DateWindow(DateTime? From, DateTime? To)
{
    public static DateWindow FromQuery(DateTime? from, DateTime? to) => new(
        from is { } f ? AsUtc(f) : null,
        to is { } t ? (t.TimeOfDay == TimeSpan.Zero ? AsUtc(t).AddDays(1) : AsUtc(t)) : null);

    /// <summary>Both ends given and the window holds no instant.</summary>
    public bool EndsBeforeItStarts => From is { } from && To is { } to && to <= from;

    /// <summary>A time without an offset is taken as UTC (the API's clock); a local time is converted.</summary>
    internal static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
