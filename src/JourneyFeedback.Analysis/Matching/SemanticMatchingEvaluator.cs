using System.Diagnostics;

namespace JourneyFeedback.Analysis.Matching;

/// <summary>
/// A labelled set for one map. <see cref="Known"/> are the texts confirmations are drawn from (the rest of them is
/// the map's unlabelled pool); <see cref="HeldOut"/> are the texts scored, never confirmed and never a teacher label.
/// <see cref="Unmapped"/> are texts of the same log that belong to no touchpoint of the map (from the held-out file; those
/// of the known file are <see cref="KnownUnmapped"/>): they stay in the map's pool (an import brings them too), are never
/// scored right or wrong, and for them the inbox is the right place.
/// </summary>
public sealed record MatchingSet(string Name, IReadOnlyList<TouchpointDescriptor> Touchpoints, IReadOnlyList<LabelledText> Known,
    IReadOnlyList<LabelledText> HeldOut, int ConfirmationsPerTouchpoint, IReadOnlyList<string>? Unmapped = null, IReadOnlyList<string>? KnownUnmapped = null);

/// <summary>
/// One protocol's outcome on the held-out texts, with the expected calibration error of its confidence. Over several
/// draws of the confirmations, the scores are means and <see cref="AccuracySd"/> / <see cref="AccuracyMin"/> say how
/// much top-1 depended on which examples an author happened to confirm. <see cref="UnmappedInInbox"/>: the share of the
/// set's unmapped texts the protocol left in the inbox (null: the set has none).
/// </summary>
public sealed record ProtocolResult(string Protocol, MatchingScore Score, double CalibrationError, IReadOnlyList<(double Confidence, bool Correct)> Outcomes,
    int Draws = 1, double AccuracySd = 0, double AccuracyMin = double.NaN, double? UnmappedInInbox = null);

/// <summary>
/// Measures the semantic tier and its lexical student per map: (a) zero-shot from the map alone, (a+) the same adapted
/// to the map's unlabelled items, (b) with confirmations, (c) the lexical student trained on the confirmations plus the
/// tier's labels of the unlabelled pool, (d) the lexical matcher alone. Run by `JourneyFeedback.Trainer -- matching`.
/// </summary>
public static class SemanticMatchingEvaluator
{
    /// <summary>Weight of a teacher label in the student relative to an author's confirmation (chosen on dev data).</summary>
    public const double TeacherWeight = 0.5;

    /// <summary>The touchpoint an intent table gives an intent that belongs to none of the map's touchpoints.</summary>
    public const string NoTouchpoint = "-";

    /// <summary>
    /// An intent set (intent TAB text) mapped to a map's touchpoints through an intent → touchpoint table that names
    /// every intent of the set; <see cref="NoTouchpoint"/> marks an intent the map has no place for (its texts become
    /// <see cref="MatchingSet.Unmapped"/> and <see cref="MatchingSet.KnownUnmapped"/>).
    /// </summary>
    public static MatchingSet LoadIntentSet(string name, string mapPath, string intentsPath, string knownPath, string heldOutPath, int confirmations)
    {
        var touchpoints = MatchingEvaluator.ReadMap(mapPath);
        var names = touchpoints.Select(t => t.Name).ToHashSet();
        var toTouchpoint = MatchingEvaluator.ReadLabelled(intentsPath).ToDictionary(l => l.Touchpoint, l => l.Text);
        foreach (var touchpoint in toTouchpoint.Values)
            if (touchpoint != NoTouchpoint && !names.Contains(touchpoint)) throw new InvalidDataException($"Unknown touchpoint '{touchpoint}' in {intentsPath}.");
        List<LabelledText> Read(string path) => MatchingEvaluator.ReadLabelled(path).Select(l => toTouchpoint.TryGetValue(l.Touchpoint, out var touchpoint)
            ? new LabelledText(touchpoint, l.Text)
            : throw new InvalidDataException($"Intent '{l.Touchpoint}' of {path} is not in {intentsPath}.")).ToList();
        var (known, knownUnmapped) = Split(Read(knownPath));
        var (heldOut, unmapped) = Split(Read(heldOutPath));
        return new MatchingSet(name, touchpoints, known, heldOut, confirmations, unmapped, knownUnmapped);

        static (List<LabelledText> Mapped, List<string>? Unmapped) Split(List<LabelledText> texts) =>
            (texts.Where(t => t.Touchpoint != NoTouchpoint).ToList(),
             texts.Any(t => t.Touchpoint == NoTouchpoint) ? texts.Where(t => t.Touchpoint == NoTouchpoint).Select(t => t.Text).ToList() : null);
    }

    /// <summary>A small hand-labelled set: the first two texts per touchpoint are the confirmations, the rest is held out.</summary>
    public static MatchingSet LoadSmallSet(string name, string mapPath, string labelledPath)
    {
        var touchpoints = MatchingEvaluator.ReadMap(mapPath);
        var texts = MatchingEvaluator.ReadLabelled(labelledPath);
        var firstTwo = texts.GroupBy(t => t.Touchpoint).SelectMany(g => g.Take(2)).ToHashSet();
        return new MatchingSet(name, touchpoints, firstTwo.ToList(), texts.Where(t => !firstTwo.Contains(t)).ToList(), 2);
    }

    /// <summary>The same map, with the known texts split again: for tuning on dev data without touching the held-out texts.</summary>
    public static MatchingSet DevSplit(MatchingSet set, int seed = 5)
    {
        var random = new Random(seed);
        var shuffled = set.Known.ToArray();
        random.Shuffle(shuffled);
        var half = shuffled.Length / 2;
        // The held-out file's unmapped texts stay out of a dev run; the known file's are measured instead.
        return set with { Name = set.Name + " (dev)", Known = shuffled[..half], HeldOut = shuffled[half..], Unmapped = set.KnownUnmapped, KnownUnmapped = null };
    }

    /// <summary>
    /// <see cref="Evaluate"/> once per pair of dev split (0: the set as given) and confirmation seed, merged per protocol:
    /// one draw of 20 confirmations per touchpoint moved banking77's top-1 by ±0.03, more than most settings did.
    /// </summary>
    public static List<ProtocolResult> EvaluateDraws(MatchingSet set, Func<IReadOnlyList<string>, float[][]> embed, IReadOnlyList<(int DevSplit, int Seed)> draws)
    {
        var runs = draws.Select(d => Evaluate(d.DevSplit == 0 ? set : DevSplit(set, d.DevSplit), embed, d.Seed).Results).ToList();
        return runs[0].Select((first, i) =>
        {
            var all = runs.Select(r => r[i]).ToList();
            var accuracy = all.Select(r => r.Score.Accuracy).ToList();
            var mean = accuracy.Average();
            var score = new MatchingScore(first.Score.Texts, mean, all.Average(r => r.Score.MacroAccuracy),
                all.Average(r => r.Score.Coverage), all.Average(r => r.Score.PrecisionAboveThreshold));
            return new ProtocolResult(first.Protocol, score, all.Average(r => r.CalibrationError), all.SelectMany(r => r.Outcomes).ToList(),
                all.Count, Math.Sqrt(accuracy.Average(a => (a - mean) * (a - mean))), accuracy.Min(),
                first.UnmappedInInbox is null ? null : all.Average(r => r.UnmappedInInbox!.Value));
        }).ToList();
    }

    public static (List<ProtocolResult> Results, TimeSpan StudentBuild) Evaluate(MatchingSet set, Func<IReadOnlyList<string>, float[][]> embed, int seed = 13)
    {
        var ids = set.Touchpoints.ToDictionary(t => t.Name, t => t.Id);
        var random = new Random(seed);
        var confirmed = set.Known.GroupBy(t => t.Touchpoint)
            .SelectMany(g => g.OrderBy(_ => random.Next()).Take(set.ConfirmationsPerTouchpoint)).ToHashSet();
        var pool = set.Known.Where(t => !confirmed.Contains(t)).ToList();

        var known = embed(set.Known.Select(t => t.Text).ToList());
        var heldOut = embed(set.HeldOut.Select(t => t.Text).ToList());
        var vectors = new Dictionary<LabelledText, float[]>();
        for (var i = 0; i < set.Known.Count; i++) vectors[set.Known[i]] = known[i];
        var confirmedExamples = confirmed.Select(t => new EmbeddedExample(ids[t.Touchpoint], t.Text, vectors[t])).ToList();
        // The worker embeds the map's items, so the tier may adapt to all of them (labels unseen); the student only
        // learns from the pool, never from the held-out texts it is scored on.
        var unmapped = set.Unmapped is { } texts ? embed(texts) : [];
        var knownUnmapped = set.KnownUnmapped is { } knownTexts ? embed(knownTexts) : [];
        var unlabelled = pool.Select(t => vectors[t]).Concat(heldOut).Concat(unmapped).Concat(knownUnmapped).ToList();

        var results = new List<ProtocolResult>();
        ProtocolResult Semantic(string name, SemanticMatcher matcher) =>
            Score(name, set, (t, i) => matcher.Match(new MatchInput(t.Text), heldOut[i]), ids) with
            {
                UnmappedInInbox = set.Unmapped is null ? null
                    : set.Unmapped.Where((t, i) => matcher.Match(new MatchInput(t), unmapped[i]).TouchpointId is null).Count() / (double)set.Unmapped.Count,
            };
        ProtocolResult Lexical(string name, TouchpointMatcher matcher) =>
            Score(name, set, (t, _) => matcher.Match(new MatchInput(t.Text)), ids);

        results.Add(Semantic("semantic, map only", new SemanticMatcher(set.Touchpoints, [], embed)));
        var adapted = new SemanticMatcher(set.Touchpoints, [], embed, unlabelled: unlabelled);
        results.Add(Semantic("semantic, map + items", adapted));
        var taught = new SemanticMatcher(set.Touchpoints, confirmedExamples, embed, unlabelled: unlabelled);
        results.Add(Semantic($"semantic +{set.ConfirmationsPerTouchpoint}/tp", taught));

        results.Add(Lexical("student, no confirm.", new TouchpointMatcher(set.Touchpoints, TeacherLabels(adapted, pool, vectors))));
        var studentExamples = confirmed.Select(t => new MatchExample(ids[t.Touchpoint], t.Text)).Concat(TeacherLabels(taught, pool, vectors)).ToList();
        var clock = Stopwatch.StartNew();
        var student = new TouchpointMatcher(set.Touchpoints, studentExamples);
        var build = clock.Elapsed;
        results.Add(Lexical($"student +{set.ConfirmationsPerTouchpoint}/tp", student));

        // The student as the API builds it (StudentMatcher): the teacher's confident placements (≥ 0.6) and its inbox.
        var apiTeacher = pool.Select(t => (Text: t.Text, Match: taught.Match(new MatchInput(t.Text), vectors[t])))
            .Where(p => p.Match.TouchpointId is null || p.Match.Confidence >= 0.6)
            .Select(p => new TeacherLabel(p.Text, p.Match.TouchpointId)).ToList();
        results.Add(Lexical($"API student +{set.ConfirmationsPerTouchpoint}/tp", StudentMatcher.Train(set.Touchpoints,
            confirmed.Select(t => new MatchExample(ids[t.Touchpoint], t.Text)).ToList(), apiTeacher, TeacherWeight, TouchpointMatcher.DefaultThreshold)));

        results.Add(Lexical("lexical, map only", new TouchpointMatcher(set.Touchpoints)));
        results.Add(Lexical($"lexical +{set.ConfirmationsPerTouchpoint}/tp", new TouchpointMatcher(set.Touchpoints, confirmed.Select(t => new MatchExample(ids[t.Touchpoint], t.Text)))));
        return (results, build);
    }

    private static IEnumerable<MatchExample> TeacherLabels(SemanticMatcher teacher, List<LabelledText> pool, Dictionary<LabelledText, float[]> vectors)
    {
        foreach (var text in pool)
        {
            var match = teacher.Match(new MatchInput(text.Text), vectors[text]);
            if (match.BestGuess is { } guess)
                yield return new MatchExample(guess, text.Text, TeacherWeight);
        }
    }

    private static ProtocolResult Score(string protocol, MatchingSet set, Func<LabelledText, int, TouchpointMatch> match, Dictionary<string, Guid> ids)
    {
        var outcomes = set.HeldOut.Select((t, i) => (Text: t, Match: match(t, i))).ToList();
        var correct = outcomes.Count(o => o.Match.BestGuess == ids[o.Text.Touchpoint]);
        var macro = outcomes.GroupBy(o => o.Text.Touchpoint).Average(g => g.Count(o => o.Match.BestGuess == ids[o.Text.Touchpoint]) / (double)g.Count());
        var assigned = outcomes.Where(o => o.Match.TouchpointId is not null).ToList();
        var assignedCorrect = assigned.Count(o => o.Match.TouchpointId == ids[o.Text.Touchpoint]);
        var score = new MatchingScore(outcomes.Count, (double)correct / outcomes.Count, macro, (double)assigned.Count / outcomes.Count,
            assigned.Count == 0 ? 0 : (double)assignedCorrect / assigned.Count);
        var reliability = outcomes.Select(o => (o.Match.Confidence, o.Match.BestGuess == ids[o.Text.Touchpoint])).ToList();
        return new ProtocolResult(protocol, score, CalibrationError(reliability), reliability);
    }

    /// <summary>Expected calibration error over ten equal-width confidence bins: 0 when confidence equals accuracy.</summary>
    public static double CalibrationError(IReadOnlyList<(double Confidence, bool Correct)> outcomes)
    {
        if (outcomes.Count == 0) return 0;
        return outcomes.GroupBy(o => Math.Min(9, (int)(o.Confidence * 10)))
            .Sum(bin => bin.Count() * Math.Abs(bin.Average(o => o.Confidence) - bin.Average(o => o.Correct ? 1.0 : 0.0))) / outcomes.Count;
    }

    /// <summary>Accuracy per confidence bin (0–0.1, …, 0.9–1): the reliability diagram as text.</summary>
    public static IEnumerable<(double From, int Count, double MeanConfidence, double Accuracy)> Reliability(IReadOnlyList<(double Confidence, bool Correct)> outcomes, int bins = 5) =>
        outcomes.GroupBy(o => Math.Min(bins - 1, (int)(o.Confidence * bins))).OrderBy(b => b.Key)
            .Select(b => ((double)b.Key / bins, b.Count(), b.Average(o => o.Confidence), b.Average(o => o.Correct ? 1.0 : 0.0)));
}
