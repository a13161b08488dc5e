using System.Numerics.Tensors;

namespace JourneyFeedback.Analysis.Semantic;

/// <summary>Arithmetic on unit-length sentence vectors, and their compact stored form.</summary>
public static class Embedding
{
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);

    /// <summary>The normalised mean of the vectors (a centroid on the unit sphere); a zero vector when there are none.</summary>
    public static float[] Centroid(IEnumerable<float[]> vectors)
    {
        var sum = new float[SentenceEmbedder.Dimensions];
        foreach (var vector in vectors) TensorPrimitives.Add(sum, vector, sum);
        Normalize(sum);
        return sum;
    }

    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
    }

    // Stored as one signed byte per dimension (×127): 384 bytes instead of 1,536, and cosines within ~0.005 of the
    // float vectors — far below the gaps the matcher and the theme clustering decide on.
    public static byte[] Pack(ReadOnlySpan<float> vector)
    {
        var packed = new byte[vector.Length];
        for (var i = 0; i < vector.Length; i++) packed[i] = (byte)(sbyte)Math.Clamp(MathF.Round(vector[i] * 127f), -127f, 127f);
        return packed;
    }

    public static float[] Unpack(ReadOnlySpan<byte> packed)
    {
        var vector = new float[packed.Length];
        for (var i = 0; i < packed.Length; i++) vector[i] = (sbyte)packed[i] / 127f;
        Normalize(vector);
        return vector;
    }
}
