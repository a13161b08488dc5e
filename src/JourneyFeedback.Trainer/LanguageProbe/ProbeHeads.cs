using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace JourneyFeedback.Trainer.LanguageProbe;

internal enum Learner { Lbfgs, Sdca, Perceptron, Svm }

/// <summary>A linear head's learner and settings; Balanced weights each class by N / (classes × its count).</summary>
internal sealed record HeadSettings(Learner Learner, float L2, bool Balanced)
{
    public static readonly HeadSettings Baseline = new(Learner.Lbfgs, 1f, true);

    public string Describe() => Learner switch
    {
        Learner.Lbfgs => FormattableString.Invariant($"L-BFGS L2 {L2}{(Balanced ? " bal" : "")}"),
        Learner.Sdca => $"SDCA{(Balanced ? " bal" : "")}",
        Learner.Perceptron => "avg perceptron",
        _ => "linear SVM",
    };
}

/// <summary>Raw scores of a fitted head on each scored set, and how long the fit took (one thread).</summary>
internal sealed record HeadScores(float[][][] Sets, double Seconds);

/// <summary>
/// Fits ML.NET linear heads on precomputed sparse features and returns their scores. Binary heads score with "Score"
/// (a logit for logistic regression, a margin otherwise, so 0 is the decision point); multiclass heads with the
/// per-class "Score" vector in class-index order.
/// </summary>
internal static class ProbeHeads
{
    private sealed class BinaryRow
    {
        public VBuffer<float> Features;
        public bool Label;
        public float Weight;
    }

    private sealed class MulticlassRow
    {
        public VBuffer<float> Features;
        public uint Label;
        public float Weight;
    }

    private sealed class FeatureRow
    {
        public VBuffer<float> Features;
    }

    public static HeadScores Binary(IReadOnlyList<(VBuffer<float> Features, bool Label, float Weight)> train, int dimension, HeadSettings settings,
        int seed, params IReadOnlyList<VBuffer<float>>[] scored)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        double positives = train.Where(r => r.Label).Sum(r => r.Weight);
        double negatives = train.Where(r => !r.Label).Sum(r => r.Weight);
        float positiveWeight = settings.Balanced ? (float)((positives + negatives) / (2 * Math.Max(1e-9, positives))) : 1f;
        float negativeWeight = settings.Balanced ? (float)((positives + negatives) / (2 * Math.Max(1e-9, negatives))) : 1f;
        var rows = Shuffled(train, seed).Select(r => new BinaryRow { Features = r.Features, Label = r.Label, Weight = r.Weight * (r.Label ? positiveWeight : negativeWeight) });
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        IEstimator<ITransformer> trainer = settings.Learner switch
        {
            Learner.Lbfgs => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                ExampleWeightColumnName = "Weight", NumberOfThreads = 1, L1Regularization = 0, L2Regularization = settings.L2,
            }),
            Learner.Sdca => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                ExampleWeightColumnName = "Weight", NumberOfThreads = 1,
            }),
            Learner.Perceptron => ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options { NumberOfIterations = 10 }),
            _ => ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options { ExampleWeightColumnName = "Weight", NumberOfIterations = 10 }),
        };
        var clock = Stopwatch.StartNew();
        var model = trainer.Fit(data);
        double seconds = clock.Elapsed.TotalSeconds;
        var sets = scored.Select(set => model.Transform(View(ml, set, dimension)).GetColumn<float>("Score").Select(s => new[] { s }).ToArray()).ToArray();
        return new HeadScores(sets, seconds);
    }

    /// <summary>Labels are 0-based class indexes; rows carry their own weight (multi-label lines are split 1/k).</summary>
    public static HeadScores Multiclass(IReadOnlyList<(VBuffer<float> Features, int Label, float Weight)> train, int classCount, int dimension,
        HeadSettings settings, int seed, params IReadOnlyList<VBuffer<float>>[] scored)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(MulticlassRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        var mass = new double[classCount];
        foreach (var row in train) { mass[row.Label] += row.Weight; }
        double total = mass.Sum();
        var rows = Shuffled(train, seed).Select(r => new MulticlassRow
        {
            Features = r.Features,
            Label = (uint)r.Label,
            Weight = r.Weight * (settings.Balanced ? (float)(total / (classCount * mass[r.Label])) : 1f),
        });
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        IEstimator<ITransformer> trainer = settings.Learner switch
        {
            Learner.Lbfgs => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                ExampleWeightColumnName = "Weight", NumberOfThreads = 1, L1Regularization = 0, L2Regularization = settings.L2,
            }),
            Learner.Sdca => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                ExampleWeightColumnName = "Weight", NumberOfThreads = 1,
            }),
            _ => throw new ArgumentException("Multiclass heads are L-BFGS or SDCA maximum entropy.", nameof(settings)),
        };
        var clock = Stopwatch.StartNew();
        var model = trainer.Fit(data);
        double seconds = clock.Elapsed.TotalSeconds;
        var sets = scored.Select(set => model.Transform(View(ml, set, dimension)).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray()).ToArray();
        return new HeadScores(sets, seconds);
    }

    private static IDataView View(MLContext ml, IReadOnlyList<VBuffer<float>> features, int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }), schema);
    }

    // Online learners and SDCA depend on row order; a seeded shuffle keeps every learner reproducible.
    private static List<T> Shuffled<T>(IReadOnlyList<T> rows, int seed)
    {
        var list = rows.ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }
}
