using JourneyFeedback.Analysis.Semantic;

namespace JourneyFeedback.Analysis.Matching;

/// <summary>A text a person attached to a touchpoint, with its sentence embedding.</summary>
public sealed record EmbeddedExample(Guid TouchpointId, string Text, float[] Embedding);

/// <summary>
/// The semantic tier's matcher for one map (CONTRACT DRAFT: to be replaced by the measured implementation).
/// Built from the map's touchpoints (their clauses are embedded here) and the author's confirmed examples;
/// matches an item from its embedding. Immutable and thread-safe once built.
/// </summary>
public sealed class SemanticMatcher
{
    public const double DefaultThreshold = 0.5;

    private readonly TouchpointDescriptor[] _touchpoints;
    private readonly float[][] _prototypes;

    public double Threshold { get; }
    public IReadOnlyList<TouchpointDescriptor> Touchpoints => _touchpoints;

    public SemanticMatcher(IReadOnlyList<TouchpointDescriptor> touchpoints, IReadOnlyList<EmbeddedExample> confirmed, SentenceEmbedder embedder, double threshold = DefaultThreshold)
    {
        _touchpoints = touchpoints.ToArray();
        Threshold = threshold;
        var described = embedder.Embed(_touchpoints.Select(t => $"{t.Name}. {t.Description}").ToList());
        _prototypes = _touchpoints.Select((t, i) => Embedding.Centroid(confirmed.Where(e => e.TouchpointId == t.Id).Select(e => e.Embedding).Append(described[i]))).ToArray();
    }

    public TouchpointMatch Match(MatchInput input, ReadOnlySpan<float> embedding)
    {
        if (_touchpoints.Length == 0) return new TouchpointMatch(null, null, 0, null);
        var scores = new double[_touchpoints.Length];
        for (var t = 0; t < scores.Length; t++) scores[t] = Embedding.Cosine(embedding, _prototypes[t]);
        var best = Array.IndexOf(scores, scores.Max());
        var sum = scores.Sum(s => Math.Exp((s - scores[best]) / 0.05));
        var confidence = Math.Round(1 / sum, 4);
        var id = _touchpoints[best].Id;
        return confidence >= Threshold ? new TouchpointMatch(id, MatchReasons.Semantic, confidence, id) : new TouchpointMatch(null, null, confidence, id);
    }
}
