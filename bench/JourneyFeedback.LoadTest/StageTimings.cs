using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Analysis.Serving;

/// <summary>
/// The stages of an analysed import onto a map, each alone, in process, on the first rows of one or more support
/// logs: parse, analysis heads, lexical touchpoint matching, and the semantic tier (sentence embeddings on a bounded
/// sample, one and two threads). Several files are measured in turns within one process, so their rates compare as
/// ratios under the same machine load. Store and end to end are bench/imports/run.sh's job.
/// </summary>
internal static class StageTimings
{
    // The import analyses and matches in batches of this many rows, each on all cores.
    private const int BatchSize = 5_000;

    public sealed record Options(IReadOnlyList<string> Files, int Rows, string MapPath, int SemanticSample, int Rounds);

    public static int Measure(Options options)
    {
        Console.WriteLine($"cores={Environment.ProcessorCount} rows={options.Rows} map={Path.GetFileName(options.MapPath)} semantic_sample={options.SemanticSample} rounds={options.Rounds}");
        var analyzer = FeedbackAnalyzer.Load();
        var matcher = new TouchpointMatcher(MatchingEvaluator.ReadMap(options.MapPath));
        using var embedders = new EmbedderPair();

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var file in options.Files)
            {
                var label = $"round={round} file={Path.GetFileName(file)}";
                var clock = Stopwatch.StartNew();
                var inputs = Parse(file, options.Rows);
                var seconds = clock.Elapsed.TotalSeconds;
                Report(label, "parse", inputs.Count, seconds, $"avg_chars={inputs.Average(i => i.Text.Length):F0}");
                var texts = inputs.Select(i => i.Text).ToList();

                analyzer.Analyze(texts.Take(2_048).ToList()); // warm-up: JIT and the engine pool
                clock.Restart();
                foreach (var batch in texts.Chunk(BatchSize)) analyzer.Analyze(batch);
                Report(label, "analysis", texts.Count, clock.Elapsed.TotalSeconds, "");

                var matches = new TouchpointMatch[inputs.Count];
                Parallel.For(0, Math.Min(2_048, inputs.Count), i => matches[i] = matcher.Match(inputs[i])); // warm-up
                clock.Restart();
                for (var start = 0; start < inputs.Count; start += BatchSize)
                    Parallel.For(start, Math.Min(start + BatchSize, inputs.Count), i => matches[i] = matcher.Match(inputs[i]));
                var placed = matches.Count(m => m.TouchpointId is not null) / (double)matches.Length;
                Report(label, "matching", inputs.Count, clock.Elapsed.TotalSeconds, $"placed={placed:P1} inbox={1 - placed:P1}");

                // Every k-th row, so the sample spans the file rather than its first minutes.
                var step = Math.Max(1, texts.Count / options.SemanticSample);
                var sample = texts.Where((_, i) => i % step == 0).Take(options.SemanticSample).ToList();
                foreach (var (threads, embedder) in embedders.All)
                {
                    clock.Restart();
                    embedder.Embed(sample);
                    Report(label, $"semantic-threads-{threads}", sample.Count, clock.Elapsed.TotalSeconds, $"avg_chars={sample.Average(t => t.Length):F0}");
                }
            }
        }
        return 0;
    }

    /// <summary>
    /// Reads the first <paramref name="rows"/> records with CsvHelper configured as the import's reader
    /// (CsvRecordReader: 64 KB sequential reads, delimiter detected, bad quotes flagged) and picks the fields the
    /// matcher takes from the mapped columns. The import's RowMapper (validation, redaction, hashing) is internal
    /// to the API and not included; its cost is inside the end-to-end figures.
    /// </summary>
    private static List<MatchInput> Parse(string file, int rows)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var parser = new CsvParser(new StreamReader(stream, bufferSize: 1 << 16), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t", "|"],
            IgnoreBlankLines = false,
            BadDataFound = null,
            MissingFieldFound = null,
        });
        parser.Read();
        var header = parser.Record!.Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(params string[] names) => names.Select(n => header.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        var (text, channel, title) = (Column("message", "text", "body"), Column("channel"), Column("subject", "title"));
        if (text < 0) throw new InvalidDataException($"{file}: no message/text/body column");

        var inputs = new List<MatchInput>(rows);
        while (inputs.Count < rows && parser.Read())
        {
            var record = parser.Record!;
            if (record.Length <= text || string.IsNullOrWhiteSpace(record[text])) continue;
            inputs.Add(new MatchInput(record[text].Trim(), channel >= 0 ? record[channel] : null, null, title >= 0 ? record[title] : null));
        }
        return inputs;
    }

    private static void Report(string label, string stage, int count, double seconds, string extra) =>
        Console.WriteLine($"STAGE {label} stage={stage} rows={count} seconds={seconds:F2} rows_per_s={count / seconds:F0} {extra}".TrimEnd());

    /// <summary>One embedder per thread count, created and warmed up once (loading the model takes seconds).</summary>
    private sealed class EmbedderPair : IDisposable
    {
        public List<(int Threads, SentenceEmbedder Embedder)> All { get; } = [];

        public EmbedderPair()
        {
            foreach (var threads in new[] { 1, 2 })
            {
                var embedder = new SentenceEmbedder(threads);
                embedder.Embed(Enumerable.Range(0, 64).Select(i => $"warm-up text number {i} about a card that never arrived").ToList());
                All.Add((threads, embedder));
            }
        }

        public void Dispose()
        {
            foreach (var (_, embedder) in All) embedder.Dispose();
        }
    }
}
