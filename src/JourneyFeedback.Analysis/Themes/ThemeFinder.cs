using JourneyFeedback.Analysis.Semantic;

namespace JourneyFeedback.Analysis.Themes;

/// <summary>A negative item on one touchpoint, as theme discovery sees it.</summary>
public sealed record ThemeItem(Guid Id, string Text, float[] Embedding, string? Category = null);

/// <summary>A theme from the previous refresh: its id is kept when its membership stays mostly the same.</summary>
public sealed record KnownTheme(Guid Id, string Name, float[] Centroid, IReadOnlyCollection<Guid> Members);

/// <summary>A pain-point theme: a readable name taken from its own items, its dominant category apart.</summary>
public sealed record FoundTheme(Guid Id, string Name, string? Category, float[] Centroid, IReadOnlyList<Guid> Members, IReadOnlyList<string> Phrases);

/// <summary>
/// Groups one touchpoint's negative items by meaning and names each group (CONTRACT DRAFT: to be replaced by the
/// measured implementation).
/// </summary>
public sealed class ThemeFinder(SentenceEmbedder embedder)
{
    public IReadOnlyList<FoundTheme> Find(IReadOnlyList<ThemeItem> items, IReadOnlyList<KnownTheme> previous, CancellationToken ct = default)
    {
        _ = embedder;
        throw new NotImplementedException("Theme discovery lands with the semantic themes work.");
    }
}
