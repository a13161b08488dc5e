using System.Text;
using JourneyFeedback.Analysis.Emotions;

namespace JourneyFeedback.Analysis.Training;

/// <summary>One XED subtitle line and its Plutchik labels.</summary>
internal sealed record XedLine(string Text, IReadOnlyList<string> Labels);

/// <summary>A single-label text (RED-ro tweets).</summary>
internal sealed record LabelledText(string Text, string Label);

/// <summary>
/// The data of one language's models (pl, it, ro), read from TrainingData/ and split deterministically:
/// XED (subtitles, projected Plutchik labels): 20% held out (seed 42, stratified by first label, identical texts on one
/// side — the same carving the data's SOURCE.md describes), 20% of the rest for validation (seed 43), the rest trains;
/// the other two languages' XED train folds as extra emotion data; our own customer texts by their split column;
/// Romanian only: RED v1 train (20% validation, seed 43) and its val.csv as held-out.
/// </summary>
internal sealed record LanguageDataSet
{
    public const int HeldOutSeed = 42;
    public const int ValidationSeed = 43;

    public static readonly string[] PositiveLabels = ["joy", "trust", "anticipation"];
    public static readonly string[] NegativeLabels = ["anger", "disgust", "fear", "sadness"];

    /// <summary>
    /// Plutchik → Ekman: trust and anticipation have no Ekman group; their nearest GoEmotions labels (approval,
    /// admiration; optimism, excitement, desire) are in the Joy group of EmotionLabels.GoEmotionsToEkman, so both go to joy.
    /// </summary>
    private static readonly Dictionary<string, EkmanGroup> PlutchikToEkman = new()
    {
        ["anger"] = EkmanGroup.Anger, ["disgust"] = EkmanGroup.Disgust, ["fear"] = EkmanGroup.Fear, ["sadness"] = EkmanGroup.Sadness,
        ["surprise"] = EkmanGroup.Surprise, ["joy"] = EkmanGroup.Joy, ["trust"] = EkmanGroup.Joy, ["anticipation"] = EkmanGroup.Joy,
    };

    /// <summary>RED's five classes; four are Ekman groups, Neutru is "none of them".</summary>
    public static readonly IReadOnlyDictionary<string, EkmanGroup> RedToEkman = new Dictionary<string, EkmanGroup>
    {
        ["Bucurie"] = EkmanGroup.Joy, ["Furie"] = EkmanGroup.Anger, ["Frica"] = EkmanGroup.Fear, ["Tristete"] = EkmanGroup.Sadness,
        ["Neutru"] = EkmanGroup.Neutral,
    };

    public required string Language { get; init; }
    public required IReadOnlyList<XedLine> XedTrain { get; init; }
    public required IReadOnlyList<XedLine> XedValidation { get; init; }
    public required IReadOnlyList<XedLine> XedHeldOut { get; init; }
    public required IReadOnlyList<XedLine> OtherLanguagesXedTrain { get; init; }
    public required IReadOnlyList<OwnText> OwnTrain { get; init; }

    /// <summary>The other two languages' own train rows (their held-out rows never: a situation held out in one language is held out in all).</summary>
    public required IReadOnlyList<OwnText> OtherLanguagesOwnTrain { get; init; }
    public required IReadOnlyList<OwnText> OwnHeldOut { get; init; }
    public IReadOnlyList<LabelledText> RedTrain { get; init; } = [];
    public IReadOnlyList<LabelledText> RedValidation { get; init; } = [];
    public IReadOnlyList<LabelledText> RedHeldOut { get; init; } = [];

    public static LanguageDataSet Load(string directory, string language)
    {
        var folds = XedFolds(directory, language);
        var others = Manifests.ModelNames.OtherLanguages.Where(l => l != language).SelectMany(l => XedFolds(directory, l).Train).ToList();
        List<(OwnText Text, string Split)> Own(string code) => TrainingDataSet.ReadTsv(Path.Combine(directory, "own", code + ".tsv"), skipHeader: true)
            .Select(c => (Text: new OwnText(c[0], c[1], c[2], c[3]), Split: c[4])).ToList();
        var own = Own(language);
        var data = new LanguageDataSet
        {
            Language = language,
            XedTrain = folds.Train,
            XedValidation = folds.Validation,
            XedHeldOut = folds.HeldOut,
            OtherLanguagesXedTrain = others,
            OwnTrain = own.Where(r => r.Split == "train").Select(r => r.Text).ToList(),
            OtherLanguagesOwnTrain = Manifests.ModelNames.OtherLanguages.Where(l => l != language)
                .SelectMany(l => Own(l).Where(r => r.Split == "train").Select(r => r.Text)).ToList(),
            OwnHeldOut = own.Where(r => r.Split == "heldout").Select(r => r.Text).ToList(),
        };
        if (language != "ro")
        {
            return data;
        }
        var redTrain = ReadRed(Path.Combine(directory, "red-ro", "train.csv"));
        var (redRest, redValidation) = Split(redTrain, r => r.Text, r => r.Label, 0.2, ValidationSeed);
        return data with { RedTrain = redRest, RedValidation = redValidation, RedHeldOut = ReadRed(Path.Combine(directory, "red-ro", "val.csv")) };
    }

    /// <summary>+1 when every label is positive, -1 when every label is negative, 0 otherwise (mixed or surprise).</summary>
    public static int Polarity(XedLine line) =>
        line.Labels.All(l => PositiveLabels.Contains(l)) ? 1
        : line.Labels.All(l => NegativeLabels.Contains(l)) ? -1
        : 0;

    public static bool InGroup(XedLine line, EkmanGroup group) =>
        line.Labels.Any(l => PlutchikToEkman.TryGetValue(l, out var g) && g == group);

    private static (List<XedLine> Train, List<XedLine> Validation, List<XedLine> HeldOut) XedFolds(string directory, string language)
    {
        var lines = TrainingDataSet.ReadTsv(Path.Combine(directory, "xed", language + ".train.tsv"), skipHeader: true)
            .Where(fields => fields.Length == 2)
            .Select(fields => new XedLine(fields[0], fields[1].Split(',')))
            .ToList();
        var (trainAndValidation, heldOut) = Split(lines, l => l.Text, l => l.Labels[0], 0.2, HeldOutSeed);
        var (train, validation) = Split(trainAndValidation, l => l.Text, l => l.Labels[0], 0.2, ValidationSeed);
        return (train, validation, heldOut);
    }

    /// <summary>
    /// Splits off <paramref name="fraction"/> of the items, stratified, seeded; items with identical texts are grouped
    /// first so a repeated subtitle line never sits on both sides.
    /// </summary>
    internal static (List<T> Remainder, List<T> Part) Split<T>(IReadOnlyList<T> items, Func<T, string> text, Func<T, string> stratum, double fraction, int seed)
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

    /// <summary>RED v1 CSV: pandas index columns, then Tweet and Emotion.</summary>
    internal static List<LabelledText> ReadRed(string path)
    {
        var records = TrainingDataSet.ParseCsv(File.ReadAllText(path, Encoding.UTF8));
        var header = records[0];
        int tweet = Array.IndexOf(header, "Tweet");
        int emotion = Array.IndexOf(header, "Emotion");
        return records.Skip(1).Where(r => r.Length == header.Length).Select(r => new LabelledText(r[tweet], r[emotion])).ToList();
    }
}
