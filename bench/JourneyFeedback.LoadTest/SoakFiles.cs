using System.Text;

/// <summary>
/// One file the soak uploads: its name (unique per round, so the import is found by it at the end) and how many data
/// rows a CSV reader finds in it; null when the file has no rows to speak of (binary junk, a BOM alone), in which case
/// only "refused, or finished with every row read accounted for" is checked.
/// </summary>
internal sealed record SoakFile(string Path, string Name, long? DataRows, bool Hostile);

/// <summary>
/// The hostile uploads of a soak round, each small and built to a known row count: NUL bytes inside messages, stray and
/// unclosed quotes, a 2 MB field, duplicate header names, a UTF-8 BOM alone, and random binary bytes.
/// </summary>
internal static class SoakFiles
{
    private const string Header = "ticket_id,created_at,customer_id,channel,agent,subject,message,priority";

    public static List<SoakFile> Hostile(string directory, int round, Random random)
    {
        var prefix = $"H{round:D3}";
        return
        [
            Write(directory, $"soak-r{round:D3}-nul-bytes.csv", 300, true, i =>
                Row(prefix + "N", i, i % 7 == 0 ? $"The app froze\0 on step {i}\0 again" : $"Card payment {i} declined twice")),
            // A quote inside an unquoted field is literal text to lenient readers; the unclosed one runs to the end of the file.
            Write(directory, $"soak-r{round:D3}-unbalanced-quotes.csv", 250, true, i =>
                i == 250 ? Row(prefix + "Q", i, "\"never closed, the rest of the file is this field")
                : Row(prefix + "Q", i, i % 5 == 0 ? $"He said \"wait for it and waited {i} days" : $"Parcel {i} arrived \"damaged\" at the door")),
            Write(directory, $"soak-r{round:D3}-huge-field.csv", 120, true, i =>
                Row(prefix + "F", i, i == 60 ? new string('x', 2 * 1024 * 1024) : $"Refund {i} still missing after two weeks")),
            WriteRaw(directory, $"soak-r{round:D3}-duplicate-headers.csv", 150,
                "ticket_id,created_at,message,message,channel,channel\n" + string.Concat(Enumerable.Range(1, 150).Select(i =>
                    $"{prefix}D-{i},2026-02-{1 + i % 28:D2}T10:00:00Z,Login code {i} never came,second copy,chat,email\n"))),
            WriteBytes(directory, $"soak-r{round:D3}-bom-only.csv", null, [0xEF, 0xBB, 0xBF]),
            WriteBytes(directory, $"soak-r{round:D3}-binary-junk.csv", null, Junk(random, 256 * 1024)),
        ];
    }

    /// <summary>A realistic varied support log of <paramref name="rows"/> rows (ticket ids from <paramref name="prefix"/>).</summary>
    public static SoakFile Realistic(string directory, string name, int rows, string prefix)
    {
        var path = System.IO.Path.Combine(directory, name);
        VariedSupportLog.Generate(rows, path, prefix.Sum(c => c), prefix);
        return new SoakFile(path, name, rows, Hostile: false);
    }

    private static string Row(string prefix, int i, string message) =>
        $"{prefix}-{i},2026-03-{1 + i % 28:D2}T12:{i % 60:D2}:00Z,C-{i % 97},chat,Ola,Soak,{Quote(message)},normal";

    // The unclosed quote is written as is: quoting it would close it.
    private static string Quote(string message) =>
        message.StartsWith('"') || !message.Contains('\n') && !message.Contains(',') ? message : $"\"{message.Replace("\"", "\"\"")}\"";

    private static SoakFile Write(string directory, string name, int rows, bool hostile, Func<int, string> row)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 1; i <= rows; i++) text.Append(row(i)).Append('\n');
        return WriteRaw(directory, name, rows, text.ToString(), hostile);
    }

    private static SoakFile WriteRaw(string directory, string name, long? rows, string text, bool hostile = true) =>
        WriteBytes(directory, name, rows, new UTF8Encoding(false).GetBytes(text), hostile);

    private static SoakFile WriteBytes(string directory, string name, long? rows, byte[] bytes, bool hostile = true)
    {
        var path = System.IO.Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return new SoakFile(path, name, rows, hostile);
    }

    private static byte[] Junk(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }
}
