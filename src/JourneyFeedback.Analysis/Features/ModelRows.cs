using Microsoft.ML.Data;

namespace JourneyFeedback.Analysis.Features;

/// <summary>Input of every saved model: the shared feature vector (this is the saved input schema).</summary>
internal sealed class FeatureInput
{
    [VectorType(TextFeaturizer.Dimension)]
    public VBuffer<float> Features;
}

/// <summary>Output of the combined serving chain: one score vector per model, in manifest label order.</summary>
internal sealed class HeadScores
{
    public const string SentimentColumn = "SentimentScores";
    public const string EmotionColumn = "EmotionScores";
    public const string PainPointColumn = "PainPointScores";

    public float[] SentimentScores = [];
    public float[] EmotionScores = [];
    public float[] PainPointScores = [];
}

internal sealed class BinaryRow
{
    [VectorType(TextFeaturizer.Dimension)]
    public VBuffer<float> Features;
    public bool Label;
    public float Weight;
}

/// <summary>Label is the 0-based class index (LoadFromEnumerable maps it to key value index + 1); the key count is set through a schema definition.</summary>
internal sealed class MulticlassRow
{
    [VectorType(TextFeaturizer.Dimension)]
    public VBuffer<float> Features;
    public uint Label;
    public float Weight;
}
