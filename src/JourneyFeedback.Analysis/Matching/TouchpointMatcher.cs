namespace JourneyFeedback.Analysis.Matching;

/// <summary>A touchpoint as the matcher sees it: what the map's author wrote about it.</summary>
public sealed record TouchpointDescriptor(
    Guid Id, string Name, string? Channel = null, string? Description = null, IReadOnlyList<string>? Keywords = null, string? StageName = null,
    IReadOnlyList<string>? OtherLanguageKeywords = null)
{
    /// <summary>
    /// The keywords the word matchers read: the map's own and those in other languages. The semantic tier reads only
    /// <see cref="Keywords"/>: its encoder is English, and a foreign keyword's embedding would attract unrelated items.
    /// </summary>
    public IEnumerable<string> AllKeywords => (Keywords ?? []).Concat(OtherLanguageKeywords ?? []);
}

/// <summary>
/// A text attached to a touchpoint, which the matcher learns from: a person's confirmation or re-assignment (weight 1),
/// or a label from the semantic tier (a "teacher" label, weighted less than a person's word).
/// </summary>
public sealed record MatchExample(Guid TouchpointId, string Text, double Weight = 1.0);

/// <summary>What is known about a feedback item when it is matched.</summary>
public sealed record MatchInput(string Text, string? Channel = null, string? Source = null, string? Title = null);

public static class MatchReasons
{
    public const string Survey = "survey";
    public const string Channel = "channel";
    public const string Source = "source";
    public const string Text = "text";
    /// <summary>Placed by the semantic tier (sentence embeddings) rather than by the fast lexical matcher.</summary>
    public const string Semantic = "semantic";
    public const string Manual = "manual";
}

/// <summary>
/// The outcome for one item. <see cref="TouchpointId"/> is null when the confidence is below the threshold: the item
/// waits in the map's inbox, and <see cref="BestGuess"/> is what the matcher would have picked.
/// </summary>
public readonly record struct TouchpointMatch(Guid? TouchpointId, string? Reason, double Confidence, Guid? BestGuess);

/// <summary>
/// Attaches feedback to one touchpoint of one map. Explicit evidence first: the item's channel or source against the
/// touchpoints' channels, names and keywords. Otherwise the text: TF-IDF vectors (word stems, stem bigrams and
/// in-word character 4-grams) of each touchpoint's name, keywords, description and stage, plus every example an
/// author confirmed, compared by cosine. With examples, a multinomial logistic regression over the same hashed
/// features learns on top of those similarities (they are its fixed offset), so it learns discriminatively from every
/// confirmation and every teacher label at once; the confidence is the softmax of the result. Built per map from the
/// map's own words, so it works for any domain; immutable and thread-safe once built.
/// </summary>
public sealed class TouchpointMatcher
{
    public const double DefaultThreshold = 0.35;

    // Softmax temperature over cosine similarities: chosen on the labelled sets (docs/insights.md, "Measured accuracy"
    // under "Touchpoint matching") so that the confidence behaves like a probability of being right.
    private const double Temperature = 0.05;
    private const double CharWeight = 0.35;
    private const double BigramWeight = 0.6;
    private const double ExamplePrior = 3.0;
    private const double ConceptWeight = 1.0;

    // Weights of the word, character and concept cosines in a text's similarity to a touchpoint.
    private static readonly double[] BlockWeights = [0.6, 0.2, 0.2];

    private readonly TouchpointDescriptor[] _touchpoints;
    private readonly Dictionary<long, int> _vocabulary = [];
    private readonly float[] _idf;
    private readonly Dictionary<int, float>[] _profiles;
    private readonly byte[] _block;
    private readonly (int Touchpoint, float Weight)[][] _postings;
    private readonly float _maxIdf;
    private readonly string[] _channelKeys;
    private readonly string[] _nameKeys;
    private readonly HashSet<string>[] _keywordKeys;
    private readonly string[] _descriptionKeys;
    // Learnt weights, feature-major (feature id × touchpoints), and per-touchpoint biases; null without examples.
    private readonly float[]? _weights;
    private readonly float[]? _bias;
    private readonly double _learntShare;

    // The regression: epochs of AdaGrad over the (shuffled) examples.
    private const int Epochs = 3;
    private const double LearningRate = 0.5;
    private const double L2 = 1e-4;
    // What the regression learnt counts in proportion to mass / (mass + this) of example weight: with a handful of
    // confirmations it over-fits (the hand-labelled sets' 5-fold fell 4 points at full weight), with hundreds it
    // carries the match (dev data, docs/insights.md).
    private const double LearntPrior = 100;

    // Texts known to belong to no touchpoint (the semantic tier left them in the inbox) form one more class, last:
    // a text most like them waits in the inbox whatever its confidence. -1: no such class.
    private readonly int _offTopic = -1;
    private static readonly TouchpointDescriptor OffTopic = new(Guid.Empty, "");

    public double Threshold { get; }
    public IReadOnlyList<TouchpointDescriptor> Touchpoints => _offTopic < 0 ? _touchpoints : _touchpoints[.._offTopic];

    /// <param name="offTopic">Texts that belong to no touchpoint of the map (weighted like examples): the matcher learns
    /// to leave texts like them in the inbox.</param>
    public TouchpointMatcher(IEnumerable<TouchpointDescriptor> touchpoints, IEnumerable<MatchExample>? examples = null, double threshold = DefaultThreshold,
        IReadOnlyList<MatchExample>? offTopic = null)
    {
        _touchpoints = touchpoints.ToArray();
        if (offTopic is { Count: > 0 })
        {
            _offTopic = _touchpoints.Length;
            _touchpoints = [.. _touchpoints, OffTopic];
            examples = (examples ?? []).Concat(offTopic.Select(e => e with { TouchpointId = OffTopic.Id }));
        }
        Threshold = threshold;
        var index = _touchpoints.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var exampleTexts = new List<(string Text, double Weight)>[_touchpoints.Length];
        for (var i = 0; i < exampleTexts.Length; i++) exampleTexts[i] = [];
        foreach (var example in examples ?? [])
            if (index.TryGetValue(example.TouchpointId, out var i) && example.Weight > 0) exampleTexts[i].Add((example.Text, example.Weight));

        _channelKeys = _touchpoints.Select(t => ChannelVocabulary.Canonicalize(t.Channel)).ToArray();
        _nameKeys = _touchpoints.Select(t => ChannelVocabulary.Canonicalize(t.Name)).ToArray();
        _keywordKeys = _touchpoints.Select(t => t.AllKeywords.Select(MatchText.Key).Where(k => k.Length > 0).ToHashSet()).ToArray();
        _descriptionKeys = _touchpoints.Select(t => " " + string.Join(' ', MatchText.Words($"{t.Name} {t.Description}")) + " ").ToArray();

        // IDF over the map's documents (each touchpoint's description and each confirmed example): words every
        // touchpoint shares ("order", "customer") weigh little; the words that tell touchpoints apart weigh most.
        var descriptorCounts = _touchpoints.Select(DescriptorFeatures).ToArray();
        var exampleCounts = exampleTexts.Select(texts => texts.Select(t => Features(t.Text, 1.0)).ToList()).ToArray();
        var documents = descriptorCounts.Concat(exampleCounts.SelectMany(e => e)).ToList();
        var documentFrequency = new Dictionary<long, int>();
        foreach (var document in documents)
            foreach (var feature in document.Keys) documentFrequency[feature] = documentFrequency.GetValueOrDefault(feature) + 1;
        _idf = new float[documentFrequency.Count];
        _block = new byte[documentFrequency.Count];
        _maxIdf = (float)(Math.Log(documents.Count + 1.0) + 1.0);
        foreach (var (feature, df) in documentFrequency)
        {
            var id = _vocabulary.Count;
            _vocabulary[feature] = id;
            _idf[id] = (float)(Math.Log((documents.Count + 1.0) / (df + 1.0)) + 1.0);
            _block[id] = BlockOf(feature);
        }

        // Each touchpoint's profile: its description, moved towards the weighted centroid of its examples (Rocchio);
        // the more (and the weightier) the examples, the more they weigh.
        _profiles = new Dictionary<int, float>[_touchpoints.Length];
        for (var t = 0; t < _touchpoints.Length; t++)
        {
            var profile = Vector(descriptorCounts[t], knownOnly: true);
            var confirmed = exampleCounts[t];
            var mass = exampleTexts[t].Sum(e => e.Weight);
            if (confirmed.Count > 0)
            {
                var share = mass / (mass + ExamplePrior);
                var merged = new Dictionary<int, float>();
                foreach (var (id, w) in profile) merged[id] = (float)((1 - share) * w);
                for (var e = 0; e < confirmed.Count; e++)
                    foreach (var (id, w) in Vector(confirmed[e], knownOnly: true))
                        merged[id] = merged.GetValueOrDefault(id) + (float)(share * w * exampleTexts[t][e].Weight / mass);
                profile = NormalizeBlocks(merged);
            }
            _profiles[t] = profile;
        }

        // Inverted: per feature, the touchpoints whose profile has it (weighted by its block), so scoring a text costs
        // one lookup per feature of the text instead of one per feature and touchpoint.
        var postings = new List<(int, float)>?[_idf.Length];
        for (var t = 0; t < _profiles.Length; t++)
            foreach (var (id, w) in _profiles[t]) (postings[id] ??= []).Add((t, (float)(BlockWeights[_block[id]] * w)));
        _postings = postings.Select(p => p?.ToArray() ?? []).ToArray();

        var training = new List<(List<(int Id, float Value)> Features, int Label, double Weight)>();
        for (var t = 0; t < _touchpoints.Length; t++)
            for (var e = 0; e < exampleCounts[t].Count; e++) training.Add((FeatureVector(exampleCounts[t][e]), t, exampleTexts[t][e].Weight));
        if (training.Count > 0 && _touchpoints.Length > 1)
        {
            (_weights, _bias) = Fit(training);
            var mass = training.Sum(e => e.Weight);
            _learntShare = mass / (mass + LearntPrior);
        }
    }

    // Multinomial logistic regression by AdaGrad over weighted examples, the description similarities as a fixed
    // offset (so with few examples the map's own words still decide, and the examples only correct them).
    private (float[] Weights, float[] Bias) Fit(List<(List<(int Id, float Value)> Features, int Label, double Weight)> examples)
    {
        var classes = _touchpoints.Length;
        var weights = new float[_idf.Length * classes];
        var squares = new float[_idf.Length * classes];
        var bias = new float[classes];
        var biasSquares = new float[classes];
        var offsets = examples.Select(e => Logits(e.Features, null, null)).ToArray();
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(17);
        var maxWeight = examples.Max(e => e.Weight);
        var p = new double[classes];
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var (features, label, weight) = examples[i];
                for (var t = 0; t < classes; t++) p[t] = offsets[i][t] + bias[t];
                foreach (var (id, value) in features)
                    for (var t = 0; t < classes; t++) p[t] += weights[id * classes + t] * value;
                SoftmaxInPlace(p);
                for (var t = 0; t < classes; t++)
                {
                    var error = (float)(weight / maxWeight * (p[t] - (t == label ? 1 : 0)));
                    if (Math.Abs(error) < 1e-6) continue;
                    foreach (var (id, value) in features)
                    {
                        var k = id * classes + t;
                        var g = error * value + (float)L2 * weights[k];
                        squares[k] += g * g;
                        weights[k] -= (float)(LearningRate * g / Math.Sqrt(squares[k] + 1e-8));
                    }
                    biasSquares[t] += error * error;
                    bias[t] -= (float)(LearningRate * error / Math.Sqrt(biasSquares[t] + 1e-8));
                }
            }
        }
        return (weights, bias);
    }

    public TouchpointMatch Match(MatchInput input)
    {
        if (_touchpoints.Length == 0) return new TouchpointMatch(null, null, 0, null);

        // 1. The channel the item came through, then its source, against the touchpoints' channels and names.
        if (MatchExplicit(input) is { } byChannelOrSource) return byChannelOrSource;

        // 2. The text, against every touchpoint.
        var scores = Scores(input, null);
        var (best, confidence) = Best(scores);
        if (best == _offTopic && scores is not null)
        {
            // Most like what belongs nowhere: the inbox, with the best real touchpoint as the guess.
            scores[_offTopic] = double.NegativeInfinity;
            var (guess, guessConfidence) = Best(scores);
            return new TouchpointMatch(null, null, Math.Round(guessConfidence * (1 - confidence), 4), _touchpoints[guess].Id);
        }
        var touchpoint = _touchpoints[best].Id;
        return confidence >= Threshold
            ? new TouchpointMatch(touchpoint, MatchReasons.Text, confidence, touchpoint)
            : new TouchpointMatch(null, null, confidence, touchpoint);
    }

    /// <summary>
    /// The match from the item's channel or source alone (the semantic tier shares it), or null when neither names a
    /// touchpoint.
    /// </summary>
    public TouchpointMatch? MatchExplicit(MatchInput input)
    {
        if (_touchpoints.Length == 0) return null;
        var byChannel = Explicit(input.Channel, useDescriptions: false);
        if (byChannel.Count > 0) return Decide(input, byChannel, MatchReasons.Channel);
        var bySource = Explicit(input.Source, useDescriptions: true);
        if (bySource.Count > 0) return Decide(input, bySource, MatchReasons.Source);
        return null;
    }

    /// <summary>Log-probabilities of the touchpoints from the text alone (null when it shares no word with the map).</summary>
    internal double[]? TextLogProbabilities(MatchInput input)
    {
        var logits = Scores(input, null);
        if (logits is null) return null;
        var max = logits.Max();
        var log = Math.Log(logits.Sum(l => Math.Exp(l - max))) + max;
        return logits.Select(l => l - log).ToArray();
    }

    // An explicit hit on one touchpoint is near-certain; several (two e-mail touchpoints) are told apart by the text.
    private TouchpointMatch Decide(MatchInput input, List<int> candidates, string reason)
    {
        if (candidates.Count == 1) return new TouchpointMatch(_touchpoints[candidates[0]].Id, reason, 0.95, _touchpoints[candidates[0]].Id);
        var scores = Scores(input, candidates);
        var (best, confidence) = Best(scores);
        var id = _touchpoints[best].Id;
        return new TouchpointMatch(id, reason, Math.Round(0.5 + 0.45 * confidence, 4), id);
    }

    private List<int> Explicit(string? value, bool useDescriptions)
    {
        var hits = new List<int>();
        var key = MatchText.Key(value);
        if (key.Length == 0) return hits;
        var canonical = ChannelVocabulary.Canonicalize(value);
        for (var t = 0; t < _touchpoints.Length; t++)
        {
            if (_channelKeys[t] == canonical || _nameKeys[t] == canonical || _keywordKeys[t].Contains(key)) hits.Add(t);
        }
        if (hits.Count > 0 || !useDescriptions) return hits;
        // A source named in a touchpoint's description ("Trustpilot and Google reviews of the store").
        var phrase = " " + string.Join(' ', MatchText.Words(value)) + " ";
        for (var t = 0; t < _touchpoints.Length; t++)
            if (_descriptionKeys[t].Contains(phrase, StringComparison.Ordinal)) hits.Add(t);
        return hits;
    }

    // Logits per touchpoint; null when the text shares no feature with the map (nothing to go on).
    private double[]? Scores(MatchInput input, List<int>? candidates)
    {
        var features = FeatureVector(Features($"{input.Title} {input.Text}", 1.0));
        if (features.Count == 0) return null;
        var logits = Logits(features, _weights, _bias);
        if (candidates is not null)
            for (var t = 0; t < logits.Length; t++)
                if (!candidates.Contains(t)) logits[t] = double.NegativeInfinity;
        return logits;
    }

    // The text's known features, TF-IDF weighted, each block scaled to unit length (unknown features count towards
    // the length) and by its block weight, so the dot product with a profile is the weighted sum of three cosines.
    private List<(int Id, float Value)> FeatureVector(Dictionary<long, double> counts)
    {
        Span<double> norms = stackalloc double[3];
        var known = new List<(int Id, float Value)>(counts.Count);
        foreach (var (feature, count) in counts)
        {
            var tf = (float)(1 + Math.Log(1 + count));
            if (_vocabulary.TryGetValue(feature, out var id))
            {
                var w = tf * _idf[id];
                known.Add((id, w));
                norms[_block[id]] += w * w;
            }
            else norms[BlockOf(feature)] += (tf * _maxIdf) * (tf * _maxIdf);
        }
        for (var b = 0; b < 3; b++) norms[b] = norms[b] > 0 ? 1 / Math.Sqrt(norms[b]) : 0;
        for (var i = 0; i < known.Count; i++)
        {
            var (id, w) = known[i];
            known[i] = (id, (float)(w * norms[_block[id]] * BlockWeights[_block[id]]));
        }
        return known;
    }

    // Similarity to each profile (through the postings: one lookup per feature of the text) over the temperature,
    // plus what the regression learnt.
    private double[] Logits(List<(int Id, float Value)> features, float[]? weights, float[]? bias)
    {
        var classes = _touchpoints.Length;
        var logits = new double[classes];
        foreach (var (id, value) in features)
            foreach (var (t, p) in _postings[id]) logits[t] += value * p / BlockWeights[_block[id]];
        for (var t = 0; t < classes; t++) logits[t] /= Temperature;
        if (weights is null) return logits;
        var prior = (double[])logits.Clone();
        var share = ReferenceEquals(weights, _weights) ? _learntShare : 1.0;
        foreach (var (id, value) in features)
        {
            var row = weights.AsSpan(id * classes, classes);
            for (var t = 0; t < classes; t++) logits[t] += row[t] * value;
        }
        for (var t = 0; t < classes; t++) logits[t] = prior[t] + share * (logits[t] - prior[t] + bias![t]);
        return logits;
    }

    private (int Best, double Confidence) Best(double[]? logits)
    {
        if (logits is null) return (0, 0);
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        if (_weights is null && logits[best] <= 0) return (best, 0);
        double sum = 0;
        foreach (var s in logits) if (!double.IsNegativeInfinity(s)) sum += Math.Exp(s - logits[best]);
        return (best, Math.Round(1 / sum, 4));
    }

    private static void SoftmaxInPlace(double[] logits)
    {
        var max = logits.Max();
        double sum = 0;
        for (var i = 0; i < logits.Length; i++) sum += logits[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < logits.Length; i++) logits[i] /= sum;
    }

    private static Dictionary<long, double> DescriptorFeatures(TouchpointDescriptor t)
    {
        var counts = new Dictionary<long, double>();
        Add(counts, Features(t.Name, 3.0));
        foreach (var keyword in t.AllKeywords) Add(counts, Features(keyword, 2.0));
        Add(counts, Features(t.Description, 1.0));
        Add(counts, Features(t.Channel?.Replace('-', ' '), 1.0));
        Add(counts, Features(t.StageName, 0.5));
        return counts;

        static void Add(Dictionary<long, double> into, Dictionary<long, double> from)
        {
            foreach (var (k, v) in from) into[k] = into.GetValueOrDefault(k) + v;
        }
    }

    /// <summary>
    /// Stems, stem bigrams, in-word character 4-grams and concepts with their (weighted) counts, keyed by a 64-bit hash
    /// whose top two bits say the block (0 words, 1 characters, 2 concepts): no strings are built per feature.
    /// </summary>
    private static Dictionary<long, double> Features(string? text, double weight)
    {
        var counts = new Dictionary<long, double>();
        var stems = MatchText.Stems(text);
        for (var i = 0; i < stems.Count; i++)
        {
            var stem = stems[i];
            Add(Key(0, stem), weight);
            if (i > 0) Add(Key(0, stems[i - 1], stem), weight * BigramWeight);
            // Character grams catch what the stemmer misses (pay/payment, refund/refunded, typos).
            var padded = $"<{stem}>";
            for (var c = 0; c + 4 <= padded.Length; c++) Add(Key(1, padded.AsSpan(c, 4)), weight * CharWeight);
        }
        // Shared concepts bridge different words for the same thing (see ConceptVocabulary).
        foreach (var concept in ConceptVocabulary.Concepts(text)) Add(Key(2, concept), weight * ConceptWeight);
        return counts;

        void Add(long key, double value) => counts[key] = counts.GetValueOrDefault(key) + value;
    }

    // FNV-1a over the text(s), with the block in the top two bits.
    private static long Key(int block, ReadOnlySpan<char> first, ReadOnlySpan<char> second = default)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in first) hash = (hash ^ ch) * 1099511628211UL;
        if (!second.IsEmpty)
        {
            hash = (hash ^ '_') * 1099511628211UL;
            foreach (var ch in second) hash = (hash ^ ch) * 1099511628211UL;
        }
        return (long)((hash & 0x3FFF_FFFF_FFFF_FFFFUL) | ((ulong)block << 62));
    }

    private static byte BlockOf(long feature) => (byte)((ulong)feature >> 62);

    // Sublinear term frequency × IDF, each block (words, characters, concepts) scaled to unit length so that the score
    // is a weighted sum of three cosines. Features unknown to the map still count towards the text's length
    // (a long text that mentions a keyword once is weaker evidence than a short one).
    private Dictionary<int, float> Vector(Dictionary<long, double> counts, bool knownOnly)
    {
        var weighted = new Dictionary<int, float>(counts.Count);
        Span<double> unknownSquares = stackalloc double[3];
        foreach (var (feature, count) in counts)
        {
            var tf = (float)(1 + Math.Log(1 + count));
            if (_vocabulary.TryGetValue(feature, out var id)) weighted[id] = tf * _idf[id];
            else if (!knownOnly) unknownSquares[BlockOf(feature)] += (tf * _maxIdf) * (tf * _maxIdf);
        }
        return NormalizeBlocks(weighted, unknownSquares);
    }

    private Dictionary<int, float> NormalizeBlocks(Dictionary<int, float> vector, ReadOnlySpan<double> extraSquares = default)
    {
        Span<double> norms = stackalloc double[3];
        if (!extraSquares.IsEmpty) extraSquares.CopyTo(norms);
        foreach (var (id, w) in vector) norms[_block[id]] += w * w;
        for (var b = 0; b < 3; b++) norms[b] = norms[b] > 0 ? 1 / Math.Sqrt(norms[b]) : 0;
        var normalized = new Dictionary<int, float>(vector.Count);
        foreach (var (id, w) in vector) normalized[id] = (float)(w * norms[_block[id]]);
        return normalized;
    }
}
