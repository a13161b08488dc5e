using System.Globalization;
using System.Text;

namespace JourneyFeedback.Analysis.Matching;

/// <summary>
/// Text normalisation for touchpoint matching: lower case, accents folded, stop words dropped, a light English
/// stemmer so "delivered", "delivery" and "delivering" meet. Language-neutral enough for names and keywords.
/// </summary>
public static class MatchText
{
    private static readonly HashSet<string> StopWords = new(
        ("a an the and or but if then so because as of at by for with about to from in on into over after before since until up down out off " +
         "i me my mine we our us you your yours he him his she her it its they them their this that these those there here " +
         "is are was were be been being has have had do does did will would should could can may might must shall " +
         "what which who whom when where why how all any both each few more most other some such only own same than too very just " +
         "im ive id youre thats dont didnt doesnt isnt wasnt cant couldnt wont not no nor yes ok okay please thanks thank " +
         "get got also one like much many every even still again already now then really").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    /// <summary>Lower-cased, accent-free words (apostrophes removed, so "didn't" is one word).</summary>
    public static List<string> Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text)) return words;
        var folded = Fold(text);
        var current = new StringBuilder();
        foreach (var ch in folded)
        {
            if (char.IsLetterOrDigit(ch)) current.Append(ch);
            else if (ch is '\'' or '’') continue;
            else Flush();
        }
        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0) words.Add(current.ToString());
            current.Clear();
        }
    }

    /// <summary>Content-word stems in order: stop words dropped.</summary>
    public static List<string> Stems(string? text)
    {
        var stems = new List<string>();
        foreach (var word in Words(text))
        {
            if (StopWords.Contains(word)) continue;
            stems.Add(Stem(word));
        }
        return stems;
    }

    /// <summary>A whole value (a channel, a source) as one comparable key: "E-mail" → "email", "Live Chat" → "livechat".</summary>
    public static string Key(string? value) => string.Concat(Words(value));

    /// <summary>
    /// Strips common English inflections: plurals, -ing, -ed, -ly, a final -e or -y, so that related forms share a stem.
    /// Deliberately crude: it only has to make the same word family collide, not produce real roots.
    /// </summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1])) return word;
        var w = word;
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) w = w[..^3] + "y";
        else if (w.EndsWith("sses", StringComparison.Ordinal)) w = w[..^2];
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal)
                 && !w.EndsWith("is", StringComparison.Ordinal)) w = w[..^1];

        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length >= 6) w = Undouble(w[..^3]);
        else if (w.EndsWith("ied", StringComparison.Ordinal) && w.Length >= 5) w = w[..^3] + "y";
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length >= 5) w = Undouble(w[..^2]);
        else if (w.EndsWith("ly", StringComparison.Ordinal) && w.Length >= 6) w = w[..^2];

        if (w.Length >= 5 && (w[^1] == 'e' || w[^1] == 'y')) w = w[..^1];
        return w;
    }

    private static string Undouble(string w) =>
        w.Length >= 3 && w[^1] == w[^2] && w[^1] is not ('l' or 's' or 'z') && !IsVowel(w[^1]) ? w[..^1] : w;

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(ch switch { 'ł' => 'l', 'ß' => 's', 'ø' => 'o', _ => ch });
        }
        return sb.ToString();
    }
}
