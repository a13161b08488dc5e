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

    /// <summary>How many quote candidates of a theme a request may walk (in quote order); the rest are never looked at.</summary>
    public const int CandidateLimit = 2000;

    private readonly Dictionary<int, (string Name, IReadOnlyList<string> Phrases, int NamePhrase)> _names = [];
    private readonly Dictionary<int, List<int>> _members = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int[]> _candidates = new();
    private MapEvidence _evidence = null!;

    /// <summary>One pass over the items: each theme's members and its name. Quote candidates are ordered on first use.</summary>
    public static ThemeIndex Build(MapEvidence e)
    {
        var index = new ThemeIndex { _evidence = e };
        var phraseCounts = new Dictionary<int, Dictionary<int, int>>();
        for (var i = 0; i < e.Count; i++)
        {
            var key = e.Theme[i];
            if (key < 0) continue;
            if (!index._members.TryGetValue(key, out var list))
            {
                index._members[key] = list = [];
                phraseCounts[key] = [];
            }
            list.Add(i);
            var counts = phraseCounts[key];
            foreach (var phrase in (ReadOnlySpan<int>)[e.Phrase1[i], e.Phrase2[i], e.Phrase3[i]])
                if (phrase >= 0) counts[phrase] = counts.GetValueOrDefault(phrase) + 1;
        }

        // Stored themes first: their names are taken, category themes on the same touchpoint name around them.
        var taken = new Dictionary<int, HashSet<string>>();
        foreach (var stored in e.StoredThemes)
            Taken(stored.Touchpoint).Add(Normalize(stored.Name));
        foreach (var key in index._members.Keys.Order())
        {
            var stored = e.StoredThemeOf(key);
            index._names[key] = stored is not null
                ? (stored.Name, stored.Phrases, NamePhrase(e, stored.Name))
                : Name(phraseCounts[key], e.Phrases, (sbyte)(key % Slots), Taken(key / Slots));
        }
        return index;

        HashSet<string> Taken(int touchpoint) => taken.TryGetValue(touchpoint, out var set) ? set : taken[touchpoint] = [];
    }

    private static int NamePhrase(MapEvidence e, string name) => Array.FindIndex(e.Phrases, p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Items in quote order: carrying the name phrase first, then the most negative, then the newest.</summary>
    public static IEnumerable<int> QuoteOrder(MapEvidence e, IEnumerable<int> items, int namePhrase)
    {
        var ordered = items.ToArray();
        Array.Sort(ordered, QuoteComparison(e, namePhrase));
        return ordered;
    }

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
    public int MemberCount(int key) => _members.TryGetValue(key, out var members) ? members.Count : 0;

    /// <summary>
    /// The theme's first <see cref="CandidateLimit"/> items in quote order, best first: selected in one pass over its
    /// members with a bounded heap (a big theme is never sorted whole), computed once per snapshot and theme.
    /// </summary>
    public IReadOnlyList<int> CandidatesOf(int key) => _members.TryGetValue(key, out var members)
        ? _candidates.GetOrAdd(key, _ => Best(members, QuoteComparison(_evidence, NameOf(key).NamePhrase), CandidateLimit))
        : [];

    private static int[] Best(List<int> members, Comparison<int> order, int limit)
    {
        if (members.Count <= limit)
        {
            var all = members.ToArray();
            Array.Sort(all, order);
            return all;
        }
        // The heap's top is the worst of the best kept so far.
        var heap = new PriorityQueue<int, int>(limit + 1, Comparer<int>.Create((a, b) => order(b, a)));
        foreach (var i in members)
        {
            if (heap.Count < limit) heap.Enqueue(i, i);
            else if (order(i, heap.Peek()) < 0) heap.EnqueueDequeue(i, i);
        }
        var best = new int[heap.Count];
        for (var k = best.Length - 1; k >= 0; k--) best[k] = heap.Dequeue();
        return best;
    }

    /// <summary>
    /// A category theme's name: its most frequent key phrase shared by two items or more and not already a name on the
    /// touchpoint; otherwise a plain description of the category ("Other delivery and shipping issues").
    /// </summary>
    internal static (string Name, IReadOnlyList<string> Phrases, int NamePhrase) Name(Dictionary<int, int> counts, string[] phrases, sbyte category,
        HashSet<string> taken)
    {
        var ranked = counts.OrderByDescending(p => p.Value).ThenByDescending(p => phrases[p.Key].Count(c => c == ' '))
            .ThenBy(p => phrases[p.Key], StringComparer.Ordinal).ToList();
        var top = ranked.Take(3).Select(p => phrases[p.Key]).ToList();
        foreach (var (phrase, count) in ranked)
        {
            if (count < 2) break;
            var name = phrases[phrase];
            if (IsCategoryName(name) || !taken.Add(Normalize(name))) continue;
            return (name, top, phrase);
        }
        var fallback = CategoryName(category);
        for (var n = 2; !taken.Add(Normalize(fallback)); n++) fallback = $"{CategoryName(category)} ({n})";
        return (fallback, top, -1);
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
