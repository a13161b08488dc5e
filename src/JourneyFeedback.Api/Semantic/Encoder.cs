using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Api.Hosting;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Semantic;

/// <summary>
/// The process's one sentence embedder, loaded on first use (about a second and ~300 MB), and run on a low-priority
/// thread so that background encoding never slows survey answers or imports much.
/// </summary>
internal sealed class Encoder(IOptions<SemanticOptions> options, ILogger<Encoder> logger) : IDisposable
{
    /// <summary>
    /// Items the encoder reads: English, or of a language not known (yet). all-MiniLM-L6-v2 is an English model; on
    /// Polish or Italian text its vectors are noise, so the tier leaves such items to the word matchers (whose
    /// touchpoint keywords may be in any language) and never counts them as waiting for it.
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<Evidence.FeedbackItem, bool>> Reads =
        f => f.DetectedLanguage == null || f.DetectedLanguage == Analysis.Language.LanguageDetector.English || f.DetectedLanguage == Analysis.Language.LanguageDetector.Undetermined;

    private readonly Lazy<SentenceEmbedder> _embedder = new(() => new SentenceEmbedder(options.Value.Threads));

    public SentenceEmbedder Embedder => _embedder.Value;

    /// <summary>
    /// What is embedded of an item: its title and text. One definition, because theme refreshes reuse the vectors the
    /// worker stored for placing items.
    /// </summary>
    public static string TextOf(string? title, string text) => string.IsNullOrWhiteSpace(title) ? text : $"{title}. {text}";

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        float[][] vectors;
        try
        {
            vectors = await LowPriorityThread.Run("semantic-encoder", () => Embedder.Embed(texts, ct));
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            // A cancelled run ends in ONNX Runtime's "terminate flag" error: it is the cancellation (a shutdown), not a failure.
            throw new OperationCanceledException(ct);
        }
        var (count, elapsed) = Embedder.Statistics;
        logger.LogDebug("Embedded {Texts} texts ({Total} since start, {Rate:F0} texts/s)", texts.Count, count, count / Math.Max(elapsed.TotalSeconds, 1e-3));
        return vectors;
    }

    public void Dispose()
    {
        if (_embedder.IsValueCreated) _embedder.Value.Dispose();
    }
}
