using JourneyFeedback.Analysis.PainPoints;
using Microsoft.ML.Data;

namespace JourneyFeedback.Analysis.Features;

/// <summary>
/// Turns a text into one sparse, hashed feature vector shared by every model head:
/// word 1–2 grams in one block and character 3–5 grams in another, sublinear term
/// frequency, each block L2-normalised; plus one cue-word count per pain-point category (PainPointLexicon). Hand-written instead of ML.NET's FeaturizeText because
/// featurization dominates serving cost and this runs several times faster (docs/benchmarks.md).
/// </summary>
internal static class TextFeaturizer
{
    /// <summary>Changes whenever the produced vector changes; stored in every manifest and checked on load.</summary>
    public const string Version = "hashed-w12-c35-lex-v2";

    /// <summary>
    /// The Polish, Italian and Romanian models' variant: the same vector plus, for every word written with diacritics,
    /// its folded twin in the word block ("złe" also counts as "zle"), so chats typed without diacritics still hit the
    /// words learnt with them while the accented forms stay distinct features; Romanian cedilla ş/ţ read as comma ș/ț;
    /// the cue-word slots count the Polish/Italian/Romanian lexicon, matched on the folded word.
    /// </summary>
    public const string FoldingVersion = "hashed-w12-c35-fold-lex-v1";

    public static string VersionFor(bool foldDiacritics) => foldDiacritics ? FoldingVersion : Version;

    public const int WordBuckets = 1 << 17;
    public const int CharBuckets = 1 << 17;
    public static readonly int LexiconSlots = PainPointLexicon.CategoryCount;
    public const int LexiconOffset = WordBuckets + CharBuckets;
    public const int Dimension = LexiconOffset + 16;

    // Long e-mails add little signal beyond their first paragraphs but cost linear time.
    public const int MaxCharacters = 1500;

    internal const uint WordSeed = 0x9E3779B9;
    private const uint BigramSeed = 0x85EBCA6B;
    private const uint CharSeed = 0xC2B2AE35;

    public static VBuffer<float> Featurize(string text) => Featurize(text, foldDiacritics: false);

    public static VBuffer<float> Featurize(string text, bool foldDiacritics)
    {
        var normalized = Normalize(text, foldDiacritics);
        int length = normalized.Length;
        // Upper bound: one unigram, one folded unigram and one bigram per character, three char n-grams per character.
        var indices = new int[6 * length + 4];
        int count = 0;

        Span<int> cueHits = stackalloc int[16];
        Span<char> foldBuffer = !foldDiacritics ? default : length <= 1024 ? stackalloc char[length] : new char[length];

        // Word unigrams and bigrams.
        uint previousWord = 0;
        bool hasPrevious = false;
        int start = 1;
        for (int i = 1; i < length; i++)
        {
            if (normalized[i] != ' ')
            {
                continue;
            }
            if (i > start)
            {
                var token = normalized.AsSpan(start, i - start);
                uint word = Hash(token, WordSeed);
                var lexicon = PainPointLexicon.English;
                scoped ReadOnlySpan<char> cueWord = token;
                if (foldDiacritics)
                {
                    lexicon = PainPointLexicon.PolishItalianRomanian;
                    var folded = foldBuffer[..token.Length];
                    if (Diacritics.Fold(token, folded))
                    {
                        indices[count++] = (int)(Hash(folded, WordSeed) & (WordBuckets - 1));
                    }
                    cueWord = folded;
                }
                int cues = lexicon.Match(cueWord);
                for (int c = 0; cues != 0; c++, cues >>= 1)
                {
                    cueHits[c] += cues & 1;
                }
                indices[count++] = (int)(word & (WordBuckets - 1));
                if (hasPrevious)
                {
                    uint bigram = Mix(previousWord * 31 + word + BigramSeed);
                    indices[count++] = (int)(bigram & (WordBuckets - 1));
                }
                previousWord = word;
                hasPrevious = true;
            }
            start = i + 1;
        }
        int wordCount = count;

        // Character 3–5 grams over the padded text, so word boundaries are part of the grams.
        for (int i = 0; i + 3 <= length; i++)
        {
            uint h = CharSeed;
            for (int n = 0; n < 5 && i + n < length; n++)
            {
                h = (h ^ normalized[i + n]) * 16777619;
                if (n >= 2)
                {
                    indices[count++] = WordBuckets + (int)(Mix(h + (uint)n) & (CharBuckets - 1));
                }
            }
        }

        Array.Sort(indices, 0, wordCount);
        Array.Sort(indices, wordCount, count - wordCount);
        return ToVector(indices, count, wordCount, cueHits);
    }

    /// <summary>Lower-cases (Romanian cedilla letters as comma-below ones when folding), maps digits to 0, drops apostrophes inside words, keeps ! and ? as tokens and pads with spaces.</summary>
    internal static string Normalize(string text, bool foldDiacritics = false)
    {
        int length = Math.Min(text.Length, MaxCharacters);
        var buffer = new char[length * 3 + 2];
        int n = 0;
        buffer[n++] = ' ';
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (char.IsLetter(c))
            {
                char lower = char.ToLowerInvariant(c);
                buffer[n++] = foldDiacritics ? Diacritics.CommaBelow(lower) : lower;
            }
            else if (char.IsDigit(c))
            {
                buffer[n++] = '0';
            }
            else if ((c == '\'' || c == '\u2019') && n > 1 && buffer[n - 1] != ' ' && i + 1 < length && char.IsLetter(text[i + 1]))
            {
                // "don't" and "dont" become the same token.
            }
            else if (c == '!' || c == '?')
            {
                if (buffer[n - 1] != ' ')
                {
                    buffer[n++] = ' ';
                }
                buffer[n++] = c;
                buffer[n++] = ' ';
            }
            else if (buffer[n - 1] != ' ')
            {
                buffer[n++] = ' ';
            }
        }
        if (buffer[n - 1] != ' ')
        {
            buffer[n++] = ' ';
        }
        return new string(buffer, 0, n);
    }

    private static VBuffer<float> ToVector(int[] sorted, int count, int wordCount, ReadOnlySpan<int> cueHits)
    {
        var outIndices = new int[count + LexiconSlots];
        var values = new float[count + LexiconSlots];
        int unique = 0;
        int firstCharSlot = -1;
        for (int i = 0; i < count;)
        {
            int j = i;
            while (j < count && sorted[j] == sorted[i])
            {
                j++;
            }
            if (i >= wordCount && firstCharSlot < 0)
            {
                firstCharSlot = unique;
            }
            outIndices[unique] = sorted[i];
            values[unique] = 1f + MathF.Log(j - i);
            unique++;
            i = j;
        }
        if (firstCharSlot < 0)
        {
            firstCharSlot = unique;
        }
        NormalizeL2(values, 0, firstCharSlot);
        NormalizeL2(values, firstCharSlot, unique);
        // Cue counts saturate: the second and third cue word add less than the first.
        for (int c = 0; c < LexiconSlots; c++)
        {
            if (cueHits[c] > 0)
            {
                outIndices[unique] = LexiconOffset + c;
                values[unique] = 0.5f + 0.25f * (Math.Min(cueHits[c], 3) - 1);
                unique++;
            }
        }
        return new VBuffer<float>(Dimension, unique, values, outIndices);
    }

    private static void NormalizeL2(float[] values, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += values[i] * values[i];
        }
        if (sum <= 0)
        {
            return;
        }
        float scale = (float)(1 / Math.Sqrt(sum));
        for (int i = from; i < to; i++)
        {
            values[i] *= scale;
        }
    }

    internal static uint Hash(ReadOnlySpan<char> chars, uint seed)
    {
        uint h = seed ^ 2166136261;
        foreach (char c in chars)
        {
            h = (h ^ c) * 16777619;
        }
        return Mix(h);
    }

    // Murmur3 finaliser: FNV's low bits are poorly mixed and we keep only the low bits.
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
