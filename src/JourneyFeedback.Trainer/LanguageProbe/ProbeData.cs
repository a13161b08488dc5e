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

    /// <summary>The per-language trainer's split (stratified, seeded, identical texts on one side).</summary>
    public static (List<T> Remainder, List<T> Part) Split<T>(IReadOnlyList<T> items, Func<T, string> text, Func<T, string> stratum, double fraction, int seed) =>
        JourneyFeedback.Analysis.Training.LanguageDataSet.Split(items, text, stratum, fraction, seed);

    /// <summary>20% held out, then 20% of the rest as validation; English drops its neutral lines (the others have none).</summary>
    public static LanguageFolds Folds(string xedDirectory, string language)
    {
        var lines = LoadXed(Path.Combine(xedDirectory, language + ".train.tsv")).Where(l => l.Labels[0] != "neutral").ToList();
        var (trainAndValidation, heldOut) = Split(lines, l => l.Text, l => l.Labels[0], 0.2, HeldOutSeed);
        var (train, validation) = Split(trainAndValidation, l => l.Text, l => l.Labels[0], 0.2, ValidationSeed);
        return new LanguageFolds(language, train, validation, heldOut);
    }

    public static IReadOnlyList<LabelledText> LoadRed(string path) =>
        JourneyFeedback.Analysis.Training.LanguageDataSet.ReadRed(path).Select(t => new LabelledText(t.Text, t.Label)).ToList();
}
