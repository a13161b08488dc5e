namespace JourneyFeedback.Analysis.KeyPhrases;

/// <summary>
/// Extracts short key phrases such as "card not arrived" or "payment declined" so themes can be named later, in the
/// text's language: English, Polish, Italian or Romanian word lists (other languages use the English ones). Rule:
/// lower-case words (diacritics kept: "dotarła" is not "dotarla") are split into runs at punctuation and at function
/// words; auxiliaries ("has", "was", "still"; "jest", "è", "este") are dropped without ending a run; negations become
/// the language's negation word ("not", "nie", "non", "nu"). Runs of 2–4 words are phrases (longer runs give their
/// 3-word windows); single content words of 4+ letters fill up the remaining slots.
/// </summary>
public static class KeyPhraseExtractor
{
    public const int DefaultMaxPhrases = 5;

    /// <summary>One language's function words, dropped auxiliaries, negations and the word a negation becomes.</summary>
    private sealed record Vocabulary(HashSet<string> Breakers, HashSet<string> Skipped, HashSet<string> Negations, string Not)
    {
        public static Vocabulary Of(string breakers, string skipped, string negations, string not) =>
            new(Set(breakers), Set(skipped), Set(negations), not);

        private static HashSet<string> Set(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
    }

    private static readonly Vocabulary English = Vocabulary.Of(
        "a an the and or but if then so because as of at by for with about to from in on into over after before since until up down out off " +
         "i me my mine we our us you your yours he him his she her it its they them their this that these those there here " +
         "what which who whom when where why how all any both each few more most other some such only own same than too very " +
         "can will would should could may might must shall im ive id youre thats theres ill weve theyre " +
         "please thanks thank hi hello hey dear team sir madam regards get got also one like much many every way lot well now today " +
         "yesterday tomorrow really ok okay yes just even ever etc am pm via per let lets make made go going want wanted need needed " +
         "know think say said tell told ask asked use used try tried time times day days week weeks month months year years",
        "is are was were be been being has have had do does did still yet already again keeps kept",
        "not no never nothing nobody isnt arent wasnt werent hasnt havent hadnt dont doesnt didnt cant cannot couldnt wont wouldnt shouldnt",
        "not");

    // Function words of customer texts in each language: conjunctions, prepositions, pronouns, articles, greetings and
    // politeness, time words; auxiliaries and "still/again" are dropped inside a phrase; negations keep their word.
    private static readonly Vocabulary Polish = Vocabulary.Of(
        "a i oraz lub albo ale lecz bo że żeby aby jeśli jeżeli gdy kiedy jak czy to ten ta te tego tej tym tych ci co który która które których " +
        "w we z ze na do od o u po za przed przez pod nad dla bez przy między ku " +
        "ja ty on ona ono my wy oni one mnie mi mną ciebie cię tobie ci go mu jego jej ich im nas nam was wam się sobie siebie mój moja moje moi " +
        "mojego mojej twój twoja wasz nasz nasza swój swoja swoje " +
        "tak bardzo tylko też także nawet jeszcze już teraz dziś dzisiaj wczoraj jutro zawsze często czasem tu tam gdzie dlaczego " +
        "proszę dziękuję dzięki dzień dobry witam pozdrawiam pani pan państwo szanowni szanowny " +
        "dni dzień tydzień tygodnie tygodni miesiąc miesiące miesięcy rok lata razy raz",
        "jest są był była było były byli być będzie będą został została zostało mam ma mają miał miała miałem miałam wciąż nadal znowu ponownie",
        "nie nigdy nic nikt żaden żadna żadne brak", "nie");
    private static readonly Vocabulary Italian = Vocabulary.Of(
        "il lo la i gli le l un una uno un' e ed o oppure ma però perché che se quando come dove cui chi questo questa questi queste quel quella " +
        "di da in con su per tra fra a al allo alla ai agli alle del dello della dei degli delle dal dalla dai nel nello nella nei nelle sul sulla sui " +
        "io tu lui lei noi voi loro mi ti ci vi si me te lo gli ne mio mia miei mie tuo tua suo sua nostro nostra vostro " +
        "molto tanto troppo poco solo anche già ora adesso oggi ieri domani sempre spesso qui qua lì là " +
        "buongiorno buonasera salve ciao grazie gentile gentili cordiali saluti prego signore signora " +
        "giorno giorni settimana settimane mese mesi anno anni volta volte",
        "è sono era erano sia essere stato stata stati state ho hai ha abbiamo avete hanno avevo aveva avuto ancora",
        "non mai niente nulla nessuno nessuna né", "non");
    private static readonly Vocabulary Romanian = Vocabulary.Of(
        "și si sau ori dar însă iar că ca să sa dacă daca când cand cum unde de ce care cine acest această acesta aceasta aceste acești acel acea " +
        "în in la de pe cu din spre pentru fără fara prin sub peste după dupa până pana între intre lângă al ale " +
        "eu tu el ea noi voi ei ele mă ma te se ne vă va îmi imi îți iti își isi le lui îi ii meu mea mei mele tău ta său sa nostru noastră " +
        "un o unui unei niște nici foarte mult doar tot deja acum azi astăzi ieri mâine mereu des aici acolo " +
        "bună buna ziua salut mulțumesc multumesc mersi vă rog va rog stimate stimată domnule doamnă " +
        "zi zile săptămână săptămâni lună luni an ani dată dăți ori",
        "este e sunt era erau fost fi a am ai are avem aveți au aveam avea încă inca",
        "nu niciodată niciodata nimic nimeni niciun nicio", "nu");

    /// <summary>Whether a word of a key phrase is a negation: phrases carry only the languages' own negation words.</summary>
    public static bool IsNegation(string word) => word == English.Not || word == Polish.Not || word == Italian.Not || word == Romanian.Not;

    private static Vocabulary For(string? language) => language switch
    {
        "pl" => Polish,
        "it" => Italian,
        "ro" => Romanian,
        _ => English,
    };

    /// <summary>Key phrases of <paramref name="text"/>, with the word lists of <paramref name="language"/> (ISO 639-1; null: English).</summary>
    public static IReadOnlyList<string> Extract(string text, int maxPhrases = DefaultMaxPhrases, string? language = null)
    {
        var vocabulary = For(language);
        var not = vocabulary.Not;
        var phrases = new List<string>();
        var singles = new List<string>();
        var run = new List<string>();

        void EndRun()
        {
            // A run should not end in a dangling negation ("payment not").
            while (run.Count > 0 && run[^1] == not)
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
                if (word.Length >= 4 && word != not)
                {
                    AddDistinct(singles, word);
                }
            }
            run.Clear();
        }

        foreach (var (word, endsClause) in Words(text))
        {
            if (vocabulary.Negations.Contains(word))
            {
                if (run.Count == 0 || run[^1] != not)
                {
                    run.Add(not);
                }
            }
            else if (vocabulary.Skipped.Contains(word))
            {
                // Dropped without ending the run: "card has not arrived" → "card not arrived".
            }
            else if (vocabulary.Breakers.Contains(word) || word.Length < 2)
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
