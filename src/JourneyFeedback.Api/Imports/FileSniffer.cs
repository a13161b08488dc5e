using System.Text;

namespace JourneyFeedback.Api.Imports;

internal sealed record SniffResult(Encoding Encoding, string EncodingName, int PreambleLength, string? Problem);

/// <summary>
/// Works out how a file is encoded before CsvHelper reads it: BOMs (UTF-8, UTF-16 LE/BE), otherwise strict UTF-8,
/// otherwise Windows-1250 (Polish, Romanian…) or Windows-1252 (Italian, French, Spanish, German…), chosen by which
/// decoding produces the letters of those languages instead of stray symbols. Binary files are refused.
/// </summary>
internal static class FileSniffer
{
    static FileSniffer() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    // Letters that only make sense in the languages each code page serves.
    private const string CentralEuropeanLetters = "ąćęłńśźżĄĆĘŁŃŚŹŻăâîşţĂÂÎŞŢšžčřěůďťňŠŽČŘĚŮĎŤŇőűŐŰ";
    private const string WesternLetters = "àèìòùéáíóúñçüöäßâêîôûëïÀÈÌÒÙÉÁÍÓÚÑÇÜÖÄÂÊÎÔÛËÏœŒ¿¡";

    public static Encoding Windows1250 => Encoding.GetEncoding(1250);
    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static SniffResult Sniff(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length == 0) return Fail("The file is empty.");

        Span<byte> head = stackalloc byte[4];
        var headLength = file.Read(head);
        head = head[..headLength];
        if (head.StartsWith((byte[])[0xEF, 0xBB, 0xBF])) return FromName("utf-8-bom");
        if (head.StartsWith((byte[])[0xFF, 0xFE])) return FromName("utf-16le");
        if (head.StartsWith((byte[])[0xFE, 0xFF])) return FromName("utf-16be");

        // One pass over the file: NUL bytes mean binary; a strict streaming decoder tells whether it is valid UTF-8.
        file.Position = 0;
        var buffer = new byte[1 << 20];
        // GetChars (unlike GetCharCount) keeps a character split across two reads for the next call.
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var chars = new char[buffer.Length + 4];
        var validUtf8 = true;
        var nonAscii = new List<byte>();
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            if (chunk.IndexOf((byte)0) >= 0) return Fail("This is not a CSV file: it contains binary data (NUL bytes).");
            if (validUtf8)
            {
                try { utf8.GetChars(chunk, chars, flush: file.Position == file.Length); }
                catch (DecoderFallbackException) { validUtf8 = false; }
            }
            if (!validUtf8 && nonAscii.Count < 200_000)
                foreach (var b in chunk) if (b >= 0x80) nonAscii.Add(b);
        }
        if (validUtf8) return FromName("utf-8");

        var sample = nonAscii.ToArray();
        var asCentral = Score(Windows1250.GetString(sample), CentralEuropeanLetters);
        var asWestern = Score(Windows1252.GetString(sample), WesternLetters);
        return FromName(asCentral > asWestern ? "windows-1250" : "windows-1252");
    }

    /// <summary>
    /// A verdict by its stored name. The upload's sniff is kept on the import, so the background run re-creates it
    /// here instead of reading the whole file again.
    /// </summary>
    public static SniffResult FromName(string name) => name switch
    {
        "utf-8" => new SniffResult(new UTF8Encoding(false), name, 0, null),
        "utf-8-bom" => new SniffResult(new UTF8Encoding(false), name, 3, null),
        "utf-16le" => new SniffResult(new UnicodeEncoding(bigEndian: false, byteOrderMark: false), name, 2, null),
        "utf-16be" => new SniffResult(new UnicodeEncoding(bigEndian: true, byteOrderMark: false), name, 2, null),
        "windows-1250" => new SniffResult(Windows1250, name, 0, null),
        "windows-1252" => new SniffResult(Windows1252, name, 0, null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown encoding name."),
    };

    /// <summary>Letters of the expected languages count for a decoding; symbols where letters should be count against it.</summary>
    internal static int Score(string decoded, string expectedLetters)
    {
        var score = 0;
        foreach (var c in decoded)
        {
            if (expectedLetters.Contains(c)) score += 2;
            else if (!char.IsLetter(c)) score -= 1;
        }
        return score;
    }

    private static SniffResult Fail(string problem) => new(Encoding.UTF8, "unknown", 0, problem);
}
