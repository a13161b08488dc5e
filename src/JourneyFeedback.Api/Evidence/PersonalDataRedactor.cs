using System.Text.RegularExpressions;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Replaces e-mail addresses, phone numbers and payment-card numbers in feedback text with placeholders before the
/// text is stored or analysed. What is caught is documented in docs/imports.md.
/// </summary>
internal static partial class PersonalDataRedactor
{
    public const string EmailPlaceholder = "[email]";
    public const string PhonePlaceholder = "[phone]";
    public const string CardPlaceholder = "[card]";

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // 13–19 digits, optionally grouped by single spaces or dashes (how card numbers are typed).
    [GeneratedRegex(@"(?<!\d)\d(?:[ \-]?\d){12,18}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CardCandidate();

    // An optional +country code, then 7–14 more digits grouped by spaces, dots, dashes or brackets.
    [GeneratedRegex(@"(?<![\w/.:])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d(?:[ .\-]?\d){6,13}(?![\w/])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCandidate();

    public static string Redact(string text)
    {
        // Fast path: most feedback has neither '@' nor long digit runs.
        if (text.IndexOf('@') < 0 && CountDigits(text) < 7) return text;
        var result = Email().Replace(text, EmailPlaceholder);
        result = CardCandidate().Replace(result, m => Luhn(m.Value) ? CardPlaceholder : m.Value);
        return PhoneCandidate().Replace(result, m => LooksLikePhone(m.Value) ? PhonePlaceholder : m.Value);
    }

    /// <summary>Card numbers pass the Luhn check; order numbers and long ids mostly do not.</summary>
    internal static bool Luhn(string candidate)
    {
        var sum = 0;
        var digits = 0;
        var doubleIt = false;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (!char.IsAsciiDigit(c)) continue;
            var d = c - '0';
            if (doubleIt && (d *= 2) > 9) d -= 9;
            sum += d;
            digits++;
            doubleIt = !doubleIt;
        }
        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }

    /// <summary>
    /// Dates (2024-03-05, 05.03.2024) are not phone numbers, and neither are bare digit runs such as order or tracking
    /// numbers, unless written in national phone format (a leading 0 and 10–11 digits, e.g. 07700900123).
    /// </summary>
    private static bool LooksLikePhone(string candidate)
    {
        var digits = CountDigits(candidate);
        if (digits is < 7 or > 15) return false;
        if (DateLike().IsMatch(candidate)) return false;
        if (candidate.StartsWith('+') || candidate.Contains(' ') || candidate.Contains('-') || candidate.Contains('(') || candidate.Contains('.'))
            return true;
        return candidate.StartsWith('0') && digits is 10 or 11;
    }

    [GeneratedRegex(@"^\d{1,4}[.\-/]\d{1,2}[.\-/]\d{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateLike();

    private static int CountDigits(string text)
    {
        var count = 0;
        foreach (var c in text) if (char.IsAsciiDigit(c)) count++;
        return count;
    }
}
