using System.Numerics;
using JourneyFeedback.Api.Evidence;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// IBANs, Polish PESEL, Romanian CNP, Italian codice fiscale and Polish/Italian/Romanian phone numbers. Valid numbers
/// are either published examples or made here with their check digits (computed independently of the redactor).
/// </summary>
public sealed class PersonalDataRedactionCeeTests
{
    private static string Redact(string text) => PersonalDataRedactor.Redact(text);

    // Published examples (ECBS / Wikipedia "International Bank Account Number").
    [Theory]
    [InlineData("PL61 1090 1014 0000 0712 1981 2874")]
    [InlineData("IT60 X054 2811 1010 0000 0123 456")]
    [InlineData("RO49 AAAA 1B31 0075 9384 0000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB29 NWBK 6016 1331 9268 19")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL91 ABNA 0417 1643 00")]
    [InlineData("ES91 2100 0418 4502 0005 1332")]
    [InlineData("AT61 1904 3002 3457 3201")]
    [InlineData("CZ65 0800 0000 1920 0014 5399")]
    [InlineData("HU42 1177 3016 1111 1018 0000 0000")]
    [InlineData("SK31 1200 0000 1987 4263 7541")]
    [InlineData("PT50 0002 0123 1234 5678 9015 4")]
    public void PublishedIbansAreRedactedGroupedUngroupedAndInLowerCase(string iban)
    {
        Redact($"Refund to {iban} please").Should().Be("Refund to [iban] please");
        Redact($"Refund to {iban.Replace(" ", "", StringComparison.Ordinal)}.").Should().Be("Refund to [iban].");
        Redact($"konto: {iban.ToLowerInvariant()}, dzięki").Should().Be("konto: [iban], dzięki");
    }

    [Fact]
    public void GeneratedIbansOfKnownAndUnknownCountriesAreRedacted()
    {
        var polish = Iban("PL", "105014451000222233334444");
        var romanian = Iban("RO", "BTRL01301205S12345XX");
        var saudi = Iban("SA", "80000000608010167519"); // not in the length table: 15–34 accepted
        Redact($"{polish} and {romanian}").Should().Be("[iban] and [iban]");
        Redact($"Konto {Grouped(saudi)} oraz nic więcej").Should().Be("Konto [iban] oraz nic więcej");
    }

    [Fact]
    public void AWordOfFourLettersAfterAnIbanIsKept()
    {
        Redact("PL61 1090 1014 0000 0712 1981 2874 oraz PL61 1090 1014 0000 0712 1981 2874 BANK")
            .Should().Be("[iban] oraz [iban] BANK");
        Redact("IBAN DE89 3704 0044 0532 0130 00 GB29 NWBK 6016 1331 9268 19").Should().Be("IBAN [iban] [iban]");
    }

    [Theory]
    [InlineData("PL61109010140000071219812875")] // last digit changed
    [InlineData("PL6110901014000007121981287")] // one character short for PL
    [InlineData("IT60X054281110100000012345")]
    [InlineData("DE88370400440532013000")]
    public void IbansThatFailTheirCheckStay(string iban) => Redact($"Account {iban} closed").Should().Be($"Account {iban} closed");

    [Fact]
    public void AGroupedIbanThatFailsItsCheckIsNotCalledAnIban() =>
        Redact("PL61 1090 1014 0000 0712 1981 2875").Should().NotContain("[iban]");

    [Theory]
    [InlineData("44051401359")] // Wikipedia's example
    [InlineData("02070803628")]
    public void PublishedPeselsAreRedacted(string pesel) => Redact($"Mój PESEL: {pesel}.").Should().Be("Mój PESEL: [pesel].");

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(1985, 2, 28)]
    [InlineData(2004, 2, 29)]
    [InlineData(2007, 1, 9)] // starts with 0 and is 11 digits, like a national phone number
    public void GeneratedPeselsOfEveryCenturyAreRedactedAsPeselNotPhone(int year, int month, int day)
    {
        var pesel = Pesel(year, month, day, 1234);
        Redact($"PESEL {pesel} zły").Should().Be("PESEL [pesel] zły");
    }

    [Fact]
    public void ElevenDigitNumbersWithAWrongPeselCheckOrDateStay()
    {
        Redact("Order 12345678901 arrived").Should().Be("Order 12345678901 arrived");
        var wrongCheck = Pesel(1985, 2, 28, 1234)[..10] + (char)('0' + (Pesel(1985, 2, 28, 1234)[10] - '0' + 1) % 10);
        Redact($"Order {wrongCheck}").Should().Be($"Order {wrongCheck}");
        var february30 = WithPeselCheck("8502301234");
        Redact($"Order {february30}").Should().Be($"Order {february30}");
        var born2199 = Pesel(2199, 6, 1, 1234); // month 46: a valid encoding, but a birth date in the future
        Redact($"Order {born2199}").Should().Be($"Order {born2199}");
    }

    [Theory]
    [InlineData("1800101221144")]
    [InlineData("1960529460012")]
    public void PublishedCnpsAreRedacted(string cnp) => Redact($"CNP-ul meu este {cnp}, mulțumesc").Should().Be("CNP-ul meu este [cnp], mulțumesc");

    [Theory]
    [InlineData(1, 85, 7, 14, 40)]
    [InlineData(2, 96, 2, 29, 52)]
    [InlineData(3, 99, 12, 31, 1)]
    [InlineData(6, 4, 2, 29, 12)]
    [InlineData(8, 90, 3, 15, 51)]
    public void GeneratedCnpsAreRedacted(int sex, int year, int month, int day, int county) =>
        Redact($"CNP {Cnp(sex, year, month, day, county, 123)}").Should().Be("CNP [cnp]");

    [Fact]
    public void ACnpThatAlsoPassesLuhnIsACnpNotACard()
    {
        var cnp = Enumerable.Range(1, 999).Select(serial => Cnp(1, 85, 7, 14, 40, serial)).First(c => PersonalDataRedactor.Luhn(c));
        Redact($"CNP {cnp}").Should().Be("CNP [cnp]");
    }

    [Fact]
    public void ThirteenDigitNumbersThatAreNotCnpsStay()
    {
        var valid = Cnp(1, 85, 7, 14, 40, 123);
        var wrongCheck = valid[..12] + (char)('0' + (valid[12] - '0' + 1) % 10);
        var county53 = WithCnpCheck("185071453123");
        var sex9 = WithCnpCheck("985071440123");
        var february30 = WithCnpCheck("185023040123");
        foreach (var number in new[] { wrongCheck, county53, sex9, february30 }.Where(n => !PersonalDataRedactor.Luhn(n)))
            Redact($"Tracking {number}").Should().Be($"Tracking {number}");
        new[] { wrongCheck, county53, sex9, february30 }.Select(n => Redact(n)).Should().NotContain("[cnp]");
    }

    [Theory]
    [InlineData("RSSMRA85T10A562S")] // Agenzia delle Entrate's example (Mario Rossi)
    [InlineData("MRTMTT25D09F205Z")]
    [InlineData("rssmra85t10a562s")]
    public void PublishedCodiciFiscaliAreRedacted(string code) =>
        Redact($"Il mio codice fiscale è {code}, però").Should().Be("Il mio codice fiscale è [tax-id], però");

    [Theory]
    [InlineData("BNCGNN70A41F205")] // a woman (day + 40)
    [InlineData("VRDLGU92M15H50Q")] // omocodia: last digit as a letter (Q = 4)
    [InlineData("VRDLGU92M15HRLQ")] // three omocodia letters: four digits left
    [InlineData("VRDLGUVNMLRHRLQ")] // every digit as a letter: zero digits
    public void GeneratedCodiciFiscaliAreRedactedIncludingOmocodia(string first15)
    {
        var code = first15 + CodiceFiscaleCheckLetter(first15);
        if (first15.Any(char.IsAsciiDigit)) Redact($"CF {code} grazie").Should().Be("CF [tax-id] grazie");
        else Redact($"CF {code} grazie").Should().Be($"CF {code} grazie", "a code without a digit is not looked for (fast path)");
    }

    [Theory]
    [InlineData("RSSMRA85T10A562T")] // wrong check letter
    [InlineData("RSSMRA85Z10A562S")] // Z is not a month letter
    [InlineData("RSSMRA85T35A562S")] // day 35
    [InlineData("ABCDEF12G34H5678")]
    public void SixteenCharacterCodesThatAreNotCodiciFiscaliStay(string code) => Redact($"Ref {code}").Should().Be($"Ref {code}");

    [Theory]
    [InlineData("+48 601 234 567")]
    [InlineData("+48601234567")]
    [InlineData("0048 601 234 567")]
    [InlineData("0048601234567")]
    [InlineData("601 234 567")]
    [InlineData("601-234-567")]
    [InlineData("22 345 67 89")]
    [InlineData("+39 347 123 4567")]
    [InlineData("0039 3471234567")]
    [InlineData("+39 06 6982 1234")]
    [InlineData("347 123 4567")]
    [InlineData("+40 721 234 567")]
    [InlineData("0040721234567")]
    [InlineData("0721 234 567")]
    [InlineData("0721234567")]
    public void PolishItalianAndRomanianPhoneFormatsAreRedacted(string phone) =>
        Redact($"Numer: {phone}, dziękuję").Should().Be("Numer: [phone], dziękuję");

    [Fact]
    public void ABritishMobileNumberThatPassesThePeselCheckStaysAPhone()
    {
        // 07700 900xxx: month 70 would mean the 2200s, so it is no PESEL whatever its check digit.
        var phone = Enumerable.Range(0, 1000).Select(n => $"07700900{n:D3}").First(p => WithPeselCheck(p[..10]) == p);
        Redact($"Call {phone} please").Should().Be("Call [phone] please");
    }

    [Fact]
    public void AnUnbrokenElevenDigitNumberPassingThePeselCheckIsCalledAPesel() =>
        Redact("Call 02071234564 please").Should().Be("Call [pesel] please"); // a London number, or born 12 July 1902

    [Fact]
    public void ACountryPrefixedNumberThatAlsoPassesLuhnIsAPhoneNotACard()
    {
        var phone = Enumerable.Range(0, 1000).Select(n => $"0048 601 234 {n:D3}").First(p => PersonalDataRedactor.Luhn(p));
        Redact($"dzwońcie {phone}").Should().Be("dzwońcie [phone]");
    }

    [Theory]
    [InlineData("Proszę o telefon: 601234567", "Proszę o telefon: [phone]")]
    [InlineData("zadzwońcie pod 501234567 jutro", "zadzwońcie pod [phone] jutro")]
    [InlineData("Tel. 221234567", "Tel. [phone]")]
    [InlineData("chiamatemi al 3471234567 per favore", "chiamatemi al [phone] per favore")]
    [InlineData("call me on 601234567", "call me on [phone]")]
    public void BareNationalNumbersAfterAPhoneWordAreRedacted(string text, string expected) => Redact(text).Should().Be(expected);

    [Theory]
    [InlineData("Order number 884412937 is missing")]
    [InlineData("numer zamówienia 601234567 nie dotarł")]
    [InlineData("ordine 3471234567 in ritardo")]
    [InlineData("telefon nie działa, zamówienie 191234567")] // too far from the phone word, and 19 is no Polish prefix
    [InlineData("hotel 601234567")]
    public void BareDigitRunsWithoutAPhoneWordStay(string text) => Redact(text).Should().Be(text);

    [Fact]
    public void DiacriticsAroundRedactedNumbersAreKept()
    {
        Redact("Zwróćcie pieniądze na konto PL61 1090 1014 0000 0712 1981 2874, mój PESEL to 44051401359. Dziękuję, Łukasz Żółć")
            .Should().Be("Zwróćcie pieniądze na konto [iban], mój PESEL to [pesel]. Dziękuję, Łukasz Żółć");
        Redact("Il mio codice fiscale è RSSMRA85T10A562S, però nessuno mi ha richiamato al +39 347 123 4567: è già la terza volta")
            .Should().Be("Il mio codice fiscale è [tax-id], però nessuno mi ha richiamato al [phone]: è già la terza volta");
        Redact("Vă rog să returnați banii în contul RO49 AAAA 1B31 0075 9384 0000; CNP-ul meu este 1800101221144, sunați la 0721 234 567. Mulțumesc, Ștefan Țăranu")
            .Should().Be("Vă rog să returnați banii în contul [iban]; CNP-ul meu este [cnp], sunați la [phone]. Mulțumesc, Ștefan Țăranu");
    }

    [Fact]
    public void TextWithoutCandidatesIsReturnedAsIs()
    {
        const string text = "Przesyłka dotarła uszkodzona, zamówienie 55821, 3 dni po terminie";
        Redact(text).Should().BeSameAs(text);
    }

    private static string Grouped(string compact) => string.Join(' ', compact.Chunk(4).Select(c => new string(c)));

    /// <summary>ISO 13616 check digits: 98 − (BBAN + country + "00" as a number, letters 10–35) mod 97.</summary>
    private static string Iban(string country, string bban)
    {
        var digits = string.Concat((bban + country + "00").Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var check = 98 - (int)(BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 97);
        return $"{country}{check:D2}{bban}";
    }

    private static string Pesel(int year, int month, int day, int serial)
    {
        var monthOffset = (year / 100) switch { 18 => 80, 19 => 0, 20 => 20, 21 => 40, _ => 60 };
        return WithPeselCheck($"{year % 100:D2}{month + monthOffset:D2}{day:D2}{serial:D4}");
    }

    private static string WithPeselCheck(string first10)
    {
        int[] weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        var sum = first10.Select((c, i) => (c - '0') * weights[i]).Sum();
        return first10 + (10 - sum % 10) % 10;
    }

    private static string Cnp(int sex, int year, int month, int day, int county, int serial) =>
        WithCnpCheck($"{sex}{year:D2}{month:D2}{day:D2}{county:D2}{serial:D3}");

    private static string WithCnpCheck(string first12)
    {
        int[] weights = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
        var remainder = first12.Select((c, i) => (c - '0') * weights[i]).Sum() % 11;
        return first12 + (remainder == 10 ? 1 : remainder);
    }

    /// <summary>The check letter from the published odd/even conversion tables (odd = 1st, 3rd, … character).</summary>
    private static char CodiceFiscaleCheckLetter(string first15)
    {
        const string oddTable = "0:1 1:0 2:5 3:7 4:9 5:13 6:15 7:17 8:19 9:21 A:1 B:0 C:5 D:7 E:9 F:13 G:15 H:17 I:19 J:21 K:2 L:4 M:18 N:20 O:11 P:3 Q:6 R:8 S:12 T:14 U:16 V:10 W:22 X:25 Y:24 Z:23";
        var odd = oddTable.Split(' ').ToDictionary(p => p[0], p => int.Parse(p[2..], System.Globalization.CultureInfo.InvariantCulture));
        var sum = first15.Select((c, i) => i % 2 == 0 ? odd[c] : char.IsAsciiDigit(c) ? c - '0' : c - 'A').Sum();
        return (char)('A' + sum % 26);
    }
}
