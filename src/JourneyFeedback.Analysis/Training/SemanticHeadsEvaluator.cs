using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.Features;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Analysis.Sentiment;
using Microsoft.ML.Data;

namespace JourneyFeedback.Analysis.Training;

/// <summary>The analysis heads' features in one experiment: the hashed n-grams, the sentence embedding, or both concatenated.</summary>
public enum HeadFeatures
{
    NGrams,
    Embeddings,
    Both,
}

/// <summary>One held-out metric under the three feature sets.</summary>
public sealed record SemanticHeadsRow(string Head, string Metric, double NGrams, double Embeddings, double Both);

/// <param name="EmbeddedTexts">Texts the encoder embedded in this run (0 when every vector came from the cache).</param>
/// <param name="TrainSeconds">Wall-clock seconds to fit all heads of one feature set (sentiment, 6 Ekman heads, pain points).</param>
public sealed record SemanticHeadsReport(
    IReadOnlyList<SemanticHeadsRow> Rows,
    int EmbeddedTexts,
    double EmbedSeconds,
    IReadOnlyDictionary<HeadFeatures, double> TrainSeconds,
    int GoEmotionsTrainRows);

/// <summary>
/// Measures whether all-MiniLM-L6-v2 sentence embeddings improve the analysis heads (docs/model-card.md, "Semantic
/// features for the analysis heads"). Same data, splits, weights, seeds and L-BFGS trainers as <see cref="AnalysisTrainer"/>;
/// only the feature vector changes. Held-out rows are scored, never trained or tuned on; emotion thresholds are tuned on
/// the GoEmotions tuning slice as in training. Only the Ekman-group heads are trained (the label heads do not enter the
/// Ekman metric). Nothing here touches the committed models.
/// </summary>
public static class SemanticHeadsEvaluator
{
    private const int EmbeddingOffset = TextFeaturizer.Dimension;
    private const int BothDimension = TextFeaturizer.Dimension + SentenceEmbedder.Dimensions;

    /// <param name="cacheDirectory">Where embeddings are kept between runs (keyed by a hash of the texts); null embeds every time.</param>
    /// <param name="goEmotionsTrainRows">A seeded sample of GoEmotions train for all three feature sets (embedding 39k texts takes minutes); null = all.</param>
    /// <param name="embedder">Null measures the n-grams alone (a quick check that they reproduce the model card); the other columns are NaN.</param>
    public static SemanticHeadsReport Evaluate(string trainingData, SentenceEmbedder? embedder, string? cacheDirectory,
        int? goEmotionsTrainRows, int threads, Action<string> log)
    {
        var variants = embedder is null ? [HeadFeatures.NGrams] : Enum.GetValues<HeadFeatures>();
        var data = TrainingDataSet.Load(trainingData);
        const int seed = TrainingDataSet.SplitSeed;
        var goTrain = goEmotionsTrainRows is int cap && cap < data.GoEmotionsTrain.Count
            ? TrainingDataSet.RandomSplit(data.GoEmotionsTrain, (double)cap / data.GoEmotionsTrain.Count, seed).HeldOut
            : data.GoEmotionsTrain.ToList();
        var banking = AnalysisTrainer.SampleBanking(data.Banking77, seed);

        var sets = new Dictionary<string, IReadOnlyList<string>>
        {
            ["uci-train"] = data.UciTrain.Select(r => r.Text).ToList(),
            ["uci-heldout"] = data.UciHeldOut.Select(r => r.Text).ToList(),
            ["rt"] = data.RtPolarity.Select(r => r.Text).ToList(),
            ["go-train"] = goTrain.Select(r => r.Text).ToList(),
            ["go-tune"] = data.GoEmotionsTune.Select(r => r.Text).ToList(),
            ["go-dev"] = data.GoEmotionsHeldOut.Select(r => r.Text).ToList(),
            ["own-train"] = data.OwnTrain.Select(r => r.Text).ToList(),
            ["own-heldout"] = data.OwnHeldOut.Select(r => r.Text).ToList(),
            ["banking"] = banking.Select(r => r.Text).ToList(),
        };

        var (embedded, embedSeconds) = (0, 0.0);
        var vectors = new Dictionary<string, float[][]>();
        var ngrams = new Dictionary<string, VBuffer<float>[]>();
        foreach (var (name, texts) in sets)
        {
            var started = Stopwatch.GetTimestamp();
            bool hit = true;
            if (embedder is not null)
            {
                vectors[name] = Cached(cacheDirectory, name, texts, out hit) ?? Store(cacheDirectory, name, texts, embedder.Embed(texts));
            }
            if (!hit)
            {
                double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                embedded += texts.Count;
                embedSeconds += seconds;
                log($"embedded {name}: {texts.Count} texts in {seconds:F1}s ({texts.Count / seconds:F0}/s)");
            }
            var features = new VBuffer<float>[texts.Count];
            AnalysisTrainer.For(texts.Count, threads, i => features[i] = TextFeaturizer.Featurize(texts[i]));
            ngrams[name] = features;
        }

        var results = new Dictionary<HeadFeatures, Dictionary<(string Head, string Metric), double>>();
        var trainSeconds = new Dictionary<HeadFeatures, double>();
        foreach (var variant in variants)
        {
            int dimension = variant switch
            {
                HeadFeatures.NGrams => TextFeaturizer.Dimension,
                HeadFeatures.Embeddings => SentenceEmbedder.Dimensions,
                _ => BothDimension,
            };
            var features = sets.Keys.ToDictionary(name => name, name => Combine(variant, ngrams[name], vectors.GetValueOrDefault(name, [])));
            var metrics = new Dictionary<(string, string), double>();
            var clock = Stopwatch.StartNew();
            var fitted = new Stopwatch();
            Sentiment(data, goTrain, features, dimension, metrics, fitted);
            Emotions(data, goTrain, features, dimension, threads, metrics, fitted);
            PainPoints(data, banking, features, dimension, metrics, fitted);
            trainSeconds[variant] = fitted.Elapsed.TotalSeconds;
            results[variant] = metrics;
            log($"{variant}: trained and scored in {clock.Elapsed.TotalSeconds:F1}s (fitting {fitted.Elapsed.TotalSeconds:F1}s)");
        }

        double Value(HeadFeatures variant, (string, string) key) => results.TryGetValue(variant, out var m) ? m[key] : double.NaN;
        var rows = results[HeadFeatures.NGrams].Keys.Select(key => new SemanticHeadsRow(key.Head, key.Metric,
            Value(HeadFeatures.NGrams, key), Value(HeadFeatures.Embeddings, key), Value(HeadFeatures.Both, key))).ToList();
        return new SemanticHeadsReport(rows, embedded, embedSeconds, trainSeconds, goTrain.Count);
    }

    private static void Sentiment(TrainingDataSet data, IReadOnlyList<GoEmotionsText> goTrain, Dictionary<string, VBuffer<float>[]> f,
        int dimension, Dictionary<(string, string), double> metrics, Stopwatch fitted)
    {
        var examples = new List<WeightedExample>();
        examples.AddRange(data.UciTrain.Select((r, i) => new WeightedExample(f["uci-train"][i], r.Positive ? 2 : 0, 1f)));
        examples.AddRange(data.RtPolarity.Select((r, i) => new WeightedExample(f["rt"][i], r.Positive ? 2 : 0, AnalysisTrainer.RtPolarityWeight)));
        for (int i = 0; i < goTrain.Count; i++)
        {
            if (data.SentimentOf(goTrain[i]) is string label)
            {
                examples.Add(new WeightedExample(f["go-train"][i], SentimentLabels.IndexOf(label), AnalysisTrainer.GoEmotionsSentimentWeight));
            }
        }
        examples.AddRange(data.OwnTrain.Select((r, i) =>
            new WeightedExample(f["own-train"][i], SentimentLabels.IndexOf(r.Sentiment), AnalysisTrainer.OwnSentimentWeight)));
        fitted.Start();
        var model = HeadTrainer.TrainMulticlass(examples, SentimentLabels.All.Count, TrainingDataSet.SplitSeed,
            AnalysisTrainer.SentimentL1, AnalysisTrainer.SentimentL2, dimension);
        fitted.Stop();

        // Same rules as AnalysisEvaluator: UCI positive iff P(positive) > P(negative); GoEmotions dev via sentiment_dict.
        var uci = HeadTrainer.ClassProbabilities(model, f["uci-heldout"], dimension);
        metrics[("sentiment", "uci_binary_accuracy")] = Metrics.Accuracy(
            data.UciHeldOut.Select(r => r.Positive).ToList(), uci.Select(p => p[2] > p[0]).ToList());

        var goRows = data.GoEmotionsHeldOut.Select((r, i) => (Gold: data.SentimentOf(r), Index: i)).Where(r => r.Gold is not null).ToList();
        var go = HeadTrainer.ClassProbabilities(model, goRows.Select(r => f["go-dev"][r.Index]).ToList(), dimension);
        var goGold = goRows.Select(r => r.Gold!).ToList();
        var goPredicted = go.Select(ArgMaxLabel).ToList();
        metrics[("sentiment", "goemotions_dev_accuracy")] = Metrics.Accuracy(goGold, goPredicted);
        metrics[("sentiment", "goemotions_dev_macro_f1")] = Metrics.MacroF1(goGold, goPredicted, SentimentLabels.All);

        var own = HeadTrainer.ClassProbabilities(model, f["own-heldout"], dimension);
        metrics[("sentiment", "own_heldout_accuracy")] = Metrics.Accuracy(
            data.OwnHeldOut.Select(r => r.Sentiment).ToList(), own.Select(ArgMaxLabel).ToList());

        static string ArgMaxLabel(float[] p) => SentimentLabels.All[Array.IndexOf(p, p.Max())];
    }

    /// <summary>The six Ekman-group heads with thresholds tuned on the tuning slice; neutral = no group passes.</summary>
    private static void Emotions(TrainingDataSet data, IReadOnlyList<GoEmotionsText> goTrain, Dictionary<string, VBuffer<float>[]> f,
        int dimension, int threads, Dictionary<(string, string), double> metrics, Stopwatch fitted)
    {
        var groups = EmotionLabels.ModelledGroups;
        bool IsPositive(GoEmotionsText row, EkmanGroup group) => row.Labels.Any(l => EmotionLabels.GoEmotionsToEkman[l] == group);
        var heads = new Microsoft.ML.ITransformer[groups.Count];
        fitted.Start();
        AnalysisTrainer.For(groups.Count, threads, g =>
        {
            var examples = goTrain.Select((r, i) => new WeightedExample(f["go-train"][i], IsPositive(r, groups[g]) ? 1 : 0, 1f)).ToList();
            // Seeds as in AnalysisTrainer: group heads follow the label heads.
            heads[g] = HeadTrainer.TrainBinary(examples, TrainingDataSet.SplitSeed + EmotionLabels.All.Count + g, dimension);
        });
        fitted.Stop();

        var passes = new bool[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            var tune = HeadTrainer.Probabilities(heads[g], f["go-tune"], dimension);
            var (threshold, _) = Metrics.BestF1Threshold(tune, data.GoEmotionsTune.Select(r => IsPositive(r, groups[g])).ToList());
            passes[g] = HeadTrainer.Probabilities(heads[g], f["go-dev"], dimension).Select(p => p >= threshold).ToArray();
        }

        var dev = data.GoEmotionsHeldOut;
        var f1 = new List<double>();
        foreach (var group in Enum.GetValues<EkmanGroup>())
        {
            var gold = dev.Select(r => IsPositive(r, group)).ToList();
            int modelled = groups.ToList().IndexOf(group);
            var predicted = dev.Select((_, i) => modelled >= 0 ? passes[modelled][i] : !passes.Any(p => p[i])).ToList();
            f1.Add(Metrics.Count(gold, predicted).F1);
        }
        metrics[("emotions", "ekman_macro_f1")] = f1.Average();
    }

    private static void PainPoints(TrainingDataSet data, IReadOnlyList<IntentText> banking, Dictionary<string, VBuffer<float>[]> f,
        int dimension, Dictionary<(string, string), double> metrics, Stopwatch fitted)
    {
        var examples = new List<WeightedExample>();
        examples.AddRange(data.OwnTrain.Select((r, i) => new WeightedExample(f["own-train"][i], PainPointTaxonomy.IndexOf(r.Category), 1f)));
        examples.AddRange(banking.Select((r, i) => new WeightedExample(f["banking"][i],
            PainPointTaxonomy.IndexOf(Banking77Map.IntentToCategory[r.Intent]), AnalysisTrainer.BankingWeight)));
        fitted.Start();
        var model = HeadTrainer.TrainMulticlass(examples, PainPointTaxonomy.All.Count, TrainingDataSet.SplitSeed,
            AnalysisTrainer.PainPointL1, AnalysisTrainer.PainPointL2, dimension);
        fitted.Stop();
        var scores = HeadTrainer.ClassProbabilities(model, f["own-heldout"], dimension);
        var gold = data.OwnHeldOut.Select(r => r.Category).ToList();
        var predicted = scores.Select(p => PainPointTaxonomy.All[Array.IndexOf(p, p.Max())].Name).ToList();
        metrics[("pain-points", "own_heldout_accuracy")] = Metrics.Accuracy(gold, predicted);
        metrics[("pain-points", "own_heldout_macro_f1")] = Metrics.MacroF1(gold, predicted, PainPointTaxonomy.Names);
    }

    /// <summary>N-grams as they are; the embedding as a dense vector; or the embedding appended after the n-gram slots.</summary>
    private static VBuffer<float>[] Combine(HeadFeatures variant, VBuffer<float>[] ngrams, float[][] embeddings) => variant switch
    {
        HeadFeatures.NGrams => ngrams,
        HeadFeatures.Embeddings => embeddings.Select(e => new VBuffer<float>(e.Length, e)).ToArray(),
        _ => ngrams.Select((n, i) =>
        {
            var indices = new List<int>(n.GetIndices().Length + SentenceEmbedder.Dimensions);
            var values = new List<float>(indices.Capacity);
            foreach (var pair in n.Items())
            {
                indices.Add(pair.Key);
                values.Add(pair.Value);
            }
            for (int d = 0; d < embeddings[i].Length; d++)
            {
                indices.Add(EmbeddingOffset + d);
                values.Add(embeddings[i][d]);
            }
            return new VBuffer<float>(BothDimension, values.Count, values.ToArray(), indices.ToArray());
        }).ToArray(),
    };

    // Cache files hold the vectors of exactly these texts: the name includes a hash of them, so changed data re-embeds.
    private static string? CachePath(string? directory, string name, IReadOnlyList<string> texts)
    {
        if (directory is null)
        {
            return null;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', texts)));
        return Path.Combine(directory, $"{name}-{Convert.ToHexString(hash)[..16]}.f32");
    }

    private static float[][]? Cached(string? directory, string name, IReadOnlyList<string> texts, out bool hit)
    {
        hit = false;
        if (CachePath(directory, name, texts) is not string path || !File.Exists(path))
        {
            return null;
        }
        var bytes = File.ReadAllBytes(path);
        var all = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, all, 0, bytes.Length);
        if (all.Length != texts.Count * SentenceEmbedder.Dimensions)
        {
            return null;
        }
        hit = true;
        return Enumerable.Range(0, texts.Count).Select(i => all.AsSpan(i * SentenceEmbedder.Dimensions, SentenceEmbedder.Dimensions).ToArray()).ToArray();
    }

    private static float[][] Store(string? directory, string name, IReadOnlyList<string> texts, float[][] vectors)
    {
        if (CachePath(directory, name, texts) is string path)
        {
            Directory.CreateDirectory(directory!);
            var bytes = new byte[texts.Count * SentenceEmbedder.Dimensions * sizeof(float)];
            for (int i = 0; i < vectors.Length; i++)
            {
                Buffer.BlockCopy(vectors[i], 0, bytes, i * SentenceEmbedder.Dimensions * sizeof(float), SentenceEmbedder.Dimensions * sizeof(float));
            }
            File.WriteAllBytes(path + ".tmp", bytes);
            File.Move(path + ".tmp", path, overwrite: true);
        }
        return vectors;
    }
}
