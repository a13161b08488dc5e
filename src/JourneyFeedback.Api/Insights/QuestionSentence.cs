namespace JourneyFeedback.Api.Insights;

/// <summary>The question a customer asked, cut from the surrounding text; a questions-lane entry reads best as one sentence.</summary>
internal static class QuestionSentence
{
    public static string? Cut(string text)
    {
        var end = text.IndexOf('?');
        if (end < 0) return null;
        var start = text.LastIndexOfAny(['.', '!', '\n', '?'], Math.Max(0, end - 1)) + 1;
        if (end - start > 200) start = end - 200;
        var sentence = text[start..(end + 1)].Trim();
        return sentence.Length < 4 ? null : sentence;
    }
}
