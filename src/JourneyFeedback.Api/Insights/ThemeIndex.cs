using JourneyFeedback.Analysis.PainPoints;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// What a map's pain-point themes look like over all of its evidence, computed once per snapshot: each theme's name
/// (its most frequent key phrase, longer phrases winning ties; the category when no phrase is shared by two items)
/// and its items ordered as quote candidates (carrying the name phrase first, then most negative, then newest).
/// A request then only walks the head of that order to find quotes inside its window.
/// </summary>
internal sealed class ThemeIndex
{
    public const int Slots = 16; // pain-point categories per touchpoint (11 used)

    public static int KeyOf(int touchpoint, int category) => touchpoint * Slots + category;

    private readonly Dictionary<int, (string Name, IReadOnlyList<string> Phrases, int NamePhrase)> _names = [];
    private readonly Dictionary<int, int[]> _candidates = [];

    public static ThemeIndex Build(MapEvidence e)
    {
        var none = MapEvidence.PainPointIndex(PainPointTaxonomy.None);
        var phraseCounts = new Dictionary<int, Dictionary<int, int>>();
        var members = new Dictionary<int, List<int>>();
        for (var i = 0; i < e.Count; i++)
        {
            if (e.Touchpoint[i] < 0 || !InsightsCalculator.IsPainPoint(e, i, none)) continue;
            var key = KeyOf(e.Touchpoint[i], e.PainPoint[i]);
            if (!members.TryGetValue(key, out var list))
            {
                members[key] = list = [];
                phraseCounts[key] = [];
            }
            list.Add(i);
            var counts = phraseCounts[key];
            foreach (var phrase in (ReadOnlySpan<int>)[e.Phrase1[i], e.Phrase2[i], e.Phrase3[i]])
                if (phrase >= 0) counts[phrase] = counts.GetValueOrDefault(phrase) + 1;
        }

        var index = new ThemeIndex();
        foreach (var (key, items) in members)
        {
            var name = Name(phraseCounts[key], e.Phrases, (sbyte)(key % Slots));
            index._names[key] = name;
            var phrase = name.NamePhrase;
            index._candidates[key] = QuoteOrder(e, items, phrase).ToArray();
        }
        return index;
    }

    /// <summary>Items in quote order: carrying the name phrase first, then the most negative, then the newest.</summary>
    public static IEnumerable<int> QuoteOrder(MapEvidence e, IEnumerable<int> items, int namePhrase) => items
        .OrderByDescending(i => namePhrase >= 0 && (e.Phrase1[i] == namePhrase || e.Phrase2[i] == namePhrase || e.Phrase3[i] == namePhrase))
        .ThenByDescending(i => e.NegativeScore[i]).ThenByDescending(i => e.OccurredTicks[i]).ThenBy(i => i);

    public (string Name, IReadOnlyList<string> Phrases, int NamePhrase) NameOf(int key) =>
        _names.TryGetValue(key, out var name) ? name : (PainPointTaxonomy.All[key % Slots].Name.Replace('-', ' '), [], -1);

    /// <summary>Quote candidates of the theme, best first.</summary>
    public IReadOnlyList<int> CandidatesOf(int key) => _candidates.TryGetValue(key, out var items) ? items : [];

    internal static (string Name, IReadOnlyList<string> Phrases, int NamePhrase) Name(Dictionary<int, int> counts, string[] phrases, sbyte category)
    {
        var ranked = counts.OrderByDescending(p => p.Value).ThenByDescending(p => phrases[p.Key].Count(c => c == ' '))
            .ThenBy(p => phrases[p.Key], StringComparer.Ordinal).Take(3).ToList();
        var named = ranked.Count > 0 && ranked[0].Value >= 2;
        return (named ? phrases[ranked[0].Key] : PainPointTaxonomy.All[category].Name.Replace('-', ' '),
            ranked.Select(p => phrases[p.Key]).ToList(), named ? ranked[0].Key : -1);
    }
}
