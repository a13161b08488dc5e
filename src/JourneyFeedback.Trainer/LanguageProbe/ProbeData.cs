using System.Text;

namespace JourneyFeedback.Trainer.LanguageProbe;

/// <summary>One XED line: its text and its Plutchik labels (or "neutral", English only).</summary>
internal sealed record XedLine(string Text, IReadOnlyList<string> Labels);

/// <summary>Train / validation / held-out folds of one language (held-out is never used for a choice).</summary>
internal sealed record LanguageFolds(string Language, IReadOnlyList<XedLine> Train, IReadOnlyList<XedLine> Validation, IReadOnlyList<XedLine> HeldOut);

/// <summary>A single-label text (RED-ro tweets).</summary>
internal sealed record LabelledText(string Text, string Label);

internal static class ProbeData
{
    public const int HeldOutSeed = 42;
    public const int ValidationSeed = 43;

    public static readonly string[] PositiveLabels = ["joy", "trust", "anticipation"];
    public static readonly string[] NegativeLabels = ["anger", "disgust", "fear", "sadness"];

    /// <summary>
    /// The six Ekman groups in EmotionLabels.ModelledGroups order. Plutchik's trust and anticipation have no GoEmotions
    /// label of their own; their nearest ones (approval/admiration, optimism/excitement/desire) are in the Joy group in
    /// EmotionLabels.GoEmotionsToEkman, so both go to joy here too.
    /// </summary>
    public static readonly string[] EkmanGroups = ["anger", "disgust", "fear", "joy", "sadness", "surprise"];

    private static readonly Dictionary<string, string> PlutchikToEkman = new()
    {
        ["anger"] = "anger", ["disgust"] = "disgust", ["fear"] = "fear", ["sadness"] = "sadness", ["surprise"] = "surprise",
        ["joy"] = "joy", ["trust"] = "joy", ["anticipation"] = "joy",
    };

    public static IReadOnlyList<XedLine> LoadXed(string path) =>
        File.ReadLines(path, Encoding.UTF8).Skip(1)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2)
            .Select(fields => new XedLine(fields[0], fields[1].Split(',')))
            .ToList();

    /// <summary>+1 when every label is positive, -1 when every label is negative, 0 otherwise (mixed, surprise, neutral).</summary>
    public static int Polarity(XedLine line) =>
        line.Labels.All(l => PositiveLabels.Contains(l)) ? 1
        : line.Labels.All(l => NegativeLabels.Contains(l)) ? -1
        : 0;

    public static bool[] Groups(XedLine line)
    {
        var groups = new bool[EkmanGroups.Length];
        foreach (var label in line.Labels)
        {
            if (PlutchikToEkman.TryGetValue(label, out var group))
            {
                groups[Array.IndexOf(EkmanGroups, group)] = true;
            }
        }
        return groups;
    }

    /// <summary>
    /// Splits off <paramref name="fraction"/> of the items, stratified by a key (XED: the first label), seeded; items with
    /// identical texts always land on the same side (they are grouped before sampling).
    /// </summary>
    public static (List<T> Remainder, List<T> Part) Split<T>(IReadOnlyList<T> items, Func<T, string> text, Func<T, string> stratum, double fraction, int seed)
    {
        var random = new Random(seed);
        var rest = new List<T>();
        var part = new List<T>();
        var groups = items.GroupBy(text, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        foreach (var stratumGroups in groups.GroupBy(g => stratum(g[0]), StringComparer.Ordinal).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var shuffled = stratumGroups.ToArray();
            random.Shuffle(shuffled);
            int take = (int)Math.Round(shuffled.Length * fraction);
            for (int i = 0; i < shuffled.Length; i++)
            {
                (i < take ? part : rest).AddRange(shuffled[i]);
            }
        }
        return (rest, part);
    }

    /// <summary>20% held out, then 20% of the rest as validation; English drops its neutral lines (the others have none).</summary>
    public static LanguageFolds Folds(string xedDirectory, string language)
    {
        var lines = LoadXed(Path.Combine(xedDirectory, language + ".train.tsv")).Where(l => l.Labels[0] != "neutral").ToList();
        var (trainAndValidation, heldOut) = Split(lines, l => l.Text, l => l.Labels[0], 0.2, HeldOutSeed);
        var (train, validation) = Split(trainAndValidation, l => l.Text, l => l.Labels[0], 0.2, ValidationSeed);
        return new LanguageFolds(language, train, validation, heldOut);
    }

    /// <summary>RED v1 CSV: pandas index columns, then Tweet and Emotion; fields may be quoted with doubled quotes inside.</summary>
    public static IReadOnlyList<LabelledText> LoadRed(string path)
    {
        var records = ParseCsv(File.ReadAllText(path, Encoding.UTF8));
        var header = records[0];
        int tweet = Array.IndexOf(header, "Tweet");
        int emotion = Array.IndexOf(header, "Emotion");
        return records.Skip(1).Where(r => r.Length == header.Length).Select(r => new LabelledText(r[tweet], r[emotion])).ToList();
    }

    private static List<string[]> ParseCsv(string content)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < content.Length; i++)
        {
            char c = content[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { field.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < content.Length && content[i + 1] == '\n') { i++; }
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0) { records.Add(fields.ToArray()); }
                fields.Clear();
            }
            else { field.Append(c); }
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add(fields.ToArray()); }
        return records;
    }
}
