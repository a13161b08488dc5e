using System.Numerics.Tensors;
using System.Security.Cryptography;
using JourneyFeedback.Analysis.Semantic;

namespace JourneyFeedback.Analysis.Themes;

/// <summary>A negative item on one touchpoint, as theme discovery sees it.</summary>
public sealed record ThemeItem(Guid Id, string Text, float[] Embedding, string? Category = null);

/// <summary>A theme from the previous refresh: its id is kept when its membership stays mostly the same.</summary>
public sealed record KnownTheme(Guid Id, string Name, float[] Centroid, IReadOnlyCollection<Guid> Members);

/// <summary>
/// A pain-point theme: a readable name taken from its own items, its dominant category apart. Members are ordered by
/// closeness to the centroid (the most typical item first, good quote candidates).
/// </summary>
public sealed record FoundTheme(Guid Id, string Name, string? Category, float[] Centroid, IReadOnlyList<Guid> Members, IReadOnlyList<string> Phrases);

/// <summary>The rules of theme discovery; the defaults were chosen on the BANKING77 dev split (docs/insights.md).</summary>
public sealed record ThemeOptions
{
    /// <summary>Average-linkage cut: two groups merge while the mean cosine over all their cross pairs is at least this.</summary>
    public float MergeCosine { get; init; } = 0.6f;

    /// <summary>Groups smaller than this are not themes; their items are not returned as members of any theme.</summary>
    public int MinMembers { get; init; } = 5;

    /// <summary>A found theme takes a previous theme's id when the Jaccard overlap of their members is at least this ...</summary>
    public double SameThemeJaccard { get; init; } = 0.5;

    /// <summary>... or when their centroids are at least this close (for refreshes over a re-drawn sample of items).</summary>
    public float SameThemeCentroidCosine { get; init; } = 0.90f;

    /// <summary>Name candidates embedded per theme: the encoder is the cost of naming (~3-5 ms per short phrase on one core).</summary>
    public int CandidatesPerTheme { get; init; } = 8;

    /// <summary>At most this many candidates in all (at least 3 per theme), so naming stays bounded when there are many themes.</summary>
    public int MaxCandidates { get; init; } = 240;

    /// <summary>A kept theme keeps its old name unless the best new name scores more than this above it.</summary>
    public float RenameMargin { get; init; } = 0.05f;
}

/// <summary>
/// Groups one touchpoint's negative items by meaning and names each group with a phrase from its own items.
/// Pure and deterministic: the same items (in the same order) and previous themes give the same themes, names and ids.
/// </summary>
public sealed class ThemeFinder(SentenceEmbedder embedder, ThemeOptions? options = null)
{
    public ThemeOptions Options { get; } = options ?? new ThemeOptions();

    public IReadOnlyList<FoundTheme> Find(IReadOnlyList<ThemeItem> items, IReadOnlyList<KnownTheme> previous, CancellationToken ct = default)
    {
        if (items.Count == 0) return [];
        var vectors = items.Select(i => i.Embedding).ToArray();
        var groups = Groups(vectors, Options.MergeCosine, Options.MinMembers, ct);
        if (groups.Count == 0) return [];

        var centroids = groups.Select(g => Embedding.Centroid(g.Select(i => vectors[i]))).ToArray();
        // Members ordered by closeness to their centroid, ties by input order: the head is what the theme is about.
        var ordered = groups.Select((g, t) => g.OrderByDescending(i => Embedding.Cosine(vectors[i], centroids[t])).ThenBy(i => i).ToArray()).ToArray();
        var memberIds = ordered.Select(g => g.Select(i => items[i].Id).ToArray()).ToArray();

        var reused = MatchPrevious(memberIds, centroids, previous, items);
        var names = ThemeNamer.Name(embedder, items, ordered, centroids,
            reused.Select(k => k < 0 ? null : previous[k].Name).ToArray(), Options, ct);

        var themes = new FoundTheme[groups.Count];
        for (var t = 0; t < groups.Count; t++)
        {
            var category = ordered[t].Select(i => items[i].Category).Where(c => c is not null)
                .GroupBy(c => c!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key).FirstOrDefault();
            var id = reused[t] >= 0 ? previous[reused[t]].Id : IdOf(memberIds[t]);
            themes[t] = new FoundTheme(id, names[t].Name, category, centroids[t], memberIds[t], names[t].Phrases);
        }
        return themes;
    }

    /// <summary>The theme whose centroid is closest to <paramref name="embedding"/>, or -1 when none is at least <paramref name="minCosine"/>.</summary>
    public static int Nearest(IReadOnlyList<FoundTheme> themes, ReadOnlySpan<float> embedding, float minCosine)
    {
        var best = -1;
        var bestCosine = minCosine;
        for (var t = 0; t < themes.Count; t++)
        {
            var cosine = Embedding.Cosine(themes[t].Centroid, embedding);
            if (cosine >= bestCosine && (best < 0 || cosine > bestCosine)) (best, bestCosine) = (t, cosine);
        }
        return best;
    }

    /// <summary>
    /// Average-linkage agglomerative clustering on cosine, cut at <paramref name="mergeCosine"/>; groups of at least
    /// <paramref name="minMembers"/> items, largest first (ties: earliest first item). Nearest-neighbour chains make it
    /// O(n²) time and memory (1,500 items: a 9 MB similarity matrix) instead of O(n³).
    /// </summary>
    public static List<int[]> Groups(IReadOnlyList<float[]> vectors, float mergeCosine, int minMembers, CancellationToken ct = default)
    {
        var n = vectors.Count;
        var similarity = new float[(long)n * n];
        for (var i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            for (var j = i + 1; j < n; j++)
                similarity[(long)i * n + j] = similarity[(long)j * n + i] = TensorPrimitives.Dot(vectors[i], vectors[j]);
        }

        var size = Enumerable.Repeat(1, n).ToArray();
        var open = Enumerable.Repeat(true, n).ToArray(); // still able to merge
        var parent = Enumerable.Range(0, n).ToArray();
        var chain = new List<int>();
        var remaining = n;
        var next = 0;
        while (remaining > 0)
        {
            if (chain.Count == 0)
            {
                while (!open[next]) next++;
                chain.Add(next);
            }
            var a = chain[^1];
            var before = chain.Count > 1 ? chain[^2] : -1;
            // Ties go to the previous link of the chain (the algorithm needs that), then to the lowest index.
            var best = before;
            var bestSimilarity = before >= 0 ? similarity[(long)a * n + before] : float.NegativeInfinity;
            var row = similarity.AsSpan((int)((long)a * n), n);
            for (var c = 0; c < n; c++)
                if (open[c] && c != a && row[c] > bestSimilarity) (best, bestSimilarity) = (c, row[c]);

            if (best < 0 || bestSimilarity < mergeCosine)
            {
                // Average linkage never raises a group's best similarity by merging others, so this group is final.
                open[a] = false;
                remaining--;
                chain.RemoveAt(chain.Count - 1);
            }
            else if (best == before)
            {
                chain.RemoveRange(chain.Count - 2, 2);
                var (keep, drop) = a < before ? (a, before) : (before, a);
                for (var c = 0; c < n; c++)
                {
                    if (!open[c] || c == keep || c == drop) continue;
                    var merged = (size[keep] * similarity[(long)keep * n + c] + size[drop] * similarity[(long)drop * n + c]) / (size[keep] + size[drop]);
                    similarity[(long)keep * n + c] = similarity[(long)c * n + keep] = merged;
                }
                size[keep] += size[drop];
                parent[drop] = keep;
                open[drop] = false;
                remaining--;
            }
            else
            {
                chain.Add(best);
            }
        }

        int Root(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }
        return Enumerable.Range(0, n).GroupBy(Root).Select(g => g.ToArray()).Where(g => g.Length >= minMembers)
            .OrderByDescending(g => g.Length).ThenBy(g => g[0]).ToList();
    }

    /// <summary>
    /// For each found theme, the index of the previous theme whose id it keeps, or -1. Eligible pairs: member Jaccard ≥
    /// SameThemeJaccard (previous members counted only when still among the items, so deleted items do not count
    /// against it) or centroid cosine ≥ SameThemeCentroidCosine; one-to-one, greedy by Jaccard, then by cosine.
    /// </summary>
    private int[] MatchPrevious(Guid[][] memberIds, float[][] centroids, IReadOnlyList<KnownTheme> previous, IReadOnlyList<ThemeItem> items)
    {
        var result = Enumerable.Repeat(-1, memberIds.Length).ToArray();
        if (previous.Count == 0) return result;
        var present = items.Select(i => i.Id).ToHashSet();
        var pairs = new List<(int Found, int Known, double Jaccard, float Cosine)>();
        for (var k = 0; k < previous.Count; k++)
        {
            var known = previous[k].Members.Where(present.Contains).ToHashSet();
            for (var t = 0; t < memberIds.Length; t++)
            {
                var shared = memberIds[t].Count(known.Contains);
                var jaccard = shared == 0 ? 0 : shared / (double)(memberIds[t].Length + known.Count - shared);
                var cosine = previous[k].Centroid.Length == SentenceEmbedder.Dimensions ? Embedding.Cosine(centroids[t], previous[k].Centroid) : 0f;
                if (jaccard >= Options.SameThemeJaccard || cosine >= Options.SameThemeCentroidCosine) pairs.Add((t, k, jaccard, cosine));
            }
        }
        var taken = new HashSet<int>();
        foreach (var pair in pairs.OrderByDescending(p => p.Jaccard).ThenByDescending(p => p.Cosine).ThenBy(p => p.Found).ThenBy(p => p.Known))
        {
            if (result[pair.Found] >= 0 || taken.Contains(pair.Known)) continue;
            result[pair.Found] = pair.Known;
            taken.Add(pair.Known);
        }
        return result;
    }

    /// <summary>A new theme's id is derived from its members (SHA-256 of the sorted ids), so a refresh is repeatable.</summary>
    private static Guid IdOf(IEnumerable<Guid> members)
    {
        var bytes = members.Order().SelectMany(m => m.ToByteArray()).ToArray();
        var hash = SHA256.HashData(bytes).AsSpan(0, 16).ToArray();
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash);
    }
}
