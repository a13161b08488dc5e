using JourneyFeedback.Analysis.KeyPhrases;
using JourneyFeedback.Analysis.PainPoints;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// What a map's pain-point themes look like over all of its evidence, computed once per snapshot: each theme's name
/// and, for the themes a request shows, its best quote candidates. A theme found by meaning (<see cref="StoredTheme"/>) carries the name the
/// theme refresh gave it. Items no refresh has grouped yet are themed by their pain-point category on the touchpoint,
/// named by their most frequent key phrase of two words or more (longer phrases winning ties), never by the category's slug, and never by a
/// name another theme on the touchpoint already has. A request then only walks the head of the quote order.
/// Cheap enough (one pass, no sort of a whole theme) to build for every snapshot a catch-up makes.
/// </summary>
internal sealed class ThemeIndex
{
    public const int Slots = 16; // pain-point categories per touchpoint (11 used)

    public static int KeyOf(int touchpoint, int category) => touchpoint * Slots + category;

    /// <summary>
    /// How many quote candidates of a theme are kept in quote order. A request walks them for the items in its selection
    /// and scans its date range instead when they hold too few (MapInsightsBuilder).
    /// </summary>
    public const int CandidateLimit = 64;

    private readonly Dictionary<int, (string Name, IReadOnlyList<string> Phrases, int NamePhrase)> _names = [];
    private int[] _counts = [];
    private int[][] _candidates = [];

    /// <summary>
    /// Two passes in item order (sequential reads of the columns, which is what makes this fast on a big map): the first
    /// counts each theme's items and collects its key phrases, which are then counted by sorting and name the theme;
    /// the second keeps each theme's best quote candidates in a bounded heap.
    /// </summary>
    public static ThemeIndex Build(MapEvidence e)
    {
        var keys = Math.Max(e.ThemeKeys, 1);
        var counts = new int[keys];
        var phrasesOf = new List<int>?[keys];
        // Per theme and language, how many items: a theme is named in its items' main language.
        var languages = Math.Max(e.Languages.Length, 1);
        var languageCounts = new int[keys * languages];
        for (var i = 0; i < e.Count; i++)
        {
            var key = e.Theme[i];
            if (key < 0) continue;
            counts[key]++;
            languageCounts[key * languages + e.Language[i]]++;
            var list = phrasesOf[key] ??= [];
            if (e.Phrase1[i] >= 0) list.Add(e.Phrase1[i]);
            if (e.Phrase2[i] >= 0) list.Add(e.Phrase2[i]);
            if (e.Phrase3[i] >= 0) list.Add(e.Phrase3[i]);
        }
        var index = new ThemeIndex { _counts = counts };

        // Stored themes first: their names are taken, category themes on the same touchpoint name around them.
        var taken = new Dictionary<int, HashSet<string>>();
        foreach (var stored in e.StoredThemes)
            Taken(stored.Touchpoint).Add(Normalize(stored.Name));
        var namePhrases = NamePhrases(e);
        var words = new Lazy<int[]>(() => e.Phrases.Select(p => p.AsSpan().Count(' ')).ToArray());
        for (var key = 0; key < keys; key++)
        {
            if (counts[key] == 0) continue;
            var stored = e.StoredThemeOf(key);
            index._names[key] = stored is not null
                ? (stored.Name, stored.Phrases, namePhrases.GetValueOrDefault(stored.Name, -1))
                : Name(PhraseCounts(phrasesOf[key]!), e.Phrases, words.Value, (sbyte)(key % Slots), Taken(key / Slots),
                    MainLanguage(languageCounts.AsSpan(key * languages, languages), e.Languages));
        }

        var heaps = new PriorityQueue<int, int>?[keys];
        var orders = new Comparison<int>?[keys];
        for (var i = 0; i < e.Count; i++)
        {
            var key = e.Theme[i];
            if (key < 0) continue;
            var order = orders[key] ??= QuoteComparison(e, index.NameOf(key).NamePhrase);
            var heap = heaps[key] ??= new PriorityQueue<int, int>(CandidateLimit + 1, Comparer<int>.Create((a, b) => order(b, a)));
            if (heap.Count < CandidateLimit) heap.Enqueue(i, i);
            else if (order(i, heap.Peek()) < 0) heap.EnqueueDequeue(i, i);
        }
        index._candidates = heaps.Select(heap =>
        {
            if (heap is null) return [];
            var best = new int[heap.Count];
            for (var k = best.Length - 1; k >= 0; k--) best[k] = heap.Dequeue();
            return best;
        }).ToArray();
        return index;

        HashSet<string> Taken(int touchpoint) => taken.TryGetValue(touchpoint, out var set) ? set : taken[touchpoint] = [];
    }

    /// <summary>(phrase, count) of a theme's phrase ids, counted by sorting them (no hash table over a big theme's phrases).</summary>
    private static KeyValuePair<int, int>[] PhraseCounts(List<int> phraseIds)
    {
        var ids = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(phraseIds);
        ids.Sort();
        var counted = new List<KeyValuePair<int, int>>();
        for (var k = 0; k < ids.Length;)
        {
            var run = k;
            while (run < ids.Length && ids[run] == ids[k]) run++;
            counted.Add(new(ids[k], run - k));
            k = run;
        }
        return [.. counted];
    }

    /// <summary>The first key phrase equal (case aside) to each stored theme's name: its items are quoted first. One pass over the phrases.</summary>
    private static Dictionary<string, int> NamePhrases(MapEvidence e)
    {
        var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (e.StoredThemes.Length == 0) return found;
        var names = e.StoredThemes.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var p = 0; p < e.Phrases.Length && found.Count < names.Count; p++)
            if (names.Contains(e.Phrases[p])) found.TryAdd(e.Phrases[p], p);
        return found;
    }

    /// <summary>The first <paramref name="limit"/> items in quote order: carrying the name phrase first, then the most negative, then the newest.</summary>
    public static int[] QuoteOrder(MapEvidence e, ReadOnlySpan<int> items, int namePhrase, int limit) => Best(items, QuoteComparison(e, namePhrase), limit);

    private static Comparison<int> QuoteComparison(MapEvidence e, int namePhrase)
    {
        bool Named(int i) => namePhrase >= 0 && (e.Phrase1[i] == namePhrase || e.Phrase2[i] == namePhrase || e.Phrase3[i] == namePhrase);
        return (a, b) =>
        {
            var c = Named(b).CompareTo(Named(a));
            if (c == 0) c = e.NegativeScore[b].CompareTo(e.NegativeScore[a]);
            if (c == 0) c = e.OccurredTicks[b].CompareTo(e.OccurredTicks[a]);
            return c != 0 ? c : a.CompareTo(b);
        };
    }

    public (string Name, IReadOnlyList<string> Phrases, int NamePhrase) NameOf(int key) =>
        _names.TryGetValue(key, out var name) ? name : (CategoryName((sbyte)(key % Slots)), [], -1);

    /// <summary>How many items the theme has on the whole map.</summary>
    public int MemberCount(int key) => key < _counts.Length ? _counts[key] : 0;

    /// <summary>The theme's first <see cref="CandidateLimit"/> items in quote order, best first.</summary>
    public IReadOnlyList<int> CandidatesOf(int key) => key < _candidates.Length ? _candidates[key] : [];

    /// <summary>The best <paramref name="limit"/> of <paramref name="items"/> in <paramref name="order"/>, best first, by one pass with a bounded heap.</summary>
    private static T[] Best<T>(ReadOnlySpan<T> items, Comparison<T> order, int limit)
    {
        if (items.Length <= limit)
        {
            var all = items.ToArray();
            Array.Sort(all, order);
            return all;
        }
        // The heap's top is the worst of the best kept so far.
        var heap = new PriorityQueue<T, T>(limit + 1, Comparer<T>.Create((a, b) => order(b, a)));
        foreach (var item in items)
        {
            if (heap.Count < limit) heap.Enqueue(item, item);
            else if (order(item, heap.Peek()) < 0) heap.EnqueueDequeue(item, item);
        }
        var best = new T[heap.Count];
        for (var k = best.Length - 1; k >= 0; k--) best[k] = heap.Dequeue();
        return best;
    }

    /// <summary>
    /// A category theme's name: its most frequent key phrase of two words or more (a negation aside) shared by two items or more and not
    /// already a name on the touchpoint; otherwise a plain description of the category ("Other delivery and shipping issues").
    /// </summary>
    internal static (string Name, IReadOnlyList<string> Phrases, int NamePhrase) Name(KeyValuePair<int, int>[] entries, string[] phrases, int[] words,
        sbyte category, HashSet<string> taken, string? language = null)
    {
        // Most frequent first, longer phrases winning ties, then by text. Only the head is ranked: a name is almost
        // always among the first few, and the whole ranking is made only when they are all taken.
        Comparison<KeyValuePair<int, int>> rank = (a, b) =>
        {
            var c = b.Value.CompareTo(a.Value);
            if (c == 0) c = words[b.Key].CompareTo(words[a.Key]);
            return c != 0 ? c : string.CompareOrdinal(phrases[a.Key], phrases[b.Key]);
        };
        var head = Best<KeyValuePair<int, int>>(entries, rank, taken.Count + 8);
        var top = head.Take(3).Select(p => phrases[p.Key]).ToList();
        foreach (var (phrase, count) in Ranked())
        {
            if (count < 2) break;
            // One word ("cash", "account", or "not work") names a topic every theme of the touchpoint shares, not a finding.
            var name = phrases[phrase];
            if (ContentWords(name) < 2) continue;
            if (IsCategoryName(name) || !taken.Add(Normalize(name))) continue;
            return (name, top, phrase);
        }
        var fallback = PainPointTaxonomy.OtherIssuesName(category, language);
        for (var n = 2; !taken.Add(Normalize(fallback)); n++) fallback = $"{PainPointTaxonomy.OtherIssuesName(category, language)} ({n})";
        return (fallback, top, -1);

        IEnumerable<KeyValuePair<int, int>> Ranked()
        {
            foreach (var entry in head) yield return entry;
            if (head.Length == entries.Length || head[^1].Value < 2) yield break;
            foreach (var entry in Best<KeyValuePair<int, int>>(entries, rank, entries.Length).AsSpan(head.Length).ToArray()) yield return entry;
        }
    }

    /// <summary>Words of a key phrase other than a negation: "not work" has one.</summary>
    private static int ContentWords(string phrase) =>
        phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => !KeyPhraseExtractor.IsNegation(w));

    // "account-login-verification" → "Other account, login and verification issues" (or in the theme's language).
    private static string CategoryName(sbyte category) => PainPointTaxonomy.OtherIssuesName(category, null);

    private static string? MainLanguage(ReadOnlySpan<int> counts, string[] languages)
    {
        var best = 0;
        for (var l = 1; l < counts.Length; l++) if (counts[l] > counts[best]) best = l;
        return best < languages.Length ? languages[best] : null;
    }

    private static bool IsCategoryName(string phrase) =>
        PainPointTaxonomy.All.Any(c => string.Equals(Normalize(c.Name), Normalize(phrase), StringComparison.Ordinal));

    private static string Normalize(string name) =>
        string.Join(' ', name.ToLowerInvariant().Split([' ', '-', '_', ',', '.', '!', '?', ':', ';'], StringSplitOptions.RemoveEmptyEntries));
}
