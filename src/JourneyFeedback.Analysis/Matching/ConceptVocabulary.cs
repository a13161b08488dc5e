namespace JourneyFeedback.Analysis.Matching;

/// <summary>
/// A customer-experience vocabulary (cx-vocabulary.tsv, 70 concepts written for this project): the words customers use
/// for channels and journey steps in any domain ("rang", "on hold" → phone; "turned up", "parcel" → delivery). A text
/// and a touchpoint that mention the same concept in different words meet on a shared concept feature, which is how
/// "the box turned up two days late" reaches a touchpoint whose author wrote "Courier delivery and tracking".
/// </summary>
public static class ConceptVocabulary
{
    private static readonly Dictionary<string, List<(string[] Stems, string Concept)>> ByFirstStem = Load();

    /// <summary>The concepts a text mentions, once per mention.</summary>
    public static List<string> Concepts(string? text)
    {
        var concepts = new List<string>();
        var stems = MatchText.Words(text).Select(MatchText.Stem).ToList();
        for (var i = 0; i < stems.Count; i++)
        {
            if (!ByFirstStem.TryGetValue(stems[i], out var candidates)) continue;
            // Longest term first, so "on hold" counts once and not also as "hold".
            foreach (var (termStems, concept) in candidates)
            {
                if (i + termStems.Length > stems.Count) continue;
                var matches = true;
                for (var k = 1; k < termStems.Length && matches; k++) matches = stems[i + k] == termStems[k];
                if (!matches) continue;
                if (!concepts.Contains(concept) || termStems.Length == 1) concepts.Add(concept);
                i += termStems.Length - 1;
                break;
            }
        }
        return concepts;
    }

    private static Dictionary<string, List<(string[], string)>> Load()
    {
        using var stream = typeof(ConceptVocabulary).Assembly.GetManifestResourceStream("JourneyFeedback.Analysis.Matching.cx-vocabulary.tsv")
            ?? throw new InvalidOperationException("The CX vocabulary resource is missing.");
        using var reader = new StreamReader(stream);
        var index = new Dictionary<string, List<(string[], string)>>(StringComparer.Ordinal);
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length != 2) continue;
            foreach (var term in parts[1].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var stems = MatchText.Words(term).Select(MatchText.Stem).ToArray();
                if (stems.Length == 0) continue;
                if (!index.TryGetValue(stems[0], out var list)) index[stems[0]] = list = [];
                if (!list.Any(t => t.Item1.SequenceEqual(stems) && t.Item2 == parts[0])) list.Add((stems, parts[0]));
            }
        }
        foreach (var list in index.Values) list.Sort((a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
        return index;
    }
}
