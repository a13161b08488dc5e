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

        // Each stage runs on every file back to back, so the files' rates compare under the same load.
        var files = options.Files.Select(f => (Name: Path.GetFileName(f), Path: f)).ToList();
        var inputs = new Dictionary<string, List<MatchInput>>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var (name, path) in files)
            {
                // Timed as the import reads: batches of 5,000 rows in memory at a time. The rows the later stages use are
                // then read again untimed (holding 200,000 rows costs the garbage collector what an import never pays).
                var clock = Stopwatch.StartNew();
                var count = Parse(path, options.Rows, keepAll: false).Count;
                var seconds = clock.Elapsed.TotalSeconds;
                inputs[name] = Parse(path, options.Rows, keepAll: true).Rows;
                Report(round, name, "parse", count, seconds, $"avg_chars={inputs[name].Average(i => i.Text.Length):F0}");
            }

            foreach (var (name, _) in files)
            {
                var texts = inputs[name].Select(i => i.Text).ToList();
                analyzer.Analyze(texts.Take(2_048).ToList()); // warm-up: JIT and the engine pool
                var clock = Stopwatch.StartNew();
                foreach (var batch in texts.Chunk(BatchSize)) analyzer.Analyze(batch);
                Report(round, name, "analysis", texts.Count, clock.Elapsed.TotalSeconds, "");
            }

            foreach (var (name, _) in files)
            {
                var rows = inputs[name];
                var matches = new TouchpointMatch[rows.Count];
                Parallel.For(0, Math.Min(2_048, rows.Count), i => matches[i] = matcher.Match(rows[i])); // warm-up
                var clock = Stopwatch.StartNew();
                for (var start = 0; start < rows.Count; start += BatchSize)
                    Parallel.For(start, Math.Min(start + BatchSize, rows.Count), i => matches[i] = matcher.Match(rows[i]));
                var placed = matches.Count(m => m.TouchpointId is not null) / (double)matches.Length;
                Report(round, name, "matching", rows.Count, clock.Elapsed.TotalSeconds, $"placed={placed:P1} inbox={1 - placed:P1}");
            }

            foreach (var (threads, embedder) in embedders.All)
            {
                foreach (var (name, _) in files)
                {
                    // Every k-th row, so the sample spans the rows rather than their first minutes.
                    var rows = inputs[name];
                    var step = Math.Max(1, rows.Count / options.SemanticSample);
                    var sample = rows.Where((_, i) => i % step == 0).Take(options.SemanticSample).Select(r => r.Text).ToList();
                    var clock = Stopwatch.StartNew();
                    embedder.Embed(sample);
                    Report(round, name, $"semantic-threads-{threads}", sample.Count, clock.Elapsed.TotalSeconds, $"avg_chars={sample.Average(t => t.Length):F0}");
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
    private static (int Count, List<MatchInput> Rows) Parse(string file, int rows, bool keepAll)
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

        var inputs = new List<MatchInput>(keepAll ? rows : BatchSize);
        var count = 0;
        while (count < rows && parser.Read())
        {
            var record = parser.Record!;
            if (record.Length <= text || string.IsNullOrWhiteSpace(record[text])) continue;
            if (!keepAll && inputs.Count == BatchSize) inputs.Clear();
            inputs.Add(new MatchInput(record[text].Trim(), channel >= 0 ? record[channel] : null, null, title >= 0 ? record[title] : null));
            count++;
        }
        return (count, inputs);
    }

    private static void Report(int round, string file, string stage, int count, double seconds, string extra) =>
        Console.WriteLine($"STAGE round={round} file={file} stage={stage} rows={count} seconds={seconds:F2} rows_per_s={count / seconds:F0} {extra}".TrimEnd());

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
