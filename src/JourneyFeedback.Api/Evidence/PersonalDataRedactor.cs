using System.Text;
using System.Text.RegularExpressions;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Replaces e-mail addresses, IBANs, national identifiers (Polish PESEL, Romanian CNP, Italian codice fiscale),
/// payment-card numbers and phone numbers in feedback text with placeholders before the text is stored or analysed.
/// What is caught is documented in docs/imports.md.
/// </summary>
/// <remarks>
/// Rules run in a fixed order, each on the previous one's output: e-mail, IBAN, codice fiscale, CNP/PESEL,
/// phones with a +48/+39/+40 (or 00) prefix, cards, bare national phone numbers after a phone word, other phones.
/// Identifiers go before cards and phones because a 13-digit CNP can pass the Luhn check, an 11-digit PESEL born
/// after 2000 starts with 0 like a national phone number, and 0048 + 9 digits is 13 digits like a card.
/// </remarks>
internal static partial class PersonalDataRedactor
{
    public const string EmailPlaceholder = "[email]";
    public const string PhonePlaceholder = "[phone]";
    public const string CardPlaceholder = "[card]";
    public const string IbanPlaceholder = "[iban]";
    public const string PeselPlaceholder = "[pesel]";
    public const string CnpPlaceholder = "[cnp]";
    public const string TaxIdPlaceholder = "[tax-id]";

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Country code and check digits; the rest of an IBAN is read by hand (groups of four, see RedactIbans).
    [GeneratedRegex(@"(?<![\p{L}\p{N}_])[A-Za-z]{2}[0-9]{2}(?= ?[A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex IbanStart();

    // 6 letters, year, month letter, day, place (letter + 3), check letter; digits may be omocodia letters.
    [GeneratedRegex(@"(?<![\p{L}\p{N}_])[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[ABCDEHLMPRSTabcdehlmprst][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?![\p{L}\p{N}_])", RegexOptions.CultureInvariant)]
    private static partial Regex CodiceFiscaleCandidate();

    // PESEL (11) and CNP (13) are written as one unbroken run of digits.
    [GeneratedRegex(@"(?<![\p{L}\p{N}_])(?:[0-9]{13}|[0-9]{11})(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant)]
    private static partial Regex PersonalNumberCandidate();

    // +48/+39/+40 or 0048/0039/0040, then the national number grouped by single spaces, dots or dashes.
    [GeneratedRegex(@"(?<![\w+/.:])(?:\+|00)(?<country>48|39|40)[ .\-]?(?<number>\d(?:[ .\-]?\d){5,10})(?![\w/])", RegexOptions.CultureInvariant)]
    private static partial Regex CountryPrefixedPhoneCandidate();

    // 13–19 digits, optionally grouped by single spaces or dashes (how card numbers are typed).
    [GeneratedRegex(@"(?<!\d)\d(?:[ \-]?\d){12,18}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CardCandidate();

    // An unbroken 9–10 digit run shortly after a word that announces a phone number (in English, Polish, Italian,
    // Romanian); without such a word a bare run is more likely an order number.
    [GeneratedRegex(@"(?<=(?<![\p{L}])(?:tel|phone|call|mobile|cell\p{L}*|telefon\p{L}*|komórk\p{L}*|kom|sms|whatsapp|zadzwo\p{L}*|dzwo\p{L}*|chiam\p{L}*|sun[aă]\p{L}*|mobil)\.?[^\d\r\n]{0,15})(?<![\p{N}\p{L}_])[0-9]{9,10}(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AnnouncedPhoneCandidate();

    // An optional +country code, then 7–14 more digits grouped by spaces, dots, dashes or brackets.
    [GeneratedRegex(@"(?<![\w/.:])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d(?:[ .\-]?\d){6,13}(?![\w/])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCandidate();

    public static string Redact(string text)
    {
        // Fast path: most feedback has neither '@' nor long digit runs. A codice fiscale has 7 digits, or fewer when
        // omocodia letters replace some, so a text with 1–6 digits is only skipped when no 16-character word holds one.
        var hasAt = text.Contains('@');
        var digits = CountDigits(text, stopAt: 7);
        if (digits == 0 && !hasAt) return text;
        var shapes = Shapes(text);
        if (!hasAt && digits < 7 && (shapes & Shape.SixteenCharacterWord) == 0) return text;

        var result = hasAt ? Email().Replace(text, EmailPlaceholder) : text;
        // The regexes that start on letters are slow to scan for, so they only run where their shape was seen.
        if ((shapes & Shape.IbanStart) != 0) result = RedactIbans(result);
        if ((shapes & Shape.SixteenCharacterWord) != 0)
            result = CodiceFiscaleCandidate().Replace(result, m => NationalIdentifiers.IsCodiceFiscale(m.ValueSpan) ? TaxIdPlaceholder : m.Value);
        result = PersonalNumberCandidate().Replace(result, m =>
            NationalIdentifiers.IsCnp(m.ValueSpan) ? CnpPlaceholder : NationalIdentifiers.IsPesel(m.ValueSpan) ? PeselPlaceholder : m.Value);
        result = CountryPrefixedPhoneCandidate().Replace(result, m =>
            IsNationalNumber(m.Groups["country"].ValueSpan, Digits(m.Groups["number"].ValueSpan)) ? PhonePlaceholder : m.Value);
        result = CardCandidate().Replace(result, m => Luhn(m.Value) ? CardPlaceholder : m.Value);
        if ((shapes & Shape.NineOrTenDigitRun) != 0)
            result = AnnouncedPhoneCandidate().Replace(result, m => IsNationalNumber("48", m.ValueSpan) || IsNationalNumber("39", m.ValueSpan) ? PhonePlaceholder : m.Value);
        return PhoneCandidate().Replace(result, m => LooksLikePhone(m.Value) ? PhonePlaceholder : m.Value);
    }

    [Flags]
    private enum Shape { None = 0, IbanStart = 1, SixteenCharacterWord = 2, NineOrTenDigitRun = 4 }

    /// <summary>
    /// One pass over the digit runs: two letters right before two digits (an IBAN's country and check digits), a word
    /// of exactly 16 ASCII letters and digits (a codice fiscale), an unbroken run of 9–10 digits (a bare phone number).
    /// The email placeholder has no digits, so shapes seen before it is applied still hold after.
    /// </summary>
    private static Shape Shapes(string text)
    {
        var shapes = Shape.None;
        var from = 0;
        var wordEnd = 0;
        int next;
        while (from < text.Length && (next = text.AsSpan(from).IndexOfAnyInRange('0', '9')) >= 0)
        {
            var start = from + next;
            var end = start + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - start is 9 or 10) shapes |= Shape.NineOrTenDigitRun;
            if (end - start >= 2 && start >= 2 && char.IsAsciiLetter(text[start - 1]) && char.IsAsciiLetter(text[start - 2])) shapes |= Shape.IbanStart;
            if (end > wordEnd)
            {
                var wordStart = start;
                while (wordStart > 0 && char.IsAsciiLetterOrDigit(text[wordStart - 1])) wordStart--;
                wordEnd = end;
                while (wordEnd < text.Length && char.IsAsciiLetterOrDigit(text[wordEnd])) wordEnd++;
                if (wordEnd - wordStart == 16) shapes |= Shape.SixteenCharacterWord;
            }
            from = end;
        }
        return shapes;
    }

    /// <summary>
    /// Reads up to 34 letters and digits after each country code + check digits, allowing a single space after every
    /// fourth character (the printed form), and redacts the registered length for the country when it passes mod 97.
    /// Text after the IBAN (a following word of four letters looks like one more group) is kept.
    /// </summary>
    private static string RedactIbans(string text)
    {
        var match = IbanStart().Match(text);
        if (!match.Success) return text;
        var result = new StringBuilder(text.Length);
        var copied = 0;
        Span<char> compact = stackalloc char[NationalIdentifiers.MaxIbanLength];
        Span<int> ends = stackalloc int[NationalIdentifiers.MaxIbanLength + 1]; // text index after the n-th character
        for (; match.Success; match = IbanStart().Match(text, Math.Max(match.Index + 1, copied)))
        {
            if (match.Index < copied) continue;
            var length = 0;
            var position = match.Index;
            while (length < NationalIdentifiers.MaxIbanLength && position < text.Length)
            {
                var c = text[position];
                if (c == ' ' && length % 4 == 0 && position + 1 < text.Length && char.IsAsciiLetterOrDigit(text[position + 1])) { position++; continue; }
                if (!char.IsAsciiLetterOrDigit(c)) break;
                compact[length++] = c;
                ends[length] = ++position;
            }
            var country = new string([char.ToUpperInvariant(text[match.Index]), char.ToUpperInvariant(text[match.Index + 1])]);
            var found = 0;
            if (NationalIdentifiers.IbanLength(country) is { } registered)
            {
                if (length >= registered && EndsWord(text, ends[registered]) && NationalIdentifiers.IsIban(compact[..registered])) found = registered;
            }
            else
            {
                // Unknown length: only where a group or the text ends, longest first.
                for (var n = length; n >= NationalIdentifiers.MinIbanLength && found == 0; n--)
                    if (EndsWord(text, ends[n]) && NationalIdentifiers.IsIban(compact[..n])) found = n;
            }
            if (found == 0) continue;
            result.Append(text, copied, match.Index - copied).Append(IbanPlaceholder);
            copied = ends[found];
        }
        if (copied == 0) return text;
        return result.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool EndsWord(string text, int end) => end == text.Length || !char.IsLetterOrDigit(text[end]);

    /// <summary>
    /// A valid national number after a country code: Poland 9 digits with a mobile or area prefix, Italy a mobile
    /// (3 + 8–9 digits) or a landline (0 + 5–10 digits), Romania 9 digits starting 2, 3 (landline) or 7 (mobile).
    /// </summary>
    private static bool IsNationalNumber(ReadOnlySpan<char> country, ReadOnlySpan<char> digits) => country switch
    {
        "48" => digits.Length == 9 && PolishPrefixes.Contains((digits[0] - '0') * 10 + (digits[1] - '0')),
        "39" => (digits[0] == '3' && digits.Length is 9 or 10) || (digits[0] == '0' && digits.Length is >= 6 and <= 11),
        "40" => digits.Length == 9 && digits[0] is '2' or '3' or '7',
        _ => false,
    };

    // Mobile ranges (45, 50, 51, 53, 57, 60, 66, 69, 72, 73, 78, 79, 88) and geographic area codes.
    private static readonly HashSet<int> PolishPrefixes =
    [
        45, 50, 51, 53, 57, 60, 66, 69, 72, 73, 78, 79, 88,
        12, 13, 14, 15, 16, 17, 18, 22, 23, 24, 25, 29, 32, 33, 34, 41, 42, 43, 44, 46, 48, 52, 54, 55, 56, 58, 59,
        61, 62, 63, 65, 67, 68, 71, 74, 75, 76, 77, 81, 82, 83, 84, 85, 86, 87, 89, 91, 94, 95,
    ];

    private static string Digits(ReadOnlySpan<char> grouped)
    {
        var digits = new StringBuilder(grouped.Length);
        foreach (var c in grouped) if (char.IsAsciiDigit(c)) digits.Append(c);
        return digits.ToString();
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
        var digits = CountDigits(candidate, stopAt: int.MaxValue);
        if (digits is < 7 or > 15) return false;
        if (DateLike().IsMatch(candidate)) return false;
        if (candidate.StartsWith('+') || candidate.Contains(' ') || candidate.Contains('-') || candidate.Contains('(') || candidate.Contains('.'))
            return true;
        return candidate.StartsWith('0') && digits is 10 or 11;
    }

    [GeneratedRegex(@"^\d{1,4}[.\-/]\d{1,2}[.\-/]\d{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateLike();

    /// <summary>Counts ASCII digits up to <paramref name="stopAt"/>, jumping between them with a vectorised search.</summary>
    private static int CountDigits(ReadOnlySpan<char> text, int stopAt)
    {
        var count = 0;
        int next;
        while (count < stopAt && (next = text.IndexOfAnyInRange('0', '9')) >= 0)
        {
            count++;
            text = text[(next + 1)..];
        }
        return count;
    }
}
