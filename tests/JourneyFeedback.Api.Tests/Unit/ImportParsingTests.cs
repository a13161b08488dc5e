using System.Text;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Imports;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class FileSnifferTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    static FileSnifferTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private SniffResult Sniff(byte[] bytes)
    {
        File.WriteAllBytes(_path, bytes);
        return FileSniffer.Sniff(_path);
    }

    [Theory]
    [InlineData("id,text\n1,Zażółć gęślą jaźń; paczka dotarła uszkodzona, żądam zwrotu\n", 1250, "windows-1250")]
    [InlineData("id,text\n1,Coletul a întârziat şi nimeni nu a răspuns, returnaţi banii\n", 1250, "windows-1250")]
    [InlineData("id,text\n1,La consegna è arrivata in ritardo, però il prodotto è perfetto. Perché?\n", 1252, "windows-1252")]
    [InlineData("id,text\n1,¿Dónde está mi pedido? Llegó tarde y el señor no contestó\n", 1252, "windows-1252")]
    [InlineData("id,text\n1,Die Rückerstattung dauert schon drei Wochen, schlechter Service für Kunden\n", 1252, "windows-1252")]
    public void LegacyCodePagesAreToldApartByTheLettersTheyProduce(string text, int codePage, string expected) =>
        Sniff(Encoding.GetEncoding(codePage).GetBytes(text)).EncodingName.Should().Be(expected);

    [Fact]
    public void ByteOrderMarksDecide()
    {
        Sniff([0xEF, 0xBB, 0xBF, .. "a,b\n"u8.ToArray()]).EncodingName.Should().Be("utf-8-bom");
        Sniff([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("a,b\n")]).EncodingName.Should().Be("utf-16le");
        Sniff([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("a,b\n")]).EncodingName.Should().Be("utf-16be");
    }

    [Fact]
    public void ValidUtf8WithoutBomIsUtf8EvenWhenAMultibyteCharacterCrossesTheReadBuffer()
    {
        var text = new string('a', (1 << 20) - 1) + "ż,ł\n"; // 'ż' straddles the 1 MiB read boundary
        Sniff(Encoding.UTF8.GetBytes(text)).EncodingName.Should().Be("utf-8");
    }

    [Fact]
    public void EmptyAndBinaryFilesAreRefused()
    {
        Sniff([]).Problem.Should().Contain("empty");
        Sniff([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00]).Problem.Should().Contain("binary");
    }

    public void Dispose() => File.Delete(_path);
}

public sealed class DateParserTests
{
    [Theory]
    [InlineData("2026-10-01T08:12:00Z", 2026, 10, 1, 8, 12)]
    [InlineData("2026-10-01T10:12:00+02:00", 2026, 10, 1, 8, 12)]
    [InlineData("2026-10-01 08:12", 2026, 10, 1, 8, 12)]
    [InlineData("01.10.2026 08:12", 2026, 10, 1, 8, 12)]
    [InlineData("1.10.2026", 2026, 10, 1, 0, 0)]
    public void SupportedFormatsAreReadAsUtc(string text, int y, int mo, int d, int h, int mi)
    {
        new DateParser(null, null).TryParse(text, out var value, out var problem).Should().BeTrue(problem);
        value.Should().Be(new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Utc));
        value.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public void SlashDatesFollowTheFileOrderOrAreAmbiguous()
    {
        new DateParser(DateParser.DayFirst, null).TryParse("03/04/2026", out var dayFirst, out _).Should().BeTrue();
        dayFirst.Month.Should().Be(4);
        new DateParser(DateParser.MonthFirst, null).TryParse("03/04/2026 14:30", out var monthFirst, out _).Should().BeTrue();
        monthFirst.Should().Be(new DateTime(2026, 3, 4, 14, 30, 0, DateTimeKind.Utc));
        new DateParser(null, null).TryParse("03/04/2026", out _, out var problem).Should().BeFalse();
        problem.Should().Contain("dateFormat");
        new DateParser(null, null).TryParse("13/04/2026", out var settled, out _).Should().BeTrue("a day over 12 settles the order by itself");
        settled.Day.Should().Be(13);
    }

    [Fact]
    public void FileOrderIsDetectedFromTheFirstUnambiguousDate()
    {
        DateParser.DetectSlashOrder(["01/02/2026", "03/04/2026", "05/25/2026", "28/01/2026"]).Should().Be(DateParser.MonthFirst);
        DateParser.DetectSlashOrder(["01/02/2026", "25/04/2026"]).Should().Be(DateParser.DayFirst);
        DateParser.DetectSlashOrder(["01/02/2026", "2026-01-01"]).Should().BeNull();
    }

    [Fact]
    public void ExplicitFormatIsStrict()
    {
        var parser = new DateParser(null, "yyyyMMdd");
        parser.TryParse("20261001", out var value, out _).Should().BeTrue();
        value.Should().Be(new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc));
        parser.TryParse("2026-10-01", out _, out var problem).Should().BeFalse();
        problem.Should().Contain("yyyyMMdd");
    }
}

public sealed class ColumnMapperTests
{
    [Theory]
    [InlineData("Review Text", "text")]
    [InlineData("review_text", "text")]
    [InlineData("Body", "text")]
    [InlineData("Ticket ID", "externalId")]
    [InlineData("Review Submit Date and Time", "occurredAt")]
    [InlineData("Star Rating", "rating")]
    [InlineData("Subject", "title")]
    [InlineData("Reviewer Language", "language")]
    public void HeadersAreMappedBySynonyms(string header, string field)
    {
        var mapping = ColumnMapper.Resolve([header, "message"], null, "support-log", out _)!;
        if (field == "text" && header != "message") mapping.Describe()["text"].Should().BeOneOf(header, "message");
        else mapping.Describe()[field].Should().Be(header);
    }

    [Fact]
    public void ExplicitMappingWinsAndTheRestIsFoundBySynonym()
    {
        var request = ColumnMapper.ParseMapping("""{"Opis":"text","Kiedy":"OccurredAt"}""", out var error)!;
        error.Should().BeNull();
        var mapping = ColumnMapper.Resolve(["Nr", "Kiedy", "Opis", "Channel"], request, "support-log", out _)!;
        mapping.Describe().Should().BeEquivalentTo(new Dictionary<string, string> { ["text"] = "Opis", ["occurredAt"] = "Kiedy", ["channel"] = "Channel" });
    }

    [Fact]
    public void StructuredMappingCarriesDateFormatAndRatingScale()
    {
        var request = ColumnMapper.ParseMapping("""{"columns":{"A":"text"},"dateFormat":"dd/MM/yyyy","ratingScale":10}""", out _)!;
        request.Columns.Should().ContainKey("A");
        request.DateFormat.Should().Be("dd/MM/yyyy");
        request.RatingScale.Should().Be(10);
        ColumnMapper.ParseMapping("""{"dateFormat":"MM/dd/yyyy"}""", out _)!.Columns.Should().BeEmpty();
    }

    [Fact]
    public void MissingTextColumnIsExplained()
    {
        ColumnMapper.Resolve(["id", "amount"], null, "support-log", out var error).Should().BeNull();
        error.Should().Contain("'amount'").And.Contain("mapping");
    }
}

public sealed class PersonalDataRedactorTests
{
    [Theory]
    [InlineData("Write to jan.nowak+shop@firma.com.pl today", "Write to [email] today")]
    [InlineData("Call +48 601 234 567 or (020) 7946 0958", "Call [phone] or [phone]")]
    [InlineData("Call 07700900123 please", "Call [phone] please")]
    [InlineData("Card 4111-1111-1111-1111 charged", "Card [card] charged")]
    [InlineData("Card 5500 0000 0000 0004 charged twice", "Card [card] charged twice")]
    public void PersonalDataIsReplaced(string text, string expected) => PersonalDataRedactor.Redact(text).Should().Be(expected);

    [Theory]
    [InlineData("Order 55821 arrived on 2026-10-01, cost €62.99")]
    [InlineData("Delivered 05.10.2026 at 14:30")]
    [InlineData("Tracking 1234567890123 is not a card (fails Luhn)")]
    [InlineData("Version 4.12.0 crashes")]
    [InlineData("Order number 884412937 is missing")]
    public void OrdinaryNumbersAreLeftAlone(string text) => PersonalDataRedactor.Redact(text).Should().Be(text);

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", false)]
    public void LuhnCheck(string number, bool valid) => PersonalDataRedactor.Luhn(number).Should().Be(valid);
}
