using System.Text;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Semantic;

namespace JourneyFeedback.Analysis.Themes;

/// <summary>
/// Names themes with a phrase taken from their own items. Candidates are word spans (3–7 words, not starting or ending
/// on a function word) of the clauses of each theme's most central members; a cheap lexical score (words frequent in
/// the theme and rare in its siblings) keeps a few per theme, which are embedded and scored by closeness to the theme's
/// centroid, distance from the closest sibling centroid and the share of members they stand for. Themes pick in size
/// order; a name already taken on the touchpoint, or a pain-point category, is skipped.
/// </summary>
internal static class ThemeNamer
{
    internal sealed record Named(string Name, IReadOnlyList<string> Phrases);

    // Clean: 0-2, one for each end that is a natural phrase boundary (nothing but function words cut off there).
    private sealed record Candidate(string Text, string Key, int Words, int Clean);

    private const int SourcesPerTheme = 40;
    private const float RepresentsCosine = 0.5f;
    // "account" or "charge" names a topic, not a finding: a name has at least this many words whenever the theme's
    // items offer such a phrase.
    private const int MinNameWords = 3;
    private const int ShortCandidatesPerTheme = 2;

    private static readonly HashSet<string> NoStart = Set(
        "a an the and or but so then i im ive id me my mine we our us you your it its is are was were am be been being do does did " +
        "have has had can could would should will shall may might must what whats when where which who whom whose there theres " +
        "this that these those please hi hello hey just also still to of for with in on at by from about if as ok okay yes any some " +
        "really very too help thanks thank");

    private static readonly HashSet<string> NoEnd = Set(
        "a an the and or but so to of for with in on at by from about my your our their his her its i im we you is are was were am be " +
        "been being do does did have has had can could would should will shall may might must if as that this these those which who " +
        "what when where how why there any some not no very just also really too than then please thanks thank help get after before " +
        "until since into onto over under isnt hasnt doesnt didnt wont cant arent wasnt werent havent dont couldnt wouldnt many much " +
        "more getting using being going trying want need like top");

    private static readonly HashSet<string> Negations = Set(
        "not no never nothing nobody isnt arent wasnt werent hasnt havent hadnt dont doesnt didnt cant cannot couldnt wont wouldnt");

    private static readonly string[] Conjunctions = [" but ", " because ", " although ", " though ", " however ", " whereas ", " But ", " Because "];

    private static readonly HashSet<string> CategoryKeys = PainPointTaxonomy.All.Select(c => Key(c.Name.Replace('-', ' '))).ToHashSet(StringComparer.Ordinal);

    public static Named[] Name(SentenceEmbedder embedder, IReadOnlyList<ThemeItem> items, int[][] themes, float[][] centroids,
        string?[] oldNames, ThemeOptions options, CancellationToken ct)
    {
        var stems = items.Select(i => ContentStems(i.Text)).ToArray();
        var everywhere = Count(Enumerable.Range(0, items.Count), stems);

        // Lexical shortlist per theme: words frequent in the theme (recall) and mostly found there (precision).
        var shortlists = new List<Candidate>[themes.Length];
        var perTheme = Math.Max(3, Math.Min(options.CandidatesPerTheme, options.MaxCandidates / Math.Max(1, themes.Length)));
        for (var t = 0; t < themes.Length; t++)
        {
            var inTheme = Count(themes[t], stems);
            double Weight(string stem) => inTheme.TryGetValue(stem, out var c) ? c / (double)themes[t].Length * c / everywhere[stem] : 0;
            var scored = new Dictionary<string, (Candidate Candidate, double Score)>(StringComparer.Ordinal);
            foreach (var member in themes[t].Take(SourcesPerTheme))
            {
                var centrality = Embedding.Cosine(items[member].Embedding, centroids[t]);
                foreach (var (candidate, content) in Candidates(items[member].Text))
                {
                    var score = content.Distinct(StringComparer.Ordinal).Sum(Weight) / Math.Sqrt(Math.Max(1, content.Count))
                        + 0.3 * centrality + Shape(candidate);
                    if (!scored.TryGetValue(candidate.Key, out var seen) || score > seen.Score) scored[candidate.Key] = (candidate, score);
                }
            }
            // The lexical score favours short spans (one strong word), so phrases of three words or more get their own
            // places on the shortlist and a one- or two-word span only stands in when the theme has nothing longer.
            var ordered = scored.Values.OrderByDescending(s => s.Score).ThenBy(s => s.Candidate.Key, StringComparer.Ordinal)
                .Where(s => !CategoryKeys.Contains(s.Candidate.Key)).Select(s => s.Candidate).ToList();
            shortlists[t] = ordered.Where(c => c.Words >= MinNameWords).Take(perTheme)
                .Concat(ordered.Where(c => c.Words < MinNameWords).Take(ShortCandidatesPerTheme)).ToList();
        }

        // One encoder call for every shortlisted phrase and every old name.
        var texts = shortlists.SelectMany(s => s.Select(c => c.Text)).Concat(oldNames.Where(n => n is not null).Select(n => n!)).ToList();
        var vectors = embedder.Embed(texts, ct);
        var at = 0;
        var ranked = new List<(Candidate Candidate, double Score)>[themes.Length];
        for (var t = 0; t < themes.Length; t++)
            ranked[t] = shortlists[t].Select(c => (c, Score(vectors[at++], t) + Shape(c))).OrderByDescending(s => s.Item2).ThenBy(s => s.c.Key, StringComparer.Ordinal).ToList();
        var oldScores = oldNames.Select(n => n is null ? double.NegativeInfinity : 0).ToArray();
        for (var t = 0; t < themes.Length; t++)
            if (oldNames[t] is not null) oldScores[t] = Score(vectors[at++], t) + 0.2; // an old name is a whole phrase

        double Score(float[] phrase, int t)
        {
            var fit = Embedding.Cosine(phrase, centroids[t]);
            var confusion = 0f;
            for (var s = 0; s < centroids.Length; s++)
                if (s != t) confusion = Math.Max(confusion, Embedding.Cosine(phrase, centroids[s]));
            var represents = themes[t].Count(i => Embedding.Cosine(phrase, items[i].Embedding) >= RepresentsCosine) / (double)themes[t].Length;
            return fit + (fit - confusion) + 0.5 * represents;
        }

        // Readable shape: 4-6 words, cut at phrase boundaries.
        static double Shape(Candidate c) => 0.1 * c.Clean - 0.03 * Math.Abs(c.Words - 5) - (c.Words < 3 ? 0.3 : 0);

        // Largest theme first; a kept theme keeps its old name unless a clearly better one exists.
        var used = new HashSet<string>(CategoryKeys, StringComparer.Ordinal);
        var names = new string[themes.Length];
        for (var t = 0; t < themes.Length; t++)
        {
            var free = ranked[t].Where(r => !used.Contains(r.Candidate.Key)).ToList();
            var best = free.FirstOrDefault(r => r.Candidate.Words >= MinNameWords);
            if (best.Candidate is null) best = free.FirstOrDefault();
            string name;
            // A short old name (from before names had to be phrases) gives way to a phrase.
            var oldIsShort = oldNames[t] is { } o && Key(o).Split(' ').Length < MinNameWords && best.Candidate is { Words: >= MinNameWords };
            if (oldNames[t] is { } old && !oldIsShort && !used.Contains(Key(old)) && (best.Candidate is null || oldScores[t] >= best.Score - options.RenameMargin))
                name = old;
            else if (best.Candidate is not null)
                name = best.Candidate.Text;
            else
                name = Fallback(ranked[t].Select(r => r.Candidate.Text).FirstOrDefault() ?? items[themes[t][0]].Text, used);
            names[t] = name;
            used.Add(Key(name));
        }

        var result = new Named[themes.Length];
        for (var t = 0; t < themes.Length; t++)
        {
            var phrases = ranked[t].Where(r => !used.Contains(r.Candidate.Key)).Take(3).Select(r => r.Candidate.Text).ToList();
            result[t] = new Named(names[t], phrases);
        }
        return result;
    }

    /// <summary>Case, punctuation and spacing do not make two names different.</summary>
    public static string Key(string text)
    {
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) key.Append(char.ToLowerInvariant(c));
            else if (char.IsWhiteSpace(c) || c is '-' or '_' or '/') { if (key.Length > 0 && key[^1] != ' ') key.Append(' '); }
        }
        return key.ToString().TrimEnd();
    }

    public static bool IsCategoryName(string name) => CategoryKeys.Contains(Key(name));

    // Only reached when every candidate of the theme is taken: a numbered variant of its best phrase stays unique.
    private static string Fallback(string phrase, HashSet<string> used)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6);
        var stem = string.Join(' ', words);
        for (var n = 2; ; n++)
            if (!used.Contains(Key($"{stem} {n}"))) return $"{stem} ({n})";
    }

    /// <summary>Word spans of the text's clauses that read as a phrase, with their content-word stems.</summary>
    private static IEnumerable<(Candidate Candidate, List<string> Content)> Candidates(string text)
    {
        foreach (var clause in Clauses(text))
        {
            var words = clause;
            var keys = words.Select(w => Key(w).Replace(" ", "", StringComparison.Ordinal)).ToArray();
            for (var start = 0; start < words.Count; start++)
            {
                if (NoStart.Contains(keys[start]) || keys[start].Length == 0) continue;
                for (var end = start + 1; end <= Math.Min(words.Count, start + 7); end++)
                {
                    if (NoEnd.Contains(keys[end - 1])) continue;
                    var content = new List<string>();
                    for (var k = start; k < end; k++)
                        if (IsContent(keys[k])) content.Add(Stem(keys[k]));
                    if (content.Count < (end - start >= 3 ? 2 : 1)) continue;
                    var display = string.Join(' ', words.Skip(start).Take(end - start));
                    var clean = (keys.Take(start).All(NoStart.Contains) ? 1 : 0) + (keys.Skip(end).All(k => !IsContent(k)) ? 1 : 0);
                    yield return (new Candidate(display, Key(display), end - start, clean), content);
                }
            }
        }
    }

    /// <summary>Clauses as word lists; a sentence-initial capital ("My", "Why") is lowered, "ATM" or "Apple" stay.</summary>
    private static IEnumerable<List<string>> Clauses(string text)
    {
        var sentences = text.Split(['.', '?', '!', ';', ':', ',', '(', ')', '[', ']', '"', '\n', '\r', '\u2026'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in sentences.SelectMany(s => s.Split(Conjunctions, StringSplitOptions.RemoveEmptyEntries)))
        {
            var words = new List<string>();
            foreach (var raw in part.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var word = raw.Trim('\'', '\u2019', '*', '-', '~', '`', '/', '\\', '|', '<', '>', '=', '+', '&', '#', '@', '^', '_', '{', '}');
                if (word.Length == 0 || !word.Any(char.IsLetterOrDigit)) continue;
                if (words.Count == 0 && word.Length > 1 && char.IsUpper(word[0]) && word.Skip(1).All(c => !char.IsUpper(c)) && word != "I")
                    word = char.ToLowerInvariant(word[0]) + word[1..];
                words.Add(word);
            }
            if (words.Count > 0) yield return words;
        }
    }

    private static bool IsContent(string key) => key.Length > 1 && !NoStart.Contains(key) && !NoEnd.Contains(key) && !Negations.Contains(key);

    private static string Stem(string key) => key.Length > 3 && key[^1] == 's' && key[^2] != 's' ? key[..^1] : key;

    private static HashSet<string> ContentStems(string text)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clause in Clauses(text))
            foreach (var word in clause)
            {
                var key = Key(word).Replace(" ", "", StringComparison.Ordinal);
                if (IsContent(key)) stems.Add(Stem(key));
            }
        return stems;
    }

    private static Dictionary<string, int> Count(IEnumerable<int> members, HashSet<string>[] stems)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in members)
            foreach (var stem in stems[i])
                counts[stem] = counts.GetValueOrDefault(stem) + 1;
        return counts;
    }

    private static HashSet<string> Set(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
