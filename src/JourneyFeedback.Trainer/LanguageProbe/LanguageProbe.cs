using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Data;

namespace JourneyFeedback.Trainer.LanguageProbe;

/// <summary>How polarity is learned: a binary head on polar lines only, or a 3-way head (positive, negative, other) on all lines.</summary>
/// <summary>
/// How polarity is learned: Binary on polar lines only; Soft on every line with a positive or negative label, split into a
/// positive and a negative row weighted by its share of positive and negative labels (mixed lines count too); ThreeWay
/// (positive, negative, other) on all lines.
/// </summary>
internal enum PolarityMode { Binary, Soft, ThreeWay }

/// <param name="NaiveBayes">Features scaled by their naive-Bayes log-count ratio on the training lines (NB-LR, Wang &amp; Manning 2012).</param>
internal sealed record PolarityHead(PolarityMode Mode, HeadSettings Settings, bool NaiveBayes = false)
{
    public string Describe() => (NaiveBayes ? "NB-scaled " : "") + Mode switch { PolarityMode.Binary => "binary ", PolarityMode.Soft => "soft binary ", _ => "3-way " } + Settings.Describe();
}

/// <summary>How Ekman groups are learned: six binary heads or one multiclass head; decided at 0 / argmax or at per-group thresholds tuned on validation.</summary>
internal sealed record EkmanHead(bool Multiclass, bool Tuned, HeadSettings Settings)
{
    public string Describe() => (Multiclass ? "multiclass " : "6 binary ") + Settings.Describe() + (Tuned ? ", tuned thresholds" : Multiclass ? ", argmax" : ", p=0.5");
}

/// <summary>A training set: the target language's train fold plus optional lines of other languages, featurized with one recipe.</summary>
internal sealed class Featurized
{
    public required FeatureRecipe Recipe { get; init; }
    public required string ExtraName { get; init; }
    public required int Dimension { get; init; }
    public required List<(XedLine Line, VBuffer<float> Features)> Train { get; init; }
    public required List<(XedLine Line, VBuffer<float> Features)> Validation { get; init; }
    public required List<(XedLine Line, VBuffer<float> Features)> HeldOut { get; init; }
}

/// <summary>One table row: the metric on the validation fold (where choices are made) and on the held-out split.</summary>
/// <param name="Scores">The head's raw scores on validation and held-out lines (kept to build ensembles).</param>
internal sealed record ProbeRow(string Task, string Variant, double Validation, double HeldOut, double Seconds, (float[][] Validation, float[][] HeldOut)? Scores = null);

/// <summary>
/// `language-probe DATA`: which per-language recipe reaches the issue-18 floors on XED pl/it/ro and RED-ro
/// (docs/language-probe.md). Every choice is made on a validation fold; the held-out split is only reported.
/// </summary>
internal static class LanguageProbeRun
{
    private const int Seed = 7;
    // English XED is four times larger than the others; its train fold is sampled down to keep the probe inside its budget.
    private const int EnglishExtraLines = 6000;

    private static readonly FeatureRecipe[] Recipes =
    [
        FeatureRecipe.Baseline,
        new("w1-2 c2-5 dict, folded", true, 2, 2, 5, false),
        new("w1-2 c1-4 dict", false, 2, 1, 4, false),
        new("w1-2 c3-6 dict", false, 2, 3, 6, false),
        new("w1-3 c2-5 dict", false, 3, 2, 5, false),
        new("w1-2 c2-5 hashed 2x2^18", false, 2, 2, 5, true),
    ];

    private static readonly Dictionary<string, string[][]> ExtraSets = new()
    {
        ["pl"] = [["it", "ro"], ["en"], ["it", "ro", "en"]],
        ["it"] = [["ro"], ["ro", "pl"], ["en"], ["ro", "pl", "en"]],
        ["ro"] = [["it"], ["it", "pl"], ["en"], ["it", "pl", "en"]],
    };

    public static int Run(string dataDirectory, string[] languages, Action<string> log)
    {
        var wall = Stopwatch.StartNew();
        var loads = new List<string> { $"start {Load()}" };
        string xed = Path.Combine(dataDirectory, "xed");
        var folds = new[] { "pl", "it", "ro", "en" }.ToDictionary(l => l, l => ProbeData.Folds(xed, l));
        foreach (var f in folds.Values)
        {
            log($"# {f.Language}: train {f.Train.Count}, validation {f.Validation.Count}, held-out {f.HeldOut.Count} " +
                $"(held-out polar {f.HeldOut.Count(l => ProbeData.Polarity(l) != 0)})");
        }

        var summary = new List<string>();
        foreach (var language in languages)
        {
            var rows = new List<ProbeRow>();
            void Print(ProbeRow row)
            {
                rows.Add(row);
                log(FormattableString.Invariant($"| {language} | {row.Task} | {row.Variant} | {row.Validation:F3} | {row.HeldOut:F3} | {row.Seconds:F1} |"));
            }
            log($"## {language}");
            log("| lang | task | variant | validation | held-out | fit s |");
            log("|---|---|---|---|---|---|");

            // 1–2: feature recipes with the baseline heads.
            var polarityBaseline = new PolarityHead(PolarityMode.Binary, HeadSettings.Baseline);
            var ekmanBaseline = new EkmanHead(false, false, HeadSettings.Baseline);
            var byRecipe = new Dictionary<FeatureRecipe, (ProbeRow Polarity, ProbeRow Ekman)>();
            var naiveBayesRows = new List<ProbeRow>();
            Featurized? anyFeatures = null;
            foreach (var recipe in Recipes)
            {
                var f = Featurize(folds, language, [], recipe);
                anyFeatures = f;
                var polarity = Polarity(f, polarityBaseline, $"{recipe.Name} | {polarityBaseline.Describe()}");
                var naiveBayes = Polarity(f, polarityBaseline with { NaiveBayes = true }, $"{recipe.Name} | {(polarityBaseline with { NaiveBayes = true }).Describe()}");
                Print(naiveBayes);
                naiveBayesRows.Add(naiveBayes);
                var (fixedRow, tunedRow) = EkmanBinary(f, HeadSettings.Baseline, $"{recipe.Name} | 6 binary {HeadSettings.Baseline.Describe()}");
                Print(polarity);
                Print(fixedRow);
                Print(tunedRow);
                byRecipe[recipe] = (polarity, tunedRow);
            }
            var polarityRecipe = byRecipe.MaxBy(r => r.Value.Polarity.Validation).Key;

            // Ensembles: probabilities averaged over the six recipes' heads (logistic scores are logits).
            var polarityEnsembles = new[]
            {
                PolarityEnsemble(anyFeatures!, byRecipe.Values.Select(v => v.Polarity).ToList(), "6 recipes | binary L-BFGS L2 1 bal, mean probability"),
                PolarityEnsemble(anyFeatures!, naiveBayesRows, "6 recipes | NB-scaled binary L-BFGS L2 1 bal, mean probability"),
                PolarityEnsemble(anyFeatures!, byRecipe.Values.Select(v => v.Polarity).Concat(naiveBayesRows).ToList(), "6 recipes x (plain, NB-scaled) | mean probability"),
            };
            foreach (var row in polarityEnsembles) { Print(row); }
            var ekmanEnsemble = EkmanEnsemble(anyFeatures!, byRecipe.Values.Select(v => v.Ekman).ToList(), "6 recipes | 6 binary L-BFGS L2 1 bal, mean probability, tuned thresholds");
            Print(ekmanEnsemble);
            var ekmanRecipe = byRecipe.MaxBy(r => r.Value.Ekman.Validation).Key;

            // 3: heads on the chosen features.
            var polarityFeatures = Featurize(folds, language, [], polarityRecipe);
            var polarityHeads = new List<PolarityHead>
            {
                polarityBaseline,
                new(PolarityMode.Binary, HeadSettings.Baseline with { Balanced = false }),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 0.01f }),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 0.03f }),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 0.1f }),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 0.3f }),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 3f }),
                new(PolarityMode.Binary, new HeadSettings(Learner.Sdca, 0, true)),
                new(PolarityMode.Binary, new HeadSettings(Learner.Perceptron, 0, false)),
                new(PolarityMode.Binary, new HeadSettings(Learner.Svm, 0, true)),
                new(PolarityMode.Soft, HeadSettings.Baseline),
                new(PolarityMode.Soft, HeadSettings.Baseline with { L2 = 0.1f }),
                new(PolarityMode.ThreeWay, HeadSettings.Baseline),
                new(PolarityMode.ThreeWay, new HeadSettings(Learner.Sdca, 0, true)),
                new(PolarityMode.Binary, HeadSettings.Baseline, NaiveBayes: true),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 0.1f }, NaiveBayes: true),
                new(PolarityMode.Binary, HeadSettings.Baseline with { L2 = 3f }, NaiveBayes: true),
                new(PolarityMode.Soft, HeadSettings.Baseline, NaiveBayes: true),
            };
            var polarityScores = new Dictionary<PolarityHead, ProbeRow>();
            foreach (var head in polarityHeads)
            {
                var row = head == polarityBaseline ? byRecipe[polarityRecipe].Polarity : Polarity(polarityFeatures, head, $"{polarityRecipe.Name} | {head.Describe()}");
                if (head != polarityBaseline) { Print(row); }
                polarityScores[head] = row;
            }
            var polarityHead = polarityScores.MaxBy(p => p.Value.Validation).Key;

            var ekmanFeatures = Featurize(folds, language, [], ekmanRecipe);
            var ekmanScores = new Dictionary<EkmanHead, ProbeRow> { [ekmanBaseline with { Tuned = true }] = byRecipe[ekmanRecipe].Ekman };
            foreach (var settings in new[] { HeadSettings.Baseline with { L2 = 0.01f }, HeadSettings.Baseline with { L2 = 0.1f }, HeadSettings.Baseline with { L2 = 3f }, HeadSettings.Baseline with { Balanced = false } })
            {
                var (_, tuned) = EkmanBinary(ekmanFeatures, settings, $"{ekmanRecipe.Name} | 6 binary {settings.Describe()}");
                Print(tuned);
                ekmanScores[new EkmanHead(false, true, settings)] = tuned;
            }
            foreach (var settings in new[] { HeadSettings.Baseline, HeadSettings.Baseline with { L2 = 0.1f }, HeadSettings.Baseline with { L2 = 0.01f }, new HeadSettings(Learner.Sdca, 0, true) })
            {
                var (argmax, tuned) = EkmanMulticlass(ekmanFeatures, settings, $"{ekmanRecipe.Name} | multiclass {settings.Describe()}");
                Print(argmax);
                Print(tuned);
                ekmanScores[new EkmanHead(true, false, settings)] = argmax;
                ekmanScores[new EkmanHead(true, true, settings)] = tuned;
            }
            var ekmanHead = ekmanScores.MaxBy(e => e.Value.Validation).Key;

            // 4: other languages' train folds as extra training data (their held-out lines are never used).
            var polarityExtra = new Dictionary<string, ProbeRow> { ["none"] = polarityScores[polarityHead] };
            var ekmanExtra = new Dictionary<string, ProbeRow> { ["none"] = ekmanScores[ekmanHead] };
            foreach (var extra in ExtraSets[language])
            {
                var pf = Featurize(folds, language, extra, polarityRecipe);
                var p = Polarity(pf, polarityHead, $"{polarityRecipe.Name} + {pf.ExtraName} | {polarityHead.Describe()}");
                Print(p);
                polarityExtra[pf.ExtraName] = p;
                var ef = ekmanRecipe == polarityRecipe ? pf : Featurize(folds, language, extra, ekmanRecipe);
                var e = Ekman(ef, ekmanHead, $"{ekmanRecipe.Name} + {ef.ExtraName} | {(ekmanHead.Multiclass ? "multiclass " : "6 binary ")}{ekmanHead.Settings.Describe()}");
                Print(e);
                ekmanExtra[ef.ExtraName] = e;
            }
            var bestPolarity = polarityExtra.MaxBy(p => p.Value.Validation);
            var bestEkman = ekmanExtra.MaxBy(e => e.Value.Validation);
            var bestEnsemble = polarityEnsembles.MaxBy(e => e.Validation)!;
            if (bestEnsemble.Validation > bestPolarity.Value.Validation)
            {
                summary.Add(FormattableString.Invariant($"| {language} | polarity | {bestEnsemble.Variant} | ensemble | {bestEnsemble.Validation:F3} | {bestEnsemble.HeldOut:F3} |"));
            }
            else
            {
                summary.Add(FormattableString.Invariant(
                    $"| {language} | polarity | {polarityRecipe.Name} + {bestPolarity.Key} | {polarityHead.Describe()} | {bestPolarity.Value.Validation:F3} | {bestPolarity.Value.HeldOut:F3} |"));
            }
            if (ekmanEnsemble.Validation > bestEkman.Value.Validation)
            {
                summary.Add(FormattableString.Invariant($"| {language} | Ekman macro-F1 | {ekmanEnsemble.Variant} | ensemble | {ekmanEnsemble.Validation:F3} | {ekmanEnsemble.HeldOut:F3} |"));
            }
            else
            {
                summary.Add(FormattableString.Invariant(
                    $"| {language} | Ekman macro-F1 | {ekmanRecipe.Name} + {bestEkman.Key} | {ekmanHead.Describe()} | {bestEkman.Value.Validation:F3} | {bestEkman.Value.HeldOut:F3} |"));
            }
            loads.Add($"after {language} {Load()}");
        }

        if (languages.Contains("ro"))
        {
            summary.AddRange(RedRo(Path.Combine(dataDirectory, "red-ro"), log));
            loads.Add($"after red-ro {Load()}");
        }

        log("## chosen (by validation; held-out reported)");
        log("| lang | task | features + extra data | head | validation | held-out |");
        log("|---|---|---|---|---|---|");
        summary.ForEach(log);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        log(FormattableString.Invariant($"## run: {wall.Elapsed.TotalSeconds:F0} s wall, {cpu:F0} s CPU ({cpu / wall.Elapsed.TotalSeconds:F2} cores busy on average), {Environment.ProcessorCount} cores"));
        log("load average (1/5/15 min): " + string.Join("; ", loads));
        return 0;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static Featurized Featurize(Dictionary<string, LanguageFolds> folds, string language, string[] extra, FeatureRecipe recipe)
    {
        var target = folds[language];
        var train = target.Train.ToList();
        foreach (var other in extra)
        {
            var lines = folds[other].Train;
            if (other == "en" && lines.Count > EnglishExtraLines)
            {
                var sampled = lines.ToArray();
                new Random(Seed).Shuffle(sampled);
                lines = sampled.Take(EnglishExtraLines).ToList();
            }
            train.AddRange(lines);
        }
        var space = new FeatureSpace(recipe, train.Select(l => l.Text));
        List<(XedLine, VBuffer<float>)> Run(IEnumerable<XedLine> lines) => lines.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount)
            .Select(l => (l, space.Featurize(l.Text))).ToList();
        return new Featurized
        {
            Recipe = recipe,
            ExtraName = extra.Length == 0 ? "none" : "+" + string.Join("+", extra.Select(e => e == "en" ? $"en({EnglishExtraLines})" : e)),
            Dimension = space.Dimension,
            Train = Run(train),
            Validation = Run(target.Validation),
            HeldOut = Run(target.HeldOut),
        };
    }

    private static ProbeRow Polarity(Featurized f, PolarityHead head, string variant)
    {
        var validation = f.Validation.Where(x => ProbeData.Polarity(x.Line) != 0).ToList();
        var heldOut = f.HeldOut.Where(x => ProbeData.Polarity(x.Line) != 0).ToList();
        double Accuracy(List<(XedLine Line, VBuffer<float> Features)> set, float[][] scores, Func<float[], bool> positive) =>
            set.Select((x, i) => positive(scores[i]) == (ProbeData.Polarity(x.Line) > 0)).Average(ok => ok ? 1.0 : 0.0);

        if (head.Mode != PolarityMode.ThreeWay)
        {
            var train = head.Mode == PolarityMode.Binary
                ? f.Train.Where(x => ProbeData.Polarity(x.Line) != 0).Select(x => (x.Features, ProbeData.Polarity(x.Line) > 0, 1f)).ToList()
                : f.Train.SelectMany(x => SoftRows(x.Line, x.Features)).ToList();
            Func<VBuffer<float>, VBuffer<float>> scale = v => v;
            if (head.NaiveBayes)
            {
                var ratio = LogCountRatio(train, f.Dimension);
                scale = v => Scale(v, ratio);
                train = train.Select(r => (scale(r.Item1), r.Item2, r.Item3)).ToList();
            }
            var scores = ProbeHeads.Binary(train, f.Dimension, head.Settings, Seed,
                validation.Select(x => scale(x.Features)).ToList(), heldOut.Select(x => scale(x.Features)).ToList());
            return new ProbeRow("polarity", variant, Accuracy(validation, scores.Sets[0], s => s[0] > 0), Accuracy(heldOut, scores.Sets[1], s => s[0] > 0), scores.Seconds,
                (scores.Sets[0], scores.Sets[1]));
        }
        // Classes 0 positive, 1 negative, 2 other; a polar line predicted "other" counts as wrong (the product shows neutral).
        var rows = f.Train.Select(x => (x.Features, ProbeData.Polarity(x.Line) switch { 1 => 0, -1 => 1, _ => 2 }, 1f)).ToList();
        var multi = ProbeHeads.Multiclass(rows, 3, f.Dimension, head.Settings, Seed, validation.Select(x => x.Features).ToList(), heldOut.Select(x => x.Features).ToList());
        bool Positive(float[] s) => s[0] >= s[1] && s[0] >= s[2];
        bool Negative(float[] s) => s[1] > s[0] && s[1] >= s[2];
        double Strict(List<(XedLine Line, VBuffer<float> Features)> set, float[][] scores) =>
            set.Select((x, i) => ProbeData.Polarity(x.Line) > 0 ? Positive(scores[i]) : Negative(scores[i])).Average(ok => ok ? 1.0 : 0.0);
        return new ProbeRow("polarity", variant, Strict(validation, multi.Sets[0]), Strict(heldOut, multi.Sets[1]), multi.Seconds);
    }

    /// <summary>r = log((p/|p|₁) / (q/|q|₁)) with p, q the smoothed (α = 1) weighted feature sums of positive and negative rows.</summary>
    private static float[] LogCountRatio(List<(VBuffer<float> Features, bool Label, float Weight)> rows, int dimension)
    {
        var p = new double[dimension];
        var q = new double[dimension];
        Array.Fill(p, 1.0);
        Array.Fill(q, 1.0);
        foreach (var (features, label, weight) in rows)
        {
            var target = label ? p : q;
            var indices = features.GetIndices();
            var values = features.GetValues();
            for (int i = 0; i < indices.Length; i++) { target[indices[i]] += weight * values[i]; }
        }
        double pSum = p.Sum(), qSum = q.Sum();
        return Enumerable.Range(0, dimension).Select(i => (float)Math.Log(p[i] / pSum / (q[i] / qSum))).ToArray();
    }

    private static VBuffer<float> Scale(VBuffer<float> features, float[] ratio)
    {
        var indices = features.GetIndices().ToArray();
        var values = features.GetValues().ToArray();
        for (int i = 0; i < indices.Length; i++) { values[i] *= ratio[indices[i]]; }
        return new VBuffer<float>(features.Length, indices.Length, values, indices);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float[][] MeanProbability(IReadOnlyList<float[][]> scores) =>
        Enumerable.Range(0, scores[0].Length).Select(i => Enumerable.Range(0, scores[0][i].Length)
            .Select(g => scores.Average(s => Sigmoid(s[i][g]))).ToArray()).ToArray();

    private static ProbeRow PolarityEnsemble(Featurized f, IReadOnlyList<ProbeRow> members, string variant)
    {
        var validation = f.Validation.Where(x => ProbeData.Polarity(x.Line) != 0).ToList();
        var heldOut = f.HeldOut.Where(x => ProbeData.Polarity(x.Line) != 0).ToList();
        var v = MeanProbability(members.Select(m => m.Scores!.Value.Validation).ToList());
        var h = MeanProbability(members.Select(m => m.Scores!.Value.HeldOut).ToList());
        double Accuracy(List<(XedLine Line, VBuffer<float> Features)> set, float[][] p) =>
            set.Select((x, i) => (p[i][0] > 0.5f) == (ProbeData.Polarity(x.Line) > 0)).Average(ok => ok ? 1.0 : 0.0);
        return new ProbeRow("polarity", variant, Accuracy(validation, v), Accuracy(heldOut, h), members.Sum(m => m.Seconds));
    }

    private static ProbeRow EkmanEnsemble(Featurized f, IReadOnlyList<ProbeRow> members, string variant)
    {
        var v = MeanProbability(members.Select(m => m.Scores!.Value.Validation).ToList());
        var h = MeanProbability(members.Select(m => m.Scores!.Value.HeldOut).ToList());
        return Tuned(f, v, h, variant, members.Sum(m => m.Seconds));
    }

    private static IEnumerable<(VBuffer<float>, bool, float)> SoftRows(XedLine line, VBuffer<float> features)
    {
        int positive = line.Labels.Count(l => ProbeData.PositiveLabels.Contains(l));
        int negative = line.Labels.Count(l => ProbeData.NegativeLabels.Contains(l));
        if (positive > 0) { yield return (features, true, positive / (float)(positive + negative)); }
        if (negative > 0) { yield return (features, false, negative / (float)(positive + negative)); }
    }

    private static ProbeRow Ekman(Featurized f, EkmanHead head, string variant)
    {
        if (head.Multiclass)
        {
            var (argmax, tuned) = EkmanMulticlass(f, head.Settings, variant);
            return head.Tuned ? tuned : argmax;
        }
        var (fixedRow, tunedRow) = EkmanBinary(f, head.Settings, variant);
        return head.Tuned ? tunedRow : fixedRow;
    }

    /// <summary>Six binary heads (fitted two at a time): decided at score 0 (p = 0.5) and at per-group thresholds tuned on validation.</summary>
    private static (ProbeRow Fixed, ProbeRow Tuned) EkmanBinary(Featurized f, HeadSettings settings, string variant)
    {
        int groups = ProbeData.EkmanGroups.Length;
        var results = new HeadScores[groups];
        Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, g =>
        {
            var train = f.Train.Select(x => (x.Features, ProbeData.Groups(x.Line)[g], 1f)).ToList();
            results[g] = ProbeHeads.Binary(train, f.Dimension, settings, Seed + g, f.Validation.Select(x => x.Features).ToList(), f.HeldOut.Select(x => x.Features).ToList());
        });
        float[][] Scores(int set, int count) => Enumerable.Range(0, count).Select(i => Enumerable.Range(0, groups).Select(g => results[g].Sets[set][i][0]).ToArray()).ToArray();
        var validation = Scores(0, f.Validation.Count);
        var heldOut = Scores(1, f.HeldOut.Count);
        double seconds = results.Sum(r => r.Seconds);
        var zero = Enumerable.Repeat(0f, groups).ToArray();
        var fixedRow = new ProbeRow("Ekman macro-F1", variant + ", p=0.5",
            MacroF1(f.Validation, validation, zero), MacroF1(f.HeldOut, heldOut, zero), seconds);
        return (fixedRow with { Scores = (validation, heldOut) }, Tuned(f, validation, heldOut, variant + ", tuned thresholds", seconds) with { Scores = (validation, heldOut) });
    }

    /// <summary>
    /// One multiclass head on lines repeated once per gold group (weight 1/k each): argmax as the single group, or every
    /// group whose probability passes its threshold tuned on validation.
    /// </summary>
    private static (ProbeRow Argmax, ProbeRow Tuned) EkmanMulticlass(Featurized f, HeadSettings settings, string variant)
    {
        var rows = new List<(VBuffer<float>, int, float)>();
        foreach (var (line, features) in f.Train)
        {
            var groups = ProbeData.Groups(line);
            int k = groups.Count(g => g);
            for (int g = 0; g < groups.Length; g++)
            {
                if (groups[g]) { rows.Add((features, g, 1f / k)); }
            }
        }
        var scores = ProbeHeads.Multiclass(rows, ProbeData.EkmanGroups.Length, f.Dimension, settings, Seed,
            f.Validation.Select(x => x.Features).ToList(), f.HeldOut.Select(x => x.Features).ToList());
        bool[][] Argmax(float[][] s) => s.Select(v => v.Select((p, g) => g == Array.IndexOf(v, v.Max())).ToArray()).ToArray();
        var argmax = new ProbeRow("Ekman macro-F1", variant + ", argmax",
            MacroF1(f.Validation, Argmax(scores.Sets[0])), MacroF1(f.HeldOut, Argmax(scores.Sets[1])), scores.Seconds);
        return (argmax, Tuned(f, scores.Sets[0], scores.Sets[1], variant + ", tuned thresholds", scores.Seconds));
    }

    /// <summary>
    /// Per-group thresholds. The validation figure is two-fold on the validation lines (tuned on one half, scored on the
    /// other) so it is not flattered by its own tuning; the held-out figure uses thresholds tuned on all validation lines.
    /// </summary>
    private static ProbeRow Tuned(Featurized f, float[][] validation, float[][] heldOut, string variant, double seconds)
    {
        int n = f.Validation.Count;
        var half = Enumerable.Range(0, n).Select(i => i % 2 == 0).ToArray();
        var predicted = new bool[n][];
        foreach (var side in new[] { true, false })
        {
            var tuneOn = Enumerable.Range(0, n).Where(i => half[i] == side).ToList();
            var thresholds = Thresholds(tuneOn.Select(i => f.Validation[i].Line).ToList(), tuneOn.Select(i => validation[i]).ToList());
            foreach (var i in Enumerable.Range(0, n).Where(i => half[i] != side))
            {
                predicted[i] = validation[i].Select((s, g) => s >= thresholds[g]).ToArray();
            }
        }
        var all = Thresholds(f.Validation.Select(x => x.Line).ToList(), validation);
        return new ProbeRow("Ekman macro-F1", variant, MacroF1(f.Validation.Select(x => x.Line).ToList(), predicted),
            MacroF1(f.HeldOut, heldOut, all), seconds);
    }

    /// <summary>Per group, the score cut with the best F1 on the given lines (midway between neighbouring scores).</summary>
    private static float[] Thresholds(IReadOnlyList<XedLine> lines, IReadOnlyList<float[]> scores)
    {
        var gold = lines.Select(ProbeData.Groups).ToList();
        var thresholds = new float[ProbeData.EkmanGroups.Length];
        for (int g = 0; g < thresholds.Length; g++)
        {
            var order = Enumerable.Range(0, lines.Count).OrderByDescending(i => scores[i][g]).ToList();
            int positives = gold.Count(x => x[g]);
            int tp = 0;
            double bestF1 = -1;
            float best = float.PositiveInfinity;
            for (int k = 0; k < order.Count; k++)
            {
                if (gold[order[k]][g]) { tp++; }
                // Predicting the top k+1 lines: F1 = 2tp / (predicted + positives).
                double f1 = 2.0 * tp / (k + 1 + positives);
                if (f1 > bestF1 && (k + 1 == order.Count || scores[order[k + 1]][g] < scores[order[k]][g]))
                {
                    bestF1 = f1;
                    best = k + 1 == order.Count ? float.NegativeInfinity : (scores[order[k]][g] + scores[order[k + 1]][g]) / 2;
                }
            }
            thresholds[g] = best;
        }
        return thresholds;
    }

    private static double MacroF1(List<(XedLine Line, VBuffer<float> Features)> set, float[][] scores, float[] thresholds) =>
        MacroF1(set.Select(x => x.Line).ToList(), scores.Select(s => s.Select((v, g) => v > thresholds[g] || (thresholds[g] == float.NegativeInfinity)).ToArray()).ToArray());

    private static double MacroF1(List<(XedLine Line, VBuffer<float> Features)> set, bool[][] predicted) => MacroF1(set.Select(x => x.Line).ToList(), predicted);

    /// <summary>Per Ekman group F1 over the lines (gold: the line has a label in the group), averaged over the six groups.</summary>
    public static double MacroF1(IReadOnlyList<XedLine> lines, bool[][] predicted)
    {
        var gold = lines.Select(ProbeData.Groups).ToList();
        double sum = 0;
        for (int g = 0; g < ProbeData.EkmanGroups.Length; g++)
        {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < lines.Count; i++)
            {
                if (predicted[i][g] && gold[i][g]) { tp++; }
                else if (predicted[i][g]) { fp++; }
                else if (gold[i][g]) { fn++; }
            }
            sum += tp == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
        }
        return sum / ProbeData.EkmanGroups.Length;
    }

    /// <summary>
    /// RED-ro five classes: recipes compared on a validation fold carved from train.csv (20%, seeded, stratified), the
    /// chosen one refitted on all of train.csv and scored on the standard val.csv.
    /// </summary>
    private static List<string> RedRo(string directory, Action<string> log)
    {
        var train = ProbeData.LoadRed(Path.Combine(directory, "train.csv"));
        var validation = ProbeData.LoadRed(Path.Combine(directory, "val.csv"));
        var classes = train.Select(t => t.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var (fitPart, tunePart) = ProbeData.Split(train, t => t.Text, t => t.Label, 0.2, ProbeData.ValidationSeed);
        log($"## red-ro: train.csv {train.Count} (fit {fitPart.Count} / choose {tunePart.Count}), val.csv {validation.Count}; classes {string.Join(", ", classes)}");
        log("| task | variant | choice fold | val.csv | fit s |");
        log("|---|---|---|---|---|");

        (double Accuracy, double Seconds) Score(FeatureRecipe recipe, HeadSettings settings, IReadOnlyList<LabelledText> fit, IReadOnlyList<LabelledText> scored)
        {
            var space = new FeatureSpace(recipe, fit.Select(t => t.Text));
            var rows = fit.Select(t => (space.Featurize(t.Text), Array.IndexOf(classes, t.Label), 1f)).ToList();
            var result = ProbeHeads.Multiclass(rows, classes.Length, space.Dimension, settings, Seed, scored.Select(t => space.Featurize(t.Text)).ToList());
            var correct = scored.Select((t, i) => Array.IndexOf(result.Sets[0][i], result.Sets[0][i].Max()) == Array.IndexOf(classes, t.Label));
            return (correct.Average(ok => ok ? 1.0 : 0.0), result.Seconds);
        }

        var candidates = new List<(FeatureRecipe Recipe, HeadSettings Settings)>();
        foreach (var recipe in Recipes.Where(r => !r.Hashing))
        {
            candidates.Add((recipe, HeadSettings.Baseline));
            candidates.Add((recipe, new HeadSettings(Learner.Sdca, 0, true)));
        }
        foreach (var l2 in new[] { 0.01f, 0.03f, 0.1f, 3f })
        {
            candidates.Add((FeatureRecipe.Baseline, HeadSettings.Baseline with { L2 = l2 }));
        }
        var results = new List<(FeatureRecipe Recipe, HeadSettings Settings, double Choice, double Val, double Seconds)>();
        foreach (var (recipe, settings) in candidates)
        {
            var choice = Score(recipe, settings, fitPart, tunePart);
            var full = Score(recipe, settings, train, validation);
            results.Add((recipe, settings, choice.Accuracy, full.Accuracy, full.Seconds));
            log(FormattableString.Invariant($"| RED-ro 5-class accuracy | {recipe.Name} / {settings.Describe()} | {choice.Accuracy:F3} | {full.Accuracy:F3} | {full.Seconds:F1} |"));
        }
        var best = results.MaxBy(r => r.Choice);
        return [FormattableString.Invariant($"| ro | RED-ro 5-class accuracy (val.csv) | {best.Recipe.Name} | multiclass {best.Settings.Describe()} | {best.Choice:F3} (choice fold) | {best.Val:F3} |")];
    }
}
