using System.Globalization;
using System.Text;

namespace JourneyFeedback.Api.Surveys;

/// <summary>
/// Normalises free-text "How did you hear about us?" answers so "Google", " google search " and "Googled it"
/// are counted together, and matches them to the survey's options.
/// </summary>
internal static class AttributionText
{
    private static readonly string[] FillerWords = ["a", "an", "the", "from", "via", "on", "through", "my", "by", "in", "at", "it", "saw", "heard", "found", "you", "your", "ad", "ads", "advert", "advertisement", "post", "posts"];

    // Canonical source → phrases people write for it (after lower-casing and dropping filler words).
    private static readonly Dictionary<string, string[]> Synonyms = new()
    {
        ["google"] = ["google", "google search", "googled", "googling", "google com", "search engine", "searched online", "search", "web search", "google maps"],
        ["facebook"] = ["facebook", "fb", "meta"],
        ["instagram"] = ["instagram", "insta", "ig"],
        ["tiktok"] = ["tiktok", "tik tok"],
        ["youtube"] = ["youtube", "yt", "youtube video"],
        ["twitter"] = ["twitter", "x", "tweet"],
        ["linkedin"] = ["linkedin", "linked in"],
        ["friend"] = ["friend", "friends", "word of mouth", "family", "colleague", "coworker", "recommendation", "recommended", "referral", "referred"],
        ["podcast"] = ["podcast", "podcasts"],
        ["tv"] = ["tv", "television", "tv commercial", "commercial"],
        ["radio"] = ["radio"],
        ["newspaper"] = ["newspaper", "magazine", "press", "article"],
        ["email"] = ["email", "e mail", "newsletter", "mail"],
        ["reviews"] = ["reviews", "review", "trustpilot", "review site"],
        ["store"] = ["store", "shop", "in store", "walked past"],
    };

    private static readonly Dictionary<string, string> PhraseToCanonical = Synonyms
        .SelectMany(s => s.Value.Select(phrase => (phrase, canonical: s.Key)))
        .ToDictionary(p => p.phrase, p => p.canonical);

    /// <summary>Lower-case, accents and punctuation removed, filler words dropped, spacing collapsed, synonyms folded.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var cleaned = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            cleaned.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }
        var words = cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var content = words.Where(w => !FillerWords.Contains(w)).ToArray();
        if (content.Length == 0) content = words;
        var phrase = string.Join(' ', content);
        if (PhraseToCanonical.TryGetValue(phrase, out var canonical)) return canonical;

        // "instagram story", "saw it on google": a known source word wins over the rest of the sentence.
        foreach (var word in content)
            if (PhraseToCanonical.TryGetValue(word, out canonical)) return canonical;
        return phrase;
    }

    /// <summary>The option whose id or label normalises to the same source, if any.</summary>
    public static SurveyOption? MatchOption(string normalized, IEnumerable<SurveyOption> options) =>
        normalized.Length == 0 ? null
            : options.FirstOrDefault(o => Normalize(o.Id) == normalized || Normalize(o.Label) == normalized);

    /// <summary>A stable option id from a label: "Google search" → "google-search".</summary>
    public static string Slug(string label)
    {
        var builder = new StringBuilder();
        foreach (var c in label.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        return builder.ToString().Trim('-');
    }
}
