using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace JourneyFeedback.Trainer.LanguageProbe;

/// <summary>
/// One featurization variant: word n-grams 1..WordMax and character n-grams CharMin..CharMax over the lower-cased text,
/// diacritics kept or folded, n-grams looked up in a vocabulary of the training texts or hashed into fixed buckets.
/// </summary>
internal sealed record FeatureRecipe(string Name, bool FoldDiacritics, int WordMax, int CharMin, int CharMax, bool Hashing)
{
    public static readonly FeatureRecipe Baseline = new("w1-2 c2-5 dict", false, 2, 2, 5, false);
}

/// <summary>
/// TF-IDF over a recipe's n-grams, fitted on training texts: sublinear term frequency times smoothed IDF
/// (ln((1+N)/(1+df))+1), the word block and the character block each L2-normalised, then concatenated.
/// </summary>
internal sealed class FeatureSpace
{
    private const int HashBits = 18;
    private readonly FeatureRecipe _recipe;
    private readonly Dictionary<string, int>? _vocabulary;
    private readonly float[] _idf;
    private readonly int _wordDimension;

    public int Dimension { get; }

    public FeatureSpace(FeatureRecipe recipe, IEnumerable<string> trainingTexts)
    {
        _recipe = recipe;
        var documentFrequency = new Dictionary<int, int>();
        int documents = 0;
        if (recipe.Hashing)
        {
            _wordDimension = 1 << HashBits;
            Dimension = 2 << HashBits;
        }
        else
        {
            // Word n-grams first so the word block is one index range; unseen n-grams are dropped at featurization.
            _vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            var texts = trainingTexts.ToList();
            foreach (var text in texts)
            {
                foreach (var gram in WordGrams(Normalize(text)))
                {
                    _vocabulary.TryAdd(gram, _vocabulary.Count);
                }
            }
            _wordDimension = _vocabulary.Count;
            foreach (var text in texts)
            {
                foreach (var gram in CharGrams(Normalize(text)))
                {
                    _vocabulary.TryAdd(gram, _vocabulary.Count);
                }
            }
            Dimension = _vocabulary.Count;
            trainingTexts = texts;
        }
        foreach (var text in trainingTexts)
        {
            documents++;
            foreach (var index in Indices(text).Distinct())
            {
                documentFrequency[index] = documentFrequency.GetValueOrDefault(index) + 1;
            }
        }
        _idf = new float[Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            _idf[i] = (float)(Math.Log((1.0 + documents) / (1.0 + documentFrequency.GetValueOrDefault(i))) + 1);
        }
    }

    public VBuffer<float> Featurize(string text)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var index in Indices(text))
        {
            counts[index] = counts.GetValueOrDefault(index) + 1;
        }
        var indices = counts.Keys.ToArray();
        var values = counts.Select(kv => (1f + MathF.Log(kv.Value)) * _idf[kv.Key]).ToArray();
        int firstChar = Array.FindIndex(indices, i => i >= _wordDimension);
        if (firstChar < 0)
        {
            firstChar = indices.Length;
        }
        NormalizeL2(values, 0, firstChar);
        NormalizeL2(values, firstChar, values.Length);
        return new VBuffer<float>(Dimension, indices.Length, values, indices);
    }

    private IEnumerable<int> Indices(string text)
    {
        var normalized = Normalize(text);
        if (_vocabulary is not null)
        {
            foreach (var gram in WordGrams(normalized).Concat(CharGrams(normalized)))
            {
                if (_vocabulary.TryGetValue(gram, out var index))
                {
                    yield return index;
                }
            }
            yield break;
        }
        int mask = (1 << HashBits) - 1;
        foreach (var gram in WordGrams(normalized))
        {
            yield return (int)(Hash(gram) & mask);
        }
        foreach (var gram in CharGrams(normalized))
        {
            yield return _wordDimension + (int)(Hash(gram) & mask);
        }
    }

    private IEnumerable<string> WordGrams(string normalized)
    {
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int n = 1; n <= _recipe.WordMax; n++)
        {
            for (int i = 0; i + n <= words.Length; i++)
            {
                yield return "w" + string.Join(' ', words, i, n);
            }
        }
    }

    private IEnumerable<string> CharGrams(string normalized)
    {
        for (int n = _recipe.CharMin; n <= _recipe.CharMax; n++)
        {
            for (int i = 0; i + n <= normalized.Length; i++)
            {
                yield return string.Concat("c", normalized.AsSpan(i, n));
            }
        }
    }

    /// <summary>
    /// Lower-cases, maps digits to 0, keeps ! and ? as tokens, pads with spaces (as the product's featurizer does). Romanian
    /// ş/ţ with cedilla become ș/ț with comma in both variants (the same letter, typed two ways); folding drops every
    /// combining mark and maps ł to l.
    /// </summary>
    public string Normalize(string text)
    {
        var lowered = text.ToLower(CultureInfo.InvariantCulture).Replace('ş', 'ș').Replace('ţ', 'ț');
        if (_recipe.FoldDiacritics)
        {
            var decomposed = lowered.Normalize(NormalizationForm.FormD);
            var kept = new StringBuilder(decomposed.Length);
            foreach (char c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                {
                    kept.Append(c == 'ł' ? 'l' : c);
                }
            }
            lowered = kept.ToString();
        }
        else
        {
            lowered = lowered.Normalize(NormalizationForm.FormC);
        }
        var buffer = new StringBuilder(lowered.Length + 8).Append(' ');
        for (int i = 0; i < lowered.Length; i++)
        {
            char c = lowered[i];
            if (char.IsLetter(c)) { buffer.Append(c); }
            else if (char.IsDigit(c)) { buffer.Append('0'); }
            else if ((c == '\'' || c == '\u2019') && buffer[^1] != ' ' && i + 1 < lowered.Length && char.IsLetter(lowered[i + 1])) { }
            else if (c == '!' || c == '?')
            {
                if (buffer[^1] != ' ') { buffer.Append(' '); }
                buffer.Append(c).Append(' ');
            }
            else if (buffer[^1] != ' ') { buffer.Append(' '); }
        }
        if (buffer[^1] != ' ') { buffer.Append(' '); }
        return buffer.ToString();
    }

    private static void NormalizeL2(float[] values, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++) { sum += values[i] * values[i]; }
        if (sum <= 0) { return; }
        float scale = (float)(1 / Math.Sqrt(sum));
        for (int i = from; i < to; i++) { values[i] *= scale; }
    }

    private static uint Hash(string gram)
    {
        uint h = 2166136261;
        foreach (char c in gram) { h = (h ^ c) * 16777619; }
        h ^= h >> 16; h *= 0x85EBCA6B; h ^= h >> 13; h *= 0xC2B2AE35; h ^= h >> 16;
        return h;
    }
}
