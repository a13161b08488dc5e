using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// A map's insights. <see cref="AsOf"/>: the moment the evidence shown was read; <see cref="PendingItems"/>: items stored
/// or changed since then that a refresh running in the background will add (0 when the answer is current).
/// </summary>
public sealed record MapInsights(
    Guid MapId, string MapName, DateTime? From, DateTime? To, string? Segment,
    int Items, int Unassigned, int PendingMatching,
    SentimentMix Sentiment, IReadOnlyList<EmotionShare> Emotions, SurveyScores? Surveys,
    IReadOnlyList<StageInsights> Stages, IReadOnlyList<PainPointTheme> TopPainPoints, DateTime AsOf, int PendingItems)
{
    /// <summary>Whom the numbers are for: <c>everyone</c>, <c>persona</c> (the map's persona's segment) or <c>segment</c>.</summary>
    public string For => SegmentDetails is null ? "everyone" : SegmentDetails.Persona ? "persona" : "segment";

    /// <summary>The segment applied (saved id and name when it is a saved one), null for everyone.</summary>
    public Segments.SegmentView? SegmentDetails { get; init; }

    /// <summary>The selection's items on the map (placed, in the inbox or waiting) per detected language, most first; "" is unknown.</summary>
    public IReadOnlyList<LanguageCount> Languages { get; init; } = [];
}

public sealed record LanguageCount(string Language, int Items);

internal static class LanguageCounts
{
    /// <summary>One pass over the selection's slice of the snapshot.</summary>
    public static List<LanguageCount> Of(MapEvidence e, EvidenceSelection selection)
    {
        var (start, end) = e.Range(selection.From, selection.To);
        var inSegment = selection.Segment?.Mask(e);
        var counts = new int[e.Languages.Length];
        for (var i = start; i < end; i++)
            if (inSegment is null || inSegment[i]) counts[e.Language[i]]++;
        return [.. counts.Select((n, id) => new LanguageCount(e.Languages[id], n)).Where(c => c.Items > 0)
            .OrderByDescending(c => c.Items).ThenBy(c => c.Language, StringComparer.Ordinal)];
    }
}

public sealed record StageInsights(
    Guid Id, string Name, int Position, int Items, SentimentMix Sentiment, IReadOnlyList<EmotionShare> Emotions,
    EmotionScore? EmotionScore, SurveyScores? Surveys, IReadOnlyList<TouchpointInsights> Touchpoints);

public sealed record TouchpointInsights(
    Guid Id, string Name, string? Channel, int Items, SentimentMix Sentiment, IReadOnlyList<EmotionShare> Emotions,
    EmotionScore? EmotionScore, SurveyScores? Surveys, IReadOnlyList<PainPointTheme> PainPoints);

/// <summary>Counts of analysed items by sentiment; items the models flagged as low confidence (other languages) are counted apart.</summary>
public sealed record SentimentMix(
    int Analysed, int Negative, int Neutral, int Positive, double NegativePercent, double NeutralPercent, double PositivePercent, int LowConfidence);

public sealed record EmotionShare(string Label, string Group, int Count, double Percent);

/// <summary>Mean valence (P(positive) − P(negative), −1..+1) of the analysed items, with a 95% Student-t interval.</summary>
public sealed record EmotionScore(int Items, double Mean, Interval Ci95, bool LowSample);

public sealed record SurveyScores(NpsStats? Nps, ProportionStats? Csat, MeanStats? Ces);

/// <summary>Theme counts in the last 30 days of the selected range against the 30 days before them.</summary>
public sealed record ThemeTrend(int Recent, int Previous, double? ChangePercent);

public sealed record Quote(Guid EvidenceId, string Text, DateTime OccurredAt, double Negativity, EvidenceOrigin Origin);

/// <summary>
/// A pain-point theme on a touchpoint. Found by meaning: <see cref="ThemeId"/> stays the same across refreshes while its
/// membership stays mostly the same, <see cref="ComputedAt"/> says when (docs/insights.md, "Pain-point themes").
/// Items no refresh has grouped yet form category themes (no ThemeId). <see cref="Category"/> is the dominant
/// pain-point category, kept apart from the name.
/// </summary>
public sealed record PainPointTheme(
    string Key, Guid TouchpointId, string TouchpointName, string Category, string Name, IReadOnlyList<string> Phrases,
    int Count, double SharePercent, double MeanNegativity, IReadOnlyList<EmotionShare> DominantEmotions,
    DateTime FirstSeen, DateTime LastSeen, ThemeTrend Change, double Severity, IReadOnlyList<Quote> Quotes,
    Guid? ThemeId = null, DateTime? ComputedAt = null);

/// <summary>A page of a touchpoint's evidence; <see cref="AsOf"/> and <see cref="PendingItems"/> as in <see cref="MapInsights"/>.</summary>
public sealed record EvidenceFilterPage(int Page, int PageSize, int Total, IReadOnlyList<EvidenceItem> Items, DateTime AsOf, int PendingItems);

/// <summary>An item in a map's inbox, with the touchpoint the matcher would have picked and its confidence.</summary>
public sealed record InboxItem(EvidenceItem Item, Guid? BestGuessTouchpointId, string? BestGuessTouchpointName, double Confidence);

/// <summary>
/// The map's inbox. <see cref="PendingSemantic"/>: items the semantic tier will still embed or place again (its second
/// opinion may move some out of the inbox); 0 when it is done or off.
/// </summary>
public sealed record InboxPage(int Page, int PageSize, int Total, int PendingMatching, IReadOnlyList<InboxItem> Items, int PendingSemantic = 0);

public sealed record RematchResponse(int Queued);

public sealed record SuggestionResponse(
    Guid Id, Guid StageId, string StageName, string Lane, string Text, int EvidenceCount, int CurrentEvidenceCount, string Status,
    Guid? TouchpointId, string? PainPoint, string? Emotion, string? Phrase, DateTime CreatedAt, DateTime? DecidedAt, Guid? ThemeId = null);


/// <summary>
/// A map's trends: per touchpoint (map order) and for the whole map, one point per bucket of <see cref="Buckets"/>.
/// Only items and answers in [<see cref="From"/>, <see cref="To"/>) count, so the first and last bucket may be partial.
/// <see cref="AsOf"/> and <see cref="PendingItems"/> as in <see cref="MapInsights"/>.
/// </summary>
public sealed record MapTrendsResponse(
    Guid MapId, string MapName, string Interval, DateTime From, DateTime To, string? Segment,
    IReadOnlyList<TrendBucket> Buckets, IReadOnlyList<TrendPoint> Map, IReadOnlyList<TouchpointTrend> Touchpoints, DateTime AsOf, int PendingItems);

/// <summary>An ISO week (Monday 00:00 UTC) or a calendar month (UTC): [Start, End), labelled <c>2026-W41</c> or <c>2026-10</c>.</summary>
public sealed record TrendBucket(DateTime Start, DateTime End, string Label);

public sealed record TouchpointTrend(Guid Id, string Name, string? Channel, Guid StageId, string StageName, IReadOnlyList<TrendPoint> Points);

/// <summary>
/// One bucket of a series. Percentages are of <see cref="Analysed"/> items (low-confidence ones left out);
/// <see cref="MeanValence"/> is null without analysed items, <see cref="Nps"/> without NPS answers.
/// </summary>
public sealed record TrendPoint(
    DateTime Start, int Items, int Analysed, double NegativePercent, double NeutralPercent, double PositivePercent,
    double? MeanValence, TrendNps? Nps, IReadOnlyList<TrendTheme> TopThemes);

/// <summary>NPS of the bucket's answers with its 95% margin; <see cref="LowSample"/> below 30 answers.</summary>
public sealed record TrendNps(double Score, int Responses, double MarginOfError, bool LowSample);

/// <summary>A pain-point theme's items in the bucket; <see cref="Key"/> and <see cref="Name"/> as in insights' <see cref="PainPointTheme"/>.</summary>
public sealed record TrendTheme(string Key, string Name, int Count);
