namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Check-digit validation of the account and personal identifiers the redactor looks for. A candidate is only
/// redacted when its check passes, so order numbers and ticket ids of the same shape are left alone.
/// </summary>
internal static class NationalIdentifiers
{
    // IBAN lengths per country (ISO 13616 registry); other country codes accept 15–34 characters.
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AT"] = 20, ["BE"] = 16, ["BG"] = 22, ["CH"] = 21, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18,
        ["EE"] = 20, ["ES"] = 24, ["FI"] = 18, ["FR"] = 27, ["GB"] = 22, ["GR"] = 27, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IS"] = 26, ["IT"] = 27, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MT"] = 31,
        ["NL"] = 18, ["NO"] = 15, ["PL"] = 28, ["PT"] = 25, ["RO"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24,
    };

    public const int MinIbanLength = 15;
    public const int MaxIbanLength = 34;

    /// <summary>The registered length for the country code (upper case), or null when any of 15–34 may be right.</summary>
    public static int? IbanLength(string countryCode) => IbanLengths.TryGetValue(countryCode, out var length) ? length : null;

    /// <summary>ISO 13616: the first four characters moved to the end, letters as 10–35, the number mod 97 is 1.</summary>
    public static bool IsIban(ReadOnlySpan<char> iban)
    {
        if (iban.Length is < MinIbanLength or > MaxIbanLength) return false;
        if (!char.IsAsciiLetter(iban[0]) || !char.IsAsciiLetter(iban[1]) || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3])) return false;
        var country = new string([char.ToUpperInvariant(iban[0]), char.ToUpperInvariant(iban[1])]);
        if (IbanLength(country) is { } length && length != iban.Length) return false;
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (char.IsAsciiDigit(c)) remainder = (remainder * 10 + (c - '0')) % 97;
            else if (char.IsAsciiLetter(c)) remainder = (remainder * 100 + (char.ToUpperInvariant(c) - 'A' + 10)) % 97;
            else return false;
        }
        return remainder == 1;
    }

    /// <summary>
    /// Polish PESEL: 11 digits, weights 1-3-7-9 for the check digit, and a past birth date (month + 80 for the 1800s,
    /// + 0, 20, 40, 60 for the 1900s to 2200s).
    /// </summary>
    public static bool IsPesel(ReadOnlySpan<char> pesel)
    {
        if (pesel.Length != 11 || !AllDigits(pesel)) return false;
        ReadOnlySpan<int> weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        var sum = 0;
        for (var i = 0; i < 10; i++) sum += (pesel[i] - '0') * weights[i];
        if ((10 - sum % 10) % 10 != pesel[10] - '0') return false;

        var year = Number(pesel[..2]);
        var month = Number(pesel[2..4]);
        var century = (month / 20) switch { 0 => 1900, 1 => 2000, 2 => 2100, 3 => 2200, _ => 1800 };
        return IsDate(century + year, month % 20, Number(pesel[4..6]));
    }

    /// <summary>
    /// Romanian CNP: 13 digits, sex/century digit 1–8, a past birth date, county 01–52, check digit from the weights
    /// 279146358279 (sum mod 11; 10 counts as 1).
    /// </summary>
    public static bool IsCnp(ReadOnlySpan<char> cnp)
    {
        if (cnp.Length != 13 || !AllDigits(cnp)) return false;
        const string weights = "279146358279";
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (cnp[i] - '0') * (weights[i] - '0');
        var check = sum % 11 == 10 ? 1 : sum % 11;
        if (check != cnp[12] - '0') return false;

        var county = Number(cnp[7..9]);
        if (county is < 1 or > 52) return false;
        var year = Number(cnp[1..3]);
        var (month, day) = (Number(cnp[3..5]), Number(cnp[5..7]));
        return (cnp[0] - '0') switch
        {
            1 or 2 => IsDate(1900 + year, month, day),
            3 or 4 => IsDate(1800 + year, month, day),
            5 or 6 => IsDate(2000 + year, month, day),
            // Foreign residents: the century is not encoded, so either must give a real date.
            7 or 8 => IsDate(1900 + year, month, day) || IsDate(2000 + year, month, day),
            _ => false,
        };
    }

    private const string OmocodiaLetters = "LMNPQRSTUV"; // stand for 0–9 when two people would get the same code
    private const string MonthLetters = "ABCDEHLMPRST";

    // Values of characters in odd (1st, 3rd, …) positions; digits take the value of the letter at the same index.
    private static ReadOnlySpan<byte> OddValues => [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

    /// <summary>
    /// Italian codice fiscale: 6 letters, year, month letter, day (+40 for women), place letter + 3 digits, check letter
    /// from the odd/even tables. Omocodia letters are accepted in every digit position; case does not matter.
    /// </summary>
    public static bool IsCodiceFiscale(ReadOnlySpan<char> code)
    {
        if (code.Length != 16) return false;
        Span<char> upper = stackalloc char[16];
        for (var i = 0; i < 16; i++)
        {
            if (!char.IsAsciiLetterOrDigit(code[i])) return false;
            upper[i] = char.ToUpperInvariant(code[i]);
        }
        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 4, 5, 8, 11, 15])
            if (!char.IsAsciiLetterUpper(upper[i])) return false;
        if (!MonthLetters.Contains(upper[8])) return false;
        foreach (var i in (ReadOnlySpan<int>)[6, 7, 9, 10, 12, 13, 14])
            if (!char.IsAsciiDigit(upper[i]) && !OmocodiaLetters.Contains(upper[i])) return false;

        var day = DigitValue(upper[9]) * 10 + DigitValue(upper[10]);
        if (day is < 1 or > 31 and < 41 or > 71) return false;

        return upper[15] == CheckLetter(upper[..15]);
    }

    private static char CheckLetter(ReadOnlySpan<char> first15)
    {
        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            var c = first15[i];
            var index = char.IsAsciiDigit(c) ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? OddValues[index] : index;
        }
        return (char)('A' + sum % 26);
    }

    private static int DigitValue(char c) => char.IsAsciiDigit(c) ? c - '0' : OmocodiaLetters.IndexOf(c);

    /// <summary>A real date that is not in the future: the encodings reach 2299, but nobody is born yet then.</summary>
    private static bool IsDate(int year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
        && new DateOnly(year, month, day) <= DateOnly.FromDateTime(DateTime.UtcNow);

    private static bool AllDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static int Number(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits) value = value * 10 + (c - '0');
        return value;
    }
}
