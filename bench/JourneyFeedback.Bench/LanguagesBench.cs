using System.Diagnostics;
using System.Globalization;
using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Bench;

/// <summary>
/// Analysis throughput of a mixed-language file against an English-only one (issue 18: within 20%). Both files are
/// drawn from our own customer texts (English pain-points.tsv; pl/it/ro.tsv), cut to the same length distribution so
/// the comparison is the languages, not the lengths; batches of 1,024 on all cores, as an import calls the analyzer.
/// </summary>
internal static class LanguagesBench
{
    public static int Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var analyzer = FeedbackAnalyzer.Load();
        var own = Path.Combine(TrainingDataLocator.Require(), "own");
        string[] Texts(string file) => File.ReadLines(Path.Combine(own, file)).Skip(1).Select(l => l.Split('\t')[0]).ToArray();
        var english = Texts("pain-points.tsv");
        string[][] others = [Texts("pl.tsv"), Texts("it.tsv"), Texts("ro.tsv")];

        // Every text is cut to a length drawn from one seeded distribution (40–200 characters), for both files.
        var random = new Random(7);
        var lengths = Enumerable.Range(0, count).Select(_ => random.Next(40, 201)).ToArray();
        static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
        var englishOnly = Enumerable.Range(0, count).Select(i => Cut(english[(i * 7919) % english.Length], lengths[i])).ToList();
        var mixed = Enumerable.Range(0, count).Select(i =>
        {
            var source = i % 4 == 0 ? english : others[i % 4 - 1];
            return Cut(source[(i * 7919) % source.Length], lengths[i]);
        }).ToList();
        Console.WriteLine(FormattableString.Invariant(
            $"cores={Environment.ProcessorCount} texts={count} avgChars english={englishOnly.Average(t => t.Length):F0} mixed={mixed.Average(t => t.Length):F0}"));
        var routed = analyzer.Analyze(mixed.Take(4000).ToList());
        Console.WriteLine("mixed file, models used (first 4,000): " + string.Join(", ",
            routed.GroupBy(r => r.ModelLanguage).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        analyzer.Analyze(englishOnly.Take(4000).ToList()); // warm-up of the English engines too

        double englishChars = englishOnly.Sum(t => t.Length), mixedChars = mixed.Sum(t => t.Length);
        var ratios = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            double englishRate = Rate(analyzer, englishOnly);
            double mixedRate = Rate(analyzer, mixed);
            ratios.Add(mixedRate / englishRate);
            Console.WriteLine(FormattableString.Invariant(
                $"round {round}: english-only {englishRate,8:F0} texts/s ({englishRate * englishChars / texts(englishOnly):F0} chars/s)  mixed {mixedRate,8:F0} texts/s ({mixedRate * mixedChars / texts(mixed):F0} chars/s)  mixed/english {mixedRate / englishRate:F3} per text"));
        }
        ratios.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"mixed/english per text over {rounds} rounds: median {ratios[rounds / 2]:F3}, range {ratios[0]:F3}–{ratios[^1]:F3}"));
        return 0;
    }

    private static double texts(List<string> list) => list.Count;

    private static double Rate(FeedbackAnalyzer analyzer, List<string> texts)
    {
        var clock = Stopwatch.StartNew();
        foreach (var batch in texts.Chunk(1024))
        {
            analyzer.Analyze(batch);
        }
        return texts.Count / clock.Elapsed.TotalSeconds;
    }
}
