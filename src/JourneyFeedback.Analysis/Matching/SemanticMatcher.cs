using System.Numerics.Tensors;
using JourneyFeedback.Analysis.Semantic;

namespace JourneyFeedback.Analysis.Matching;

/// <summary>A text a person attached to a touchpoint, with its sentence embedding.</summary>
public sealed record EmbeddedExample(Guid TouchpointId, string Text, float[] Embedding);

/// <summary>
/// The semantic tier's matcher for one map. Zero-shot, an item's embedding is compared with each touchpoint's clauses
/// (its name, each part of its description, each keyword) and with their centroid: the best clause catches an
/// item about one narrow part of a broad touchpoint, the centroid keeps a single generic keyword from winning alone.
/// When the map's other embedded items are given, they are clustered and an item's prior is shared half with its
/// cluster's (items that say the same thing go to the same place, which corrects one-off misreadings). With
/// confirmations, the nearest confirmed examples of each touchpoint vote too (a touchpoint that unites several kinds
/// of request is several clusters, which one linear boundary fits badly). On top of that a softmax regression over the
/// embedding learns from the confirmations and from its own confident labels of the map's items (self-training, two
/// rounds), so the tier adapts to how the map's customers actually write. The confidence is that softmax with a temperature calibrated on
/// labelled dev data (docs/insights.md, "Measured accuracy"), so it reads as the probability of being right — among the
/// map's touchpoints. With enough confirmations, an item unlike all of them waits in the inbox whatever that probability
/// (an open-set guard: a log holds topics the map has no touchpoint for).
/// Explicit channel and source hits are decided exactly as <see cref="TouchpointMatcher"/> decides them.
/// Immutable and thread-safe once built.
/// </summary>
public sealed class SemanticMatcher
{
    // Chosen on the dev data of four maps (docs/insights.md, "Measured accuracy"). Without confirmations: the inbox stays
    // at or under 15% once the tier has seen the map's items (no threshold that keeps it there makes the banking map's
    // placements 0.90 right). With them the inbox is small, so the threshold can buy precision: at 0.6 every dev map's
    // placements are ≥ 0.91 right (banking77 0.902 at 0.55, 0.897 held out) with at most 8% in the inbox.
    public const double DefaultThreshold = 0.55;
    public const double TrainedThreshold = 0.6;

    // Tuned on the dev halves of the labelled intent sets (samples/matching/*-dev.tsv), never on the held-out halves.
    // A clause's share of the prior (the rest is the centroid's), and the prior's temperature as logits.
    private const double ClauseShare = 0.6;
    private const double PriorTemperature = 0.04;
    private const double L2 = 0.0001;
    private const int Iterations = 150;
    // Self-training: the map's items the model labels with at least this probability join at this weight; the second
    // round starts from the first round's weights.
    private const double PseudoWeight = 0.5;
    private const double PseudoConfidence = 0.5;
    private const int SelfTrainingRounds = 2;
    private const int WarmIterations = 50;
    // Clusters of the map's items: about one per 20 items, at most 150 (the build cost grows with them), and none when
    // there would be fewer than three per touchpoint (coarser clusters span touchpoints and pull items to the wrong one).
    private const int ItemsPerCluster = 20;
    private const int MinClustersPerTouchpoint = 3;
    private const int MaxClusters = 150;
    private const int ClusterIterations = 10;
    private const double ClusterShare = 0.5;
    // Nearest confirmed examples: the mean cosine of the touchpoint's best three, as logits at this temperature.
    private const int Neighbours = 3;
    private const double NeighbourTemperature = 0.05;
    // The clause prior counts 1 / (1 + examples per touchpoint / this): half at 20 confirmations per touchpoint, when the
    // examples say more about the map than its text; nearly fully with two.
    private const double ExamplesForHalfPrior = 20;
    // Weight of the lexical matcher's log-probabilities (it sees words the embedding blurs: "PIN", "top-up").
    private const double LexicalShare = 0.3;
    // Temperatures that make the softmax a calibrated probability (chosen for the lowest calibration error on dev).
    private const double ZeroShotCalibration = 1.3;
    private const double TrainedCalibration = 1.6;

    // The open-set guard (with confirmations only): an item less like its nearest confirmation than all but this share of
    // the confirmations are like their own nearest neighbour waits in the inbox. Chosen on dev data (docs/model-card.md,
    // "Texts the map has no place for"): the largest step at which every dev map's inbox stayed ≤ 10%. Below five
    // confirmations per touchpoint a percentile of their similarities says too little, and the guard is off.
    private const double OutsideQuantile = 0.05;
    private const int MinConfirmationsPerTouchpointForOutside = 5;

    // Self-training looks at no more of the map's items than this: the cost of a fit grows with them.
    private const int MaxUnlabelled = 5000;

    private readonly TouchpointDescriptor[] _touchpoints;
    private readonly TouchpointMatcher _explicit;
    private readonly TouchpointMatcher _lexical;
    private readonly float[][][] _clauses;
    private readonly float[][] _centroids;
    private readonly float[][]? _weights;
    private readonly double[]? _bias;
    private readonly double _calibration;
    private readonly double _priorScale = 1;
    private readonly float[][]? _clusterCentres;
    private readonly double[][]? _clusterPriors;
    private readonly (float[] X, int Label)[] _neighbours = [];
    private readonly float? _outsideThreshold;

    public double Threshold { get; }
    public IReadOnlyList<TouchpointDescriptor> Touchpoints => _touchpoints;

    public SemanticMatcher(IReadOnlyList<TouchpointDescriptor> touchpoints, IReadOnlyList<EmbeddedExample> confirmed, SentenceEmbedder embedder,
        double? threshold = null, IReadOnlyList<float[]>? unlabelled = null)
        : this(touchpoints, confirmed, texts => embedder.Embed(texts), threshold, unlabelled)
    {
    }

    /// <param name="embed">Embeds the touchpoints' clauses (the same model as the items' embeddings).</param>
    /// <param name="threshold">Below it an item waits in the inbox; null: <see cref="DefaultThreshold"/>, or
    /// <see cref="TrainedThreshold"/> once there are confirmations on the map's touchpoints.</param>
    /// <param name="unlabelled">Embeddings of the map's other items (no labels): the matcher adapts to them.</param>
    public SemanticMatcher(IReadOnlyList<TouchpointDescriptor> touchpoints, IReadOnlyList<EmbeddedExample> confirmed,
        Func<IReadOnlyList<string>, float[][]> embed, double? threshold = null, IReadOnlyList<float[]>? unlabelled = null)
    {
        _touchpoints = touchpoints.ToArray();
        // The word matchers only decide explicit channel and source hits and add their log-probabilities: their own
        // threshold is never applied.
        _explicit = new TouchpointMatcher(_touchpoints);
        _lexical = confirmed.Count == 0 ? _explicit
            : new TouchpointMatcher(_touchpoints, confirmed.Select(e => new MatchExample(e.TouchpointId, e.Text)));

        var clauseTexts = _touchpoints.Select(Clauses).ToArray();
        var flat = embed(clauseTexts.SelectMany(c => c).ToList());
        _clauses = new float[_touchpoints.Length][][];
        for (int t = 0, k = 0; t < _touchpoints.Length; t++)
        {
            _clauses[t] = flat.AsSpan(k, clauseTexts[t].Count).ToArray();
            k += clauseTexts[t].Count;
        }
        _centroids = _clauses.Select(c => Embedding.Centroid(c)).ToArray();

        var index = _touchpoints.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var examples = confirmed.Where(e => index.ContainsKey(e.TouchpointId))
            .Select(e => (X: e.Embedding, Label: index[e.TouchpointId], Weight: 1.0)).ToList();
        Threshold = threshold ?? (examples.Count > 0 ? TrainedThreshold : DefaultThreshold);
        var pool = unlabelled is null ? [] : EvenSample(unlabelled.Where(v => v.Length == SentenceEmbedder.Dimensions).ToArray(), MaxUnlabelled);
        if (examples.Count == 0 && pool.Length == 0 || _touchpoints.Length < 2)
        {
            _calibration = ZeroShotCalibration;
            return;
        }

        _calibration = TrainedCalibration;
        var clusters = Math.Min(MaxClusters, pool.Length / ItemsPerCluster);
        if (clusters >= Math.Max(2, MinClustersPerTouchpoint * _touchpoints.Length)) (_clusterCentres, _clusterPriors) = Cluster(pool, clusters);
        if (examples.Count > 0)
        {
            _priorScale = 1 / (1 + examples.Count / (double)_touchpoints.Length / ExamplesForHalfPrior);
            _neighbours = examples.Select(e => (e.X, e.Label)).ToArray();
            _outsideThreshold = OutsideThreshold(_neighbours, _touchpoints.Length);
            (_weights, _bias) = Fit(examples, null);
        }
        // Self-training: the map's own items, labelled by the model so far where it is confident, teach it how this
        // map's customers write; they weigh less than an author's confirmation.
        for (var round = 0; round < SelfTrainingRounds && pool.Length > 0; round++)
        {
            var pseudo = new List<(float[] X, int Label, double Weight)>(examples);
            foreach (var x in pool)
            {
                var p = Probabilities(x);
                var best = ArgMax(p);
                if (p[best] >= PseudoConfidence) pseudo.Add((x, best, PseudoWeight));
            }
            (_weights, _bias) = Fit(pseudo, round > 0 ? (_weights, _bias) : null);
        }
    }

    public TouchpointMatch Match(MatchInput input, ReadOnlySpan<float> embedding)
    {
        if (_touchpoints.Length == 0) return new TouchpointMatch(null, null, 0, null);
        if (_explicit.MatchExplicit(input) is { } byChannelOrSource) return byChannelOrSource;
        if (embedding.Length != SentenceEmbedder.Dimensions) return new TouchpointMatch(null, null, 0, null);

        var p = Probabilities(embedding);
        if (_lexical.TextLogProbabilities(input) is { } lexical)
        {
            var combined = new double[p.Length];
            for (var t = 0; t < p.Length; t++) combined[t] = Math.Log(Math.Max(p[t], 1e-12)) + LexicalShare * lexical[t];
            Softmax(combined);
            p = combined;
        }
        var best = ArgMax(p);
        var confidence = Math.Round(p[best], 4);
        var id = _touchpoints[best].Id;
        // Unlike every confirmation: the best guess is only the best among the map's touchpoints, and the item may belong
        // to none of them (a log holds more topics than a map), so it waits for the author whatever its confidence.
        if (_outsideThreshold is { } outside && NearestConfirmed(embedding) < outside) return new TouchpointMatch(null, null, confidence, id);
        return confidence >= Threshold ? new TouchpointMatch(id, MatchReasons.Semantic, confidence, id) : new TouchpointMatch(null, null, confidence, id);
    }

    // The open-set guard: how alike an item is to the confirmed example nearest to it.
    private float NearestConfirmed(ReadOnlySpan<float> x)
    {
        var nearest = float.MinValue;
        foreach (var (example, _) in _neighbours) nearest = Math.Max(nearest, TensorPrimitives.Dot(x, example));
        return nearest;
    }

    // The similarity below which an item is unlike what the author confirmed: the OutsideQuantile of each confirmation's
    // similarity to its nearest other confirmation of the same touchpoint, so it follows how tightly this map's items
    // cluster (short restaurant requests sit further apart than banking ones). Null: too few confirmations to say.
    private static float? OutsideThreshold(IReadOnlyList<(float[] X, int Label)> confirmed, int touchpoints)
    {
        if (confirmed.Count < MinConfirmationsPerTouchpointForOutside * touchpoints) return null;
        var nearest = new List<float>();
        for (var i = 0; i < confirmed.Count; i++)
        {
            var best = float.MinValue;
            for (var j = 0; j < confirmed.Count; j++)
                if (j != i && confirmed[j].Label == confirmed[i].Label) best = Math.Max(best, TensorPrimitives.Dot(confirmed[i].X, confirmed[j].X));
            if (best > float.MinValue) nearest.Add(best);
        }
        if (nearest.Count == 0) return null;
        nearest.Sort();
        return nearest[(int)(OutsideQuantile * (nearest.Count - 1))];
    }

    /// <summary>The calibrated probability of each touchpoint (in <see cref="Touchpoints"/> order) for an embedding.</summary>
    public double[] Probabilities(ReadOnlySpan<float> embedding)
    {
        var logits = Logits(embedding);
        for (var t = 0; t < logits.Length; t++) logits[t] /= _calibration;
        Softmax(logits);
        return logits;
    }

    // What the regression learns on top of: the clause prior (shared with the item's cluster) and the nearest confirmed
    // examples. `exclude` leaves a confirmed example out of its own neighbours while the regression fits.
    private double[] Offset(ReadOnlySpan<float> x, int exclude = -1)
    {
        var logits = ClausePrior(x);
        for (var t = 0; t < logits.Length; t++) logits[t] *= _priorScale;
        if (_clusterCentres is not null)
        {
            var cluster = _clusterPriors![Nearest(x, _clusterCentres)];
            for (var t = 0; t < logits.Length; t++) logits[t] = (1 - ClusterShare) * logits[t] + ClusterShare * cluster[t];
        }
        if (_neighbours.Length > 0)
        {
            var similarities = new List<float>[logits.Length];
            for (var t = 0; t < logits.Length; t++) similarities[t] = [];
            for (var i = 0; i < _neighbours.Length; i++)
                if (i != exclude) similarities[_neighbours[i].Label].Add(TensorPrimitives.Dot(x, _neighbours[i].X));
            for (var t = 0; t < logits.Length; t++)
            {
                if (similarities[t].Count == 0) continue;
                var nearest = similarities[t].OrderDescending().Take(Neighbours).Average();
                logits[t] += nearest / NeighbourTemperature;
            }
        }
        return logits;
    }

    // Clause and centroid cosines, as logits.
    private double[] ClausePrior(ReadOnlySpan<float> x)
    {
        var logits = new double[_touchpoints.Length];
        for (var t = 0; t < logits.Length; t++)
        {
            var bestClause = float.MinValue;
            foreach (var clause in _clauses[t]) bestClause = Math.Max(bestClause, TensorPrimitives.Dot(x, clause));
            logits[t] = (ClauseShare * bestClause + (1 - ClauseShare) * TensorPrimitives.Dot(x, _centroids[t])) / PriorTemperature;
        }
        return logits;
    }

    private double[] Logits(ReadOnlySpan<float> x)
    {
        var logits = Offset(x);
        if (_weights is not null)
            for (var t = 0; t < logits.Length; t++) logits[t] += TensorPrimitives.Dot(x, _weights[t]) + _bias![t];
        return logits;
    }

    // Spherical k-means over the map's items (seeded, so a rebuild gives the same clusters); each cluster keeps the mean
    // log-probability its members get from the clause prior.
    private (float[][] Centres, double[][] Priors) Cluster(float[][] items, int count)
    {
        var random = new Random(7);
        var centres = items.OrderBy(_ => random.Next()).Take(count).Select(v => (float[])v.Clone()).ToArray();
        var members = new int[items.Length];
        for (var iteration = 0; iteration < ClusterIterations; iteration++)
        {
            for (var i = 0; i < items.Length; i++) members[i] = Nearest(items[i], centres);
            var sums = Enumerable.Range(0, count).Select(_ => new float[SentenceEmbedder.Dimensions]).ToArray();
            for (var i = 0; i < items.Length; i++) TensorPrimitives.Add(sums[members[i]], items[i], sums[members[i]]);
            for (var k = 0; k < count; k++)
                if (TensorPrimitives.Norm(sums[k]) > 0)
                {
                    Embedding.Normalize(sums[k]);
                    centres[k] = sums[k];
                }
        }
        var priors = Enumerable.Range(0, count).Select(_ => new double[_touchpoints.Length]).ToArray();
        var sizes = new int[count];
        for (var i = 0; i < items.Length; i++)
        {
            var p = ClausePrior(items[i]);
            Softmax(p);
            for (var t = 0; t < p.Length; t++) priors[members[i]][t] += Math.Log(Math.Max(p[t], 1e-9));
            sizes[members[i]]++;
        }
        for (var k = 0; k < count; k++)
            for (var t = 0; t < _touchpoints.Length; t++) priors[k][t] /= Math.Max(1, sizes[k]);
        return (centres, priors);
    }

    // Every n-th item rather than the first ones: items arrive in file or id order, which is often sorted by topic, and
    // a pool cut from the front would teach the clusters and the self-training only the first topics.
    private static float[][] EvenSample(float[][] items, int count)
    {
        if (items.Length <= count) return items;
        var step = (double)items.Length / count;
        return Enumerable.Range(0, count).Select(i => items[(int)(i * step)]).ToArray();
    }

    private static int Nearest(ReadOnlySpan<float> x, float[][] centres)
    {
        var best = 0;
        var bestSimilarity = float.MinValue;
        for (var k = 0; k < centres.Length; k++)
        {
            var similarity = TensorPrimitives.Dot(x, centres[k]);
            if (similarity > bestSimilarity) (best, bestSimilarity) = (k, similarity);
        }
        return best;
    }

    // Multinomial logistic regression on the embeddings with the offset fixed: full-batch gradient descent with momentum
    // and L2, from zero or warm from a previous fit. The confirmed examples come first in `examples` (in the order of
    // the neighbours), so each is left out of its own neighbours.
    private (float[][] Weights, double[] Bias) Fit(IReadOnlyList<(float[] X, int Label, double Weight)> examples, (float[][]? Weights, double[]? Bias)? warm)
    {
        var classes = _touchpoints.Length;
        var weights = Enumerable.Range(0, classes).Select(_ => new float[SentenceEmbedder.Dimensions]).ToArray();
        var velocity = Enumerable.Range(0, classes).Select(_ => new float[SentenceEmbedder.Dimensions]).ToArray();
        var bias = new double[classes];
        var biasVelocity = new double[classes];
        var iterations = Iterations;
        if (warm is { Weights: { } startWeights, Bias: { } startBias })
        {
            weights = startWeights.Select(w => (float[])w.Clone()).ToArray();
            bias = (double[])startBias.Clone();
            iterations = WarmIterations;
        }
        var priors = examples.Select((e, i) => Offset(e.X, i < _neighbours.Length ? i : -1)).ToArray();
        var total = examples.Sum(e => e.Weight);
        var gradient = Enumerable.Range(0, classes).Select(_ => new float[SentenceEmbedder.Dimensions]).ToArray();
        var biasGradient = new double[classes];
        const double rate = 1.0, momentum = 0.9;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            foreach (var g in gradient) Array.Clear(g);
            Array.Clear(biasGradient);
            for (var i = 0; i < examples.Count; i++)
            {
                var (x, label, weight) = examples[i];
                var p = new double[classes];
                for (var t = 0; t < classes; t++) p[t] = priors[i][t] + TensorPrimitives.Dot(x, weights[t]) + bias[t];
                Softmax(p);
                for (var t = 0; t < classes; t++)
                {
                    var error = (float)(weight * (p[t] - (t == label ? 1 : 0)) / total);
                    if (Math.Abs(error) < 1e-7) continue;
                    TensorPrimitives.MultiplyAdd(x, error, gradient[t], gradient[t]);
                    biasGradient[t] += error;
                }
            }
            for (var t = 0; t < classes; t++)
            {
                TensorPrimitives.MultiplyAdd(weights[t], (float)L2, gradient[t], gradient[t]);
                TensorPrimitives.Multiply(velocity[t], (float)momentum, velocity[t]);
                TensorPrimitives.MultiplyAdd(gradient[t], (float)-rate, velocity[t], velocity[t]);
                TensorPrimitives.Add(weights[t], velocity[t], weights[t]);
                biasVelocity[t] = momentum * biasVelocity[t] - rate * biasGradient[t];
                bias[t] += biasVelocity[t];
            }
        }
        return (weights, bias);
    }

    /// <summary>
    /// What a touchpoint says about itself, one clause each: name, the parts of its description (sentences, and the
    /// parts of a sentence between commas and colons, which are often a list of separate topics), keywords.
    /// </summary>
    internal static List<string> Clauses(TouchpointDescriptor touchpoint)
    {
        var clauses = new List<string> { touchpoint.Name };
        foreach (var part in (touchpoint.Description ?? "").Split(['.', ';', '!', '?', ',', ':'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            clauses.Add(part);
        clauses.AddRange(touchpoint.Keywords ?? []);
        return clauses.Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static void Softmax(double[] logits)
    {
        var max = logits.Max();
        double sum = 0;
        for (var i = 0; i < logits.Length; i++) sum += logits[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < logits.Length; i++) logits[i] /= sum;
    }
}
