using JourneyFeedback.Analysis.PainPoints;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// What a map's pain-point themes look like over all of its evidence, computed once per snapshot: each theme's name
/// and, for the themes a request shows, its best quote candidates. A theme found by meaning (<see cref="StoredTheme"/>) carries the name the
/// theme refresh gave it. Items no refresh has grouped yet are themed by their pain-point category on the touchpoint,
/// named by their most frequent key phrase (longer phrases winning ties), never by the category's slug, and never by a
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
    // Every theme's members, grouped by key (a counting sort): those of key k are _members[_start[k].._start[k + 1]].
    private int[] _start = [0];
    private int[] _members = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int[]> _candidates = new();
    private MapEvidence _evidence = null!;

    /// <summary>
    /// Two passes over the items group them by theme; each theme's name comes from its phrase counts by a bounded
    /// selection (no theme's phrases are sorted whole). Quote candidates are selected per theme on first use.
    /// </summary>
    public static ThemeIndex Build(MapEvidence e)
    {
        var keys = Math.Max(e.ThemeKeys, 1);
        var start = new int[keys + 1];
        for (var i = 0; i < e.Count; i++)
            if (e.Theme[i] >= 0) start[e.Theme[i] + 1]++;
        for (var k = 0; k < keys; k++) start[k + 1] += start[k];
        var members = new int[start[keys]];
        var next = start[..keys];
        for (var i = 0; i < e.Count; i++)
            if (e.Theme[i] is var key and >= 0) members[next[key]++] = i;
        var index = new ThemeIndex { _evidence = e, _start = start, _members = members };

        // Stored themes first: their names are taken, category themes on the same touchpoint name around them.
        var taken = new Dictionary<int, HashSet<string>>();
        foreach (var stored in e.StoredThemes)
            Taken(stored.Touchpoint).Add(Normalize(stored.Name));
        var namePhrases = NamePhrases(e);
        var counts = new Dictionary<int, int>();
        var words = new Lazy<int[]>(() => e.Phrases.Select(p => p.Count(c => c == ' ')).ToArray());
        for (var key = 0; key < keys; key++)
        {
            if (start[key + 1] == start[key]) continue;
            var stored = e.StoredThemeOf(key);
            if (stored is not null)
            {
                index._names[key] = (stored.Name, stored.Phrases, namePhrases.GetValueOrDefault(stored.Name, -1));
                continue;
            }
            counts.Clear();
            foreach (var i in members.AsSpan(start[key], start[key + 1] - start[key]))
                foreach (var phrase in (ReadOnlySpan<int>)[e.Phrase1[i], e.Phrase2[i], e.Phrase3[i]])
                    if (phrase >= 0) counts[phrase] = counts.GetValueOrDefault(phrase) + 1;
            index._names[key] = Name(counts, e.Phrases, words.Value, (sbyte)(key % Slots), Taken(key / Slots));
        }
        return index;

        HashSet<string> Taken(int touchpoint) => taken.TryGetValue(touchpoint, out var set) ? set : taken[touchpoint] = [];
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
    public int MemberCount(int key) => key + 1 < _start.Length ? _start[key + 1] - _start[key] : 0;

    /// <summary>The theme's first <see cref="CandidateLimit"/> items in quote order, best first (computed once per snapshot and theme).</summary>
    public IReadOnlyList<int> CandidatesOf(int key) => MemberCount(key) == 0 ? []
        : _candidates.GetOrAdd(key, k => QuoteOrder(_evidence, _members.AsSpan(_start[k], MemberCount(k)), NameOf(k).NamePhrase, CandidateLimit));

    /// <summary>Selects every theme's quote candidates now (a snapshot's refresh does, before requests read it).</summary>
    public void PrepareCandidates()
    {
        for (var key = 0; key + 1 < _start.Length; key++) CandidatesOf(key);
    }

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
    /// A category theme's name: its most frequent key phrase shared by two items or more and not already a name on the
    /// touchpoint; otherwise a plain description of the category ("Other delivery and shipping issues").
    /// </summary>
    internal static (string Name, IReadOnlyList<string> Phrases, int NamePhrase) Name(Dictionary<int, int> counts, string[] phrases, int[] words,
        sbyte category, HashSet<string> taken)
    {
        // Most frequent first, longer phrases winning ties, then by text. Only the head is ranked: a name is almost
        // always among the first few, and the whole ranking is made only when they are all taken.
        Comparison<KeyValuePair<int, int>> rank = (a, b) =>
        {
            var c = b.Value.CompareTo(a.Value);
            if (c == 0) c = words[b.Key].CompareTo(words[a.Key]);
            return c != 0 ? c : string.CompareOrdinal(phrases[a.Key], phrases[b.Key]);
        };
        var entries = counts.ToArray();
        var head = Best<KeyValuePair<int, int>>(entries, rank, taken.Count + 8);
        var top = head.Take(3).Select(p => phrases[p.Key]).ToList();
        foreach (var (phrase, count) in Ranked())
        {
            if (count < 2) break;
            var name = phrases[phrase];
            if (IsCategoryName(name) || !taken.Add(Normalize(name))) continue;
            return (name, top, phrase);
        }
        var fallback = CategoryName(category);
        for (var n = 2; !taken.Add(Normalize(fallback)); n++) fallback = $"{CategoryName(category)} ({n})";
        return (fallback, top, -1);

        IEnumerable<KeyValuePair<int, int>> Ranked()
        {
            foreach (var entry in head) yield return entry;
            if (head.Length == entries.Length || head[^1].Value < 2) yield break;
            foreach (var entry in Best<KeyValuePair<int, int>>(entries, rank, entries.Length).AsSpan(head.Length).ToArray()) yield return entry;
        }
    }

    // "account-login-verification" → "Other account, login and verification issues".
    private static string CategoryName(sbyte category)
    {
        if (category < 0 || category >= PainPointTaxonomy.All.Count) return "Other issues";
        var words = PainPointTaxonomy.All[category].Name.Split('-');
        var listed = words.Length == 1 ? words[0] : $"{string.Join(", ", words[..^1])} and {words[^1]}";
        return $"Other {listed} issues";
    }

    private static bool IsCategoryName(string phrase) =>
        PainPointTaxonomy.All.Any(c => string.Equals(Normalize(c.Name), Normalize(phrase), StringComparison.Ordinal));

    private static string Normalize(string name) =>
        string.Join(' ', name.ToLowerInvariant().Split([' ', '-', '_', ',', '.', '!', '?', ':', ';'], StringSplitOptions.RemoveEmptyEntries));
}
