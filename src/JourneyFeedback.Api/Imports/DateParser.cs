using System.Globalization;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Dates as real exports write them: ISO 8601, <c>dd.MM.yyyy HH:mm</c>, <c>dd/MM/yyyy</c>, <c>MM/dd/yyyy</c> and
/// Unix epoch seconds, milliseconds or microseconds. Slash dates are read day-first or month-first as decided for the whole file.
/// Values without a zone are taken as UTC.
/// </summary>
internal sealed class DateParser(string? slashOrder, string? explicitFormat)
{
    public const string DayFirst = "dd/MM/yyyy";
    public const string MonthFirst = "MM/dd/yyyy";

    private static readonly string[] Times = ["", " HH:mm", " HH:mm:ss", " H:mm", " H:mm:ss", " HH:mm:ss.fff", " h:mm tt", " h:mm:ss tt"];
    private static readonly string[] DotFormats = Times.Select(t => "dd.MM.yyyy" + t).Concat(Times.Select(t => "d.M.yyyy" + t)).ToArray();
    private static readonly string[] DayFirstFormats = Times.Select(t => "dd/MM/yyyy" + t).Concat(Times.Select(t => "d/M/yyyy" + t)).ToArray();
    private static readonly string[] MonthFirstFormats = Times.Select(t => "MM/dd/yyyy" + t).Concat(Times.Select(t => "M/d/yyyy" + t)).ToArray();

    /// <summary>The slash order this file uses, or null while it is still ambiguous.</summary>
    public string? SlashOrder { get; } = slashOrder;

    public bool TryParse(string value, out DateTime utc, out string? problem)
    {
        problem = null;
        utc = default;
        var text = value.Trim();
        const DateTimeStyles Styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;

        if (explicitFormat is not null)
        {
            if (DateTime.TryParseExact(text, explicitFormat, CultureInfo.InvariantCulture, Styles, out utc)) return Utc(ref utc);
            problem = $"'{text}' does not match the mapping's dateFormat '{explicitFormat}'.";
            return false;
        }
        // Seconds (Mixpanel), milliseconds (Amplitude, JavaScript) and microseconds (GA4's event_timestamp).
        if (text.Length is 10 or 13 or 16 && text.All(char.IsAsciiDigit) && long.TryParse(text, CultureInfo.InvariantCulture, out var epoch))
        {
            utc = text.Length switch
            {
                10 => DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime,
                13 => DateTimeOffset.FromUnixTimeMilliseconds(epoch).UtcDateTime,
                _ => DateTime.UnixEpoch.AddTicks(epoch * 10),
            };
            return true;
        }
        if (text.Length >= 10 && text[4] == '-' && DateTime.TryParse(text, CultureInfo.InvariantCulture, Styles, out utc)) return Utc(ref utc);
        if (text.Contains('.') && DateTime.TryParseExact(text, DotFormats, CultureInfo.InvariantCulture, Styles, out utc)) return Utc(ref utc);
        if (text.Contains('/'))
        {
            var order = SlashOrder ?? Disambiguate(text);
            if (order is null)
            {
                problem = $"'{text}' could be day-first or month-first; state \"dateFormat\" (e.g. \"dd/MM/yyyy\") in the mapping.";
                return false;
            }
            if (DateTime.TryParseExact(text, order == DayFirst ? DayFirstFormats : MonthFirstFormats, CultureInfo.InvariantCulture, Styles, out utc))
                return Utc(ref utc);
        }
        problem = $"'{text}' is not a date in a supported format (ISO 8601, dd.MM.yyyy HH:mm, dd/MM/yyyy, MM/dd/yyyy, Unix epoch).";
        return false;
    }

    /// <summary>A slash date settles the order when one of its first two parts is over 12.</summary>
    public static string? Disambiguate(string text)
    {
        var parts = text.Trim().Split('/', ' ');
        if (parts.Length < 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var first) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var second))
            return null;
        if (first > 12 && second <= 12) return DayFirst;
        if (second > 12 && first <= 12) return MonthFirst;
        return null;
    }

    /// <summary>Decides the slash order from a sample of the file's dates (the first unambiguous one wins).</summary>
    public static string? DetectSlashOrder(IEnumerable<string> sample) =>
        sample.Where(v => v.Contains('/')).Select(Disambiguate).FirstOrDefault(o => o is not null);

    private static bool Utc(ref DateTime value)
    {
        value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return true;
    }
}
