using JourneyFeedback.Analysis.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace JourneyFeedback.Analysis.Training;

internal readonly record struct WeightedExample(VBuffer<float> Features, int Label, float Weight);

/// <summary>
/// Fits linear heads (L-BFGS logistic regression / maximum entropy) on precomputed shared features
/// and assembles them into one saved chain per model whose output is a single score-vector column.
/// </summary>
internal static class HeadTrainer
{
    /// <param name="featureDimension">Length of the feature vectors when they are not the shared featurizer's (experiments).</param>
    /// <param name="l1">L1 and <paramref name="l2"/>: ML.NET's defaults (1.0) zeroed most n-gram weights on GoEmotions; 0.1 was best on its tuning data.</param>
    public static ITransformer TrainBinary(IReadOnlyList<WeightedExample> examples, int seed, int featureDimension = TextFeaturizer.Dimension,
        float l1 = 0.1f, float l2 = 0.1f)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureDimension);
        var rows = Shuffled(examples, seed).Select(e => new BinaryRow { Features = e.Features, Label = e.Label == 1, Weight = e.Weight });
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = "Weight",
            // One thread per head keeps results reproducible; heads are trained in parallel instead.
            NumberOfThreads = 1,
            L1Regularization = l1,
            L2Regularization = l2,
        });
        return trainer.Fit(data);
    }

    /// <summary>Labels are 0-based class indexes.</summary>
    public static ITransformer TrainMulticlass(IReadOnlyList<WeightedExample> examples, int classCount, int seed, float l1, float l2,
        int featureDimension = TextFeaturizer.Dimension)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureDimension);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        var rows = Shuffled(examples, seed).Select(e => new MulticlassRow { Features = e.Features, Label = (uint)e.Label, Weight = e.Weight });
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = "Weight",
            NumberOfThreads = 1,
            L1Regularization = l1,
            L2Regularization = l2,
        });
        return trainer.Fit(data);
    }

    /// <summary>Wraps a multiclass head so its class probabilities come out as <paramref name="outputColumn"/>.</summary>
    public static ITransformer ChainMulticlass(ITransformer head, string outputColumn)
    {
        var ml = new MLContext(0);
        var view = head.Transform(EmptyFeatures(ml));
        var copy = ml.Transforms.CopyColumns(outputColumn, "Score").Fit(view);
        return new TransformerChain<ITransformer>(head, copy);
    }

    /// <summary>Chains binary heads so their calibrated probabilities come out, in order, as one vector column.</summary>
    public static ITransformer ChainBinary(IReadOnlyList<ITransformer> heads, string outputColumn)
    {
        var ml = new MLContext(0);
        IDataView view = EmptyFeatures(ml);
        var parts = new List<ITransformer>();
        var columns = new List<string>();
        for (int i = 0; i < heads.Count; i++)
        {
            view = heads[i].Transform(view);
            parts.Add(heads[i]);
            string column = $"{outputColumn}_{i}";
            var copy = ml.Transforms.CopyColumns(column, "Probability").Fit(view);
            view = copy.Transform(view);
            parts.Add(copy);
            columns.Add(column);
        }
        parts.Add(ml.Transforms.Concatenate(outputColumn, columns.ToArray()).Fit(view));
        return new TransformerChain<ITransformer>(parts.ToArray());
    }

    /// <summary>Scores of a binary head for precomputed features (used to tune thresholds).</summary>
    public static float[] Probabilities(ITransformer head, IReadOnlyList<VBuffer<float>> features, int featureDimension = TextFeaturizer.Dimension) =>
        head.Transform(FeatureView(features, featureDimension)).GetColumn<float>("Probability").ToArray();

    /// <summary>Class probabilities of a multiclass head (not chained) for precomputed features.</summary>
    public static float[][] ClassProbabilities(ITransformer head, IReadOnlyList<VBuffer<float>> features, int featureDimension = TextFeaturizer.Dimension) =>
        head.Transform(FeatureView(features, featureDimension)).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();

    private static IDataView FeatureView(IReadOnlyList<VBuffer<float>> features, int featureDimension)
    {
        var ml = new MLContext(0);
        var schema = SchemaDefinition.Create(typeof(FeatureInput));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureDimension);
        return ml.Data.LoadFromEnumerable(features.Select(f => new FeatureInput { Features = f }), schema);
    }

    public static IDataView EmptyFeatures(MLContext ml) => ml.Data.LoadFromEnumerable(Array.Empty<FeatureInput>());

    public static void Save(ITransformer model, string path)
    {
        var ml = new MLContext(0);
        ml.Model.Save(model, EmptyFeatures(ml).Schema, path);
    }

    public static ITransformer Load(string path)
    {
        var ml = new MLContext(0);
        return ml.Model.Load(path, out _);
    }

    // L-BFGS itself is order-insensitive, but a full seeded shuffle makes any trainer safe (ML-NOTES: unshuffled data hurt SDCA).
    private static List<WeightedExample> Shuffled(IReadOnlyList<WeightedExample> examples, int seed)
    {
        var list = examples.ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }
}
