using System.Text.Json;

namespace JourneyFeedback.Analysis.Matching;

/// <summary>One labelled text: the touchpoint a careful reader attaches it to.</summary>
public sealed record LabelledText(string Touchpoint, string Text);

/// <summary>Accuracy of one protocol: top-1 over all texts; coverage and precision of the matches above the threshold.</summary>
public sealed record MatchingScore(int Texts, double Accuracy, double MacroAccuracy, double Coverage, double PrecisionAboveThreshold);

public sealed record MatchingReport(string Map, int Touchpoints, MatchingScore ZeroShot, MatchingScore TwoExamplesEach, MatchingScore FiveFold);

/// <summary>
/// Measures text-to-touchpoint matching on a labelled set (samples/matching/): with the map alone; with two confirmed
/// examples per touchpoint (what an author gives in a first sitting); and by 5-fold cross-validation where four fifths
/// of the texts are confirmed examples. Held-out texts are never among the examples.
/// </summary>
public static class MatchingEvaluator
{
    public static MatchingReport Evaluate(string mapJsonPath, string labelledTsvPath, double threshold = TouchpointMatcher.DefaultThreshold)
    {
        var touchpoints = ReadMap(mapJsonPath);
        var texts = ReadLabelled(labelledTsvPath);
        var byName = touchpoints.ToDictionary(t => t.Name, t => t.Id);
        foreach (var text in texts)
            if (!byName.ContainsKey(text.Touchpoint)) throw new InvalidDataException($"Unknown touchpoint '{text.Touchpoint}' in {labelledTsvPath}.");

        var zeroShot = Score(new TouchpointMatcher(touchpoints, null, threshold), texts, byName);

        // Two examples per touchpoint: the first two texts of each; scored on all the others.
        var firstTwo = texts.GroupBy(t => t.Touchpoint).SelectMany(g => g.Take(2)).ToHashSet();
        var twoEach = Score(new TouchpointMatcher(touchpoints, firstTwo.Select(t => new MatchExample(byName[t.Touchpoint], t.Text)), threshold),
            texts.Where(t => !firstTwo.Contains(t)).ToList(), byName);

        // 5 folds, stratified by touchpoint (every fifth text of each touchpoint is held out in turn).
        var fold = new Dictionary<LabelledText, int>();
        foreach (var group in texts.GroupBy(t => t.Touchpoint))
        {
            var i = 0;
            foreach (var text in group) fold[text] = i++ % 5;
        }
        var outcomes = new List<(LabelledText Text, TouchpointMatch Match)>();
        for (var k = 0; k < 5; k++)
        {
            var examples = texts.Where(t => fold[t] != k).Select(t => new MatchExample(byName[t.Touchpoint], t.Text));
            var matcher = new TouchpointMatcher(touchpoints, examples, threshold);
            outcomes.AddRange(texts.Where(t => fold[t] == k).Select(t => (t, matcher.Match(new MatchInput(t.Text)))));
        }
        var fiveFold = Summarize(outcomes, byName);
        return new MatchingReport(Path.GetFileNameWithoutExtension(mapJsonPath), touchpoints.Count, zeroShot, twoEach, fiveFold);
    }

    private static MatchingScore Score(TouchpointMatcher matcher, IReadOnlyList<LabelledText> texts, Dictionary<string, Guid> byName) =>
        Summarize(texts.Select(t => (t, matcher.Match(new MatchInput(t.Text)))).ToList(), byName);

    private static MatchingScore Summarize(List<(LabelledText Text, TouchpointMatch Match)> outcomes, Dictionary<string, Guid> byName)
    {
        var correct = outcomes.Count(o => o.Match.BestGuess == byName[o.Text.Touchpoint]);
        var macro = outcomes.GroupBy(o => o.Text.Touchpoint)
            .Average(g => g.Count(o => o.Match.BestGuess == byName[o.Text.Touchpoint]) / (double)g.Count());
        var assigned = outcomes.Where(o => o.Match.TouchpointId is not null).ToList();
        var assignedCorrect = assigned.Count(o => o.Match.TouchpointId == byName[o.Text.Touchpoint]);
        return new MatchingScore(outcomes.Count, Math.Round((double)correct / outcomes.Count, 4), Math.Round(macro, 4),
            Math.Round((double)assigned.Count / outcomes.Count, 4), assigned.Count == 0 ? 0 : Math.Round((double)assignedCorrect / assigned.Count, 4));
    }

    /// <summary>The touchpoints of a map document (the JSON that POST /api/maps takes), with made-up ids.</summary>
    public static List<TouchpointDescriptor> ReadMap(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var touchpoints = new List<TouchpointDescriptor>();
        foreach (var stage in document.RootElement.GetProperty("stages").EnumerateArray())
        {
            var stageName = stage.GetProperty("name").GetString();
            if (!stage.TryGetProperty("touchpoints", out var list)) continue;
            foreach (var t in list.EnumerateArray())
            {
                touchpoints.Add(new TouchpointDescriptor(Guid.NewGuid(), t.GetProperty("name").GetString()!,
                    t.TryGetProperty("channel", out var channel) ? channel.GetString() : null,
                    t.TryGetProperty("description", out var description) ? description.GetString() : null,
                    t.TryGetProperty("keywords", out var keywords) ? keywords.EnumerateArray().Select(k => k.GetString()!).ToList() : [],
                    stageName));
            }
        }
        return touchpoints;
    }

    public static List<LabelledText> ReadLabelled(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(p => new LabelledText(p[0], p[1])).ToList();
}
