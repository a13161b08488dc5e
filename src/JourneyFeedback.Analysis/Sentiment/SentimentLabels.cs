namespace JourneyFeedback.Analysis.Sentiment;

/// <summary>The three sentiment classes, in the order of the model's score vector.</summary>
public static class SentimentLabels
{
    public const string Negative = "negative";
    public const string Neutral = "neutral";
    public const string Positive = "positive";

    public static IReadOnlyList<string> All { get; } = [Negative, Neutral, Positive];

    internal static int IndexOf(string label) => label switch
    {
        Negative => 0,
        Neutral => 1,
        Positive => 2,
        _ => throw new ArgumentException($"Unknown sentiment label '{label}'.", nameof(label)),
    };
}
