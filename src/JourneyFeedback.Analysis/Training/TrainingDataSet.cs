using System.Text;
using System.Text.Json;
using JourneyFeedback.Analysis.Emotions;

namespace JourneyFeedback.Analysis.Training;

internal sealed record PolarityText(string Text, bool Positive);

internal sealed record GoEmotionsText(string Text, IReadOnlyList<string> Labels);

internal sealed record OwnText(string Text, string Category, string Channel, string Sentiment);

internal sealed record IntentText(string Text, string Intent);

/// <summary>
/// All training and held-out data, read from the copies under TrainingData/ and split
/// deterministically. Held-out rows are never trained or tuned on:
/// UCI 20% (stratified by source × label), GoEmotions official dev, own pain-point set 25% (stratified by category).
/// Thresholds are tuned on a 10% slice of GoEmotions train.
/// </summary>
internal sealed class TrainingDataSet
{
    public const int SplitSeed = 42;

    public required IReadOnlyList<PolarityText> UciTrain { get; init; }
    public required IReadOnlyList<PolarityText> UciHeldOut { get; init; }
    public required IReadOnlyList<PolarityText> RtPolarity { get; init; }
    public required IReadOnlyList<GoEmotionsText> GoEmotionsTrain { get; init; }
    public required IReadOnlyList<GoEmotionsText> GoEmotionsTune { get; init; }
    public required IReadOnlyList<GoEmotionsText> GoEmotionsHeldOut { get; init; }
    public required IReadOnlyList<OwnText> OwnTrain { get; init; }
    public required IReadOnlyList<OwnText> OwnHeldOut { get; init; }
    public required IReadOnlyList<IntentText> Banking77 { get; init; }
    public required IReadOnlyDictionary<string, string> GoEmotionsSentiment { get; init; }

    public static TrainingDataSet Load(string directory)
    {
        var uci = ReadTsv(Path.Combine(directory, "uci-sentences", "train.tsv"), skipHeader: true)
            .Select(c => (Text: c[0], Positive: c[1] == "1", Source: c[2])).ToList();
        var (uciHeldOut, uciTrain) = StratifiedSplit(uci, r => r.Source + r.Positive, 0.20, SplitSeed);

        var rt = ReadTsv(Path.Combine(directory, "rt-polarity", "train.tsv"), skipHeader: true)
            .Select(c => new PolarityText(c[0], c[1] == "1")).ToList();

        var labelNames = File.ReadAllLines(Path.Combine(directory, "goemotions", "emotions.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        List<GoEmotionsText> ReadGo(string file) => ReadTsv(Path.Combine(directory, "goemotions", file), skipHeader: false)
            .Select(c => new GoEmotionsText(c[0], c[1].Split(',').Select(id => labelNames[int.Parse(id)]).ToArray()))
            .ToList();
        var goTrainAll = ReadGo("train.tsv");
        var (goTune, goTrain) = RandomSplit(goTrainAll, 0.10, SplitSeed);

        var own = ReadTsv(Path.Combine(directory, "own", "pain-points.tsv"), skipHeader: true)
            .Select(c => new OwnText(c[0], c[1], c[2], c[3])).ToList();
        var (ownHeldOut, ownTrain) = StratifiedSplit(own, r => r.Category, 0.25, SplitSeed);

        var banking = ReadBankingCsv(Path.Combine(directory, "banking77", "train.csv"));

        using var sentimentJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "goemotions", "sentiment_dict.json")));
        var goSentiment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in sentimentJson.RootElement.EnumerateObject())
        {
            foreach (var label in property.Value.EnumerateArray())
            {
                goSentiment[label.GetString()!] = property.Name;
            }
        }

        return new TrainingDataSet
        {
            UciTrain = uciTrain.Select(r => new PolarityText(r.Text, r.Positive)).ToList(),
            UciHeldOut = uciHeldOut.Select(r => new PolarityText(r.Text, r.Positive)).ToList(),
            RtPolarity = rt,
            GoEmotionsTrain = goTrain,
            GoEmotionsTune = goTune,
            GoEmotionsHeldOut = ReadGo("dev.tsv"),
            OwnTrain = ownTrain,
            OwnHeldOut = ownHeldOut,
            Banking77 = banking,
            GoEmotionsSentiment = goSentiment,
        };
    }

    /// <summary>Takes the same fraction from every stratum; the order inside a stratum is a seeded shuffle.</summary>
    internal static (List<T> HeldOut, List<T> Remaining) StratifiedSplit<T>(IReadOnlyList<T> rows, Func<T, string> stratum, double fraction, int seed)
    {
        var heldOut = new List<T>();
        var rest = new List<T>();
        foreach (var group in rows.GroupBy(stratum).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (h, r) = RandomSplit(group.ToList(), fraction, seed);
            heldOut.AddRange(h);
            rest.AddRange(r);
        }
        return (heldOut, rest);
    }

    internal static (List<T> HeldOut, List<T> Remaining) RandomSplit<T>(IReadOnlyList<T> rows, double fraction, int seed)
    {
        var order = Enumerable.Range(0, rows.Count).ToArray();
        new Random(seed).Shuffle(order);
        int heldOutCount = (int)Math.Round(rows.Count * fraction);
        var heldOut = order.Take(heldOutCount).Order().Select(i => rows[i]).ToList();
        var rest = order.Skip(heldOutCount).Order().Select(i => rows[i]).ToList();
        return (heldOut, rest);
    }

    // The data sets quote nothing: split on tabs only (texts may contain '"').
    internal static IEnumerable<string[]> ReadTsv(string path, bool skipHeader) =>
        File.ReadLines(path, Encoding.UTF8)
            .Skip(skipHeader ? 1 : 0)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'));

    /// <summary>BANKING77 is RFC-4180 CSV with quoted fields that may contain newlines.</summary>
    internal static List<IntentText> ReadBankingCsv(string path) =>
        ParseCsv(File.ReadAllText(path, Encoding.UTF8))
            .Where(fields => fields.Length == 2)
            .Skip(1) // header
            .Select(fields => new IntentText(fields[0].Replace('\n', ' ').Trim(), fields[1]))
            .ToList();

    /// <summary>RFC-4180 records: quoted fields may hold commas, doubled quotes and line breaks; blank lines are skipped.</summary>
    internal static List<string[]> ParseCsv(string content)
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
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < content.Length && content[i + 1] == '\n')
                {
                    i++;
                }
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0)
                {
                    records.Add(fields.ToArray());
                }
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields.ToArray());
        }
        return records;
    }

    /// <summary>Sentiment of a GoEmotions comment: neutral-only → neutral; all labels positive or all negative → that; otherwise null (dropped).</summary>
    public string? SentimentOf(GoEmotionsText row)
    {
        if (row.Labels.Count == 1 && row.Labels[0] == EmotionLabels.NeutralName)
        {
            return "neutral";
        }
        var polarities = row.Labels.Select(l => GoEmotionsSentiment.GetValueOrDefault(l, "ambiguous")).Distinct().ToList();
        return polarities.Count == 1 && polarities[0] is "positive" or "negative" ? polarities[0] : null;
    }
}
