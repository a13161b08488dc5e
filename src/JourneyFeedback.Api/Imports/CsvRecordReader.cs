using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Streams records from a file with CsvHelper: decoded with the sniffed encoding, delimiter detected (comma,
/// semicolon, tab, pipe), blank lines skipped, and each record tagged with the physical line where it starts.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    private readonly FileStream _file;
    private readonly CsvParser _parser;
    private bool _badQuote;
    private long _lastRawRow;

    public CsvRecordReader(string path, SniffResult sniff, string? delimiter = null)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _file.Position = sniff.PreambleLength;
        var reader = new StreamReader(_file, sniff.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        _parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = delimiter is null,
            DetectDelimiterValues = [",", ";", "\t", "|"],
            Delimiter = delimiter ?? ",",
            IgnoreBlankLines = false,
            BadDataFound = args => _badQuote |= args.Field.StartsWith('"'),
            MissingFieldFound = null,
        });
    }

    public long BytesRead => _file.Position;
    public string Delimiter => _parser.Delimiter;

    /// <summary>The next non-blank record. <paramref name="badQuote"/> marks a malformed or unterminated quoted field.</summary>
    public bool Read(out long line, out string[] record, out bool badQuote)
    {
        while (true)
        {
            _badQuote = false;
            if (!_parser.Read())
            {
                (line, record, badQuote) = (0, [], false);
                return false;
            }
            line = _lastRawRow + 1;
            _lastRawRow = _parser.RawRow;
            record = _parser.Record ?? [];
            badQuote = _badQuote;
            if (record.Length == 1 && string.IsNullOrWhiteSpace(record[0]) && !badQuote) continue; // blank line
            return true;
        }
    }

    public void Dispose()
    {
        _parser.Dispose();
        _file.Dispose();
    }
}
