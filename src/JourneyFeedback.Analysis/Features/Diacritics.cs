using System.Globalization;
using System.Text;

namespace JourneyFeedback.Analysis.Features;

/// <summary>
/// Diacritic folding for the Polish, Italian and Romanian featurizer. Customers type the same word with and without
/// diacritics ("zły"/"zly", "perché"/"perche", "înțeles"/"inteles"), and the shared data sets are inconsistent about them
/// too (docs/language-probe.md: folding helped emotions and RED-ro), yet a word like "żal" (regret) vs "zal" is not one
/// word to a reader — so the featurizer keeps the written form and adds the folded one beside it.
/// </summary>
internal static class Diacritics
{
    // Latin-1 Supplement, Latin Extended-A and the Romanian comma letters: everything these languages write.
    private const char First = '\u00C0';
    private const char Last = '\u021B';
    private static readonly char[] Folded = BuildTable();

    /// <summary>Romanian's legacy cedilla letters (ş ţ, still common from old keyboards) as the correct comma-below ones.</summary>
    public static char CommaBelow(char c) => c switch
    {
        '\u015F' => '\u0219',
        '\u0163' => '\u021B',
        _ => c,
    };

    /// <summary>Writes the folded token into <paramref name="folded"/> (same length); true when any letter changed.</summary>
    public static bool Fold(ReadOnlySpan<char> token, Span<char> folded)
    {
        bool changed = false;
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            char f = c >= First && c <= Last ? Folded[c - First] : c;
            changed |= f != c;
            folded[i] = f;
        }
        return changed;
    }

    /// <summary>Folds a whole string (what the featurizer does per word; tests read it).</summary>
    public static string Fold(string text) => string.Create(text.Length, text, (folded, source) => Fold(source, folded));

    private static char[] BuildTable()
    {
        var table = new char[Last - First + 1];
        for (char c = First; c <= Last; c++)
        {
            // Letters that decompose (ą = a + ogonek) fold to their base; ł, đ, ø do not decompose and are mapped by hand.
            string decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            char folded = decomposed.Length > 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark
                ? decomposed[0]
                : c switch { '\u0142' => 'l', '\u0141' => 'L', '\u0111' => 'd', '\u0110' => 'D', '\u00F8' => 'o', '\u00D8' => 'O', _ => c };
            table[c - First] = folded;
        }
        return table;
    }
}
