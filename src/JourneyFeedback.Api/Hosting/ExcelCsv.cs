using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// CSV that opens correctly in Excel: UTF-8 with a byte-order mark (accents intact), RFC 4180 quoting, and every cell
/// starting with = + - @ (or a tab/CR) prefixed with ' so a spreadsheet never runs it as a formula.
/// </summary>
internal static class ExcelCsv
{
    public static CsvWriter Create(Stream stream) =>
        new(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)),
            new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
}
