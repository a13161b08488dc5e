namespace JourneyFeedback.Analysis.KeyPhrases;

/// <summary>
/// Extracts short key phrases (English) such as "card not arrived" or "payment declined" so
/// themes can be named later. Rule: lower-case words are split into runs at punctuation and at
/// function words; auxiliaries ("has", "was", "still") are dropped without ending a run; negated
/// auxiliaries ("hasn't", "didn't") become "not". Runs of 2–4 words are phrases (longer runs give
/// their 3-word windows); single content words of 4+ letters fill up the remaining slots.
/// </summary>
public static class KeyPhraseExtractor
{
    public const int DefaultMaxPhrases = 5;

    private static readonly HashSet<string> Breakers = new(
        ("a an the and or but if then so because as of at by for with about to from in on into over after before since until up down out off " +
         "i me my mine we our us you your yours he him his she her it its they them their this that these those there here " +
         "what which who whom when where why how all any both each few more most other some such only own same than too very " +
         "can will would should could may might must shall im ive id youre thats theres ill weve theyre " +
         "please thanks thank hi hello hey dear team sir madam regards get got also one like much many every way lot well now today " +
         "yesterday tomorrow really ok okay yes just even ever etc am pm via per let lets make made go going want wanted need needed " +
         "know think say said tell told ask asked use used try tried time times day days week weeks month months year years")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static readonly HashSet<string> Skipped = new(
        "is are was were be been being has have had do does did still yet already again keeps kept".Split(' '), StringComparer.Ordinal);

    private static readonly HashSet<string> Negations = new(
        ("not no never nothing nobody " +
         "isnt arent wasnt werent hasnt havent hadnt dont doesnt didnt cant cannot couldnt wont wouldnt shouldnt")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    public static IReadOnlyList<string> Extract(string text, int maxPhrases = DefaultMaxPhrases)
    {
        var phrases = new List<string>();
        var singles = new List<string>();
        var run = new List<string>();

        void EndRun()
        {
            // A run should not end in a dangling negation ("payment not").
            while (run.Count > 0 && run[^1] == "not")
            {
                run.RemoveAt(run.Count - 1);
            }
            if (run.Count >= 2 && run.Count <= 4)
            {
                AddDistinct(phrases, string.Join(' ', run));
            }
            else if (run.Count > 4)
            {
                for (int i = 0; i + 3 <= run.Count; i++)
                {
                    AddDistinct(phrases, string.Join(' ', run.GetRange(i, 3)));
                }
            }
            foreach (var word in run)
            {
                if (word.Length >= 4 && word != "not")
                {
                    AddDistinct(singles, word);
                }
            }
            run.Clear();
        }

        foreach (var (word, endsClause) in Words(text))
        {
            if (Negations.Contains(word))
            {
                if (run.Count > 0 && run[^1] != "not")
                {
                    run.Add("not");
                }
                else if (run.Count == 0)
                {
                    run.Add("not");
                }
            }
            else if (Skipped.Contains(word))
            {
                // Dropped without ending the run: "card has not arrived" → "card not arrived".
            }
            else if (Breakers.Contains(word) || word.Length < 2)
            {
                EndRun();
            }
            else
            {
                run.Add(word);
            }
            if (endsClause)
            {
                EndRun();
            }
        }
        EndRun();

        // Phrases first; single words only when there is room left.
        var result = phrases.Take(maxPhrases).ToList();
        foreach (var single in singles)
        {
            if (result.Count >= maxPhrases)
            {
                break;
            }
            if (!result.Any(p => p.Split(' ').Contains(single)))
            {
                result.Add(single);
            }
        }
        return result;
    }

    private static void AddDistinct(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }

    /// <summary>Lower-case words with apostrophes removed; flags a word followed by punctuation that ends a clause.</summary>
    private static IEnumerable<(string Word, bool EndsClause)> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }
            if (i >= text.Length)
            {
                yield break;
            }
            var word = new System.Text.StringBuilder();
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || ((text[i] == '\'' || text[i] == '\u2019') && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                if (char.IsLetterOrDigit(text[i]))
                {
                    word.Append(char.ToLowerInvariant(text[i]));
                }
                i++;
            }
            bool endsClause = false;
            int j = i;
            while (j < text.Length && !char.IsLetterOrDigit(text[j]))
            {
                if (text[j] is not (' ' or '\'' or '"' or '\u2019'))
                {
                    endsClause = true;
                }
                j++;
            }
            yield return (word.ToString(), endsClause);
        }
    }
}
