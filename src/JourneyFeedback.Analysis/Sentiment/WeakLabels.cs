namespace JourneyFeedback.Analysis.Sentiment;

/// <summary>
/// Weak sentiment labels from numbers customers already gave us.
/// Rule: a rating is first placed on 0..1 as (rating - min) / (max - min); the bottom 40% of
/// the scale is negative, the top 40% positive, the middle 20% neutral. On 1–5 stars this is
/// 1–2 negative, 3 neutral, 4–5 positive; on 1–10 it is 1–4 / 5–6 / 7–10.
/// NPS keeps its own industry bands: 0–6 detractor (negative), 7–8 passive (neutral), 9–10 promoter (positive).
/// </summary>
public static class WeakLabels
{
    public static string FromStarRating(double rating, double minimum = 1, double maximum = 5)
    {
        if (maximum <= minimum)
        {
            throw new ArgumentException("The scale maximum must be above its minimum.", nameof(maximum));
        }
        if (rating < minimum || rating > maximum || double.IsNaN(rating))
        {
            throw new ArgumentOutOfRangeException(nameof(rating), rating, $"Rating must be within {minimum}..{maximum}.");
        }
        double position = (rating - minimum) / (maximum - minimum);
        // Small epsilon so 2 of 1..5 (exactly 0.25) and 4 of 1..5 (0.75) fall on the intended side.
        const double Epsilon = 1e-9;
        if (position < 0.4 - Epsilon)
        {
            return SentimentLabels.Negative;
        }
        return position > 0.6 + Epsilon ? SentimentLabels.Positive : SentimentLabels.Neutral;
    }

    public static string FromNps(int score)
    {
        if (score is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "NPS answers are 0..10.");
        }
        return score switch
        {
            <= 6 => SentimentLabels.Negative,
            <= 8 => SentimentLabels.Neutral,
            _ => SentimentLabels.Positive,
        };
    }
}
