using JourneyFeedback.Api.Segments;

namespace JourneyFeedback.Api.Comparisons;

/// <summary>
/// One side of a comparison: a period (from inclusive, to exclusive) and a segment (null: everyone). Changes are
/// <c>a − b</c>: the current period minus the previous one, or segment a minus segment b.
/// </summary>
public sealed record ComparisonSide(string Label, DateTime? From, DateTime? To, SegmentView? Segment, int Items);

/// <summary>
/// The changes of one group of items (the map, a stage, a touchpoint). Null where either side has nothing to compare.
/// NPS in points; CSAT, negative and positive shares in percentage points; CES on its 1–7 scale; the emotion score
/// (mean valence −1..+1) in valence units.
/// </summary>
public sealed record MetricChanges(int ItemsA, int ItemsB, Change? Nps, Change? Csat, Change? Ces, Change? NegativeShare, Change? PositiveShare,
    Change? EmotionScore);

public sealed record TouchpointComparison(Guid Id, string Name, MetricChanges Changes);

public sealed record StageComparison(Guid Id, string Name, MetricChanges Changes, IReadOnlyList<TouchpointComparison> Touchpoints);

/// <summary>A pain-point theme's count on each side; the test and its correction are named in the response's <c>themeTest</c>.</summary>
public sealed record ThemeComparison(string Id, Guid TouchpointId, string TouchpointName, string Category, string Name, CountChange Change);

public sealed record MapComparison(
    Guid MapId, string Mode, ComparisonSide A, ComparisonSide B, MetricChanges Map, IReadOnlyList<StageComparison> Stages,
    IReadOnlyList<ThemeComparison> Themes, string ThemeTest, DateTime AsOf, int PendingItems);

/// <summary>A survey's score (by its type) and, for attribution surveys, each option's share, on both sides.</summary>
public sealed record SurveyComparison(
    Guid SurveyId, string Type, string Mode, ComparisonSide A, ComparisonSide B, int ResponsesA, int ResponsesB, Change? Score,
    IReadOnlyList<OptionComparison> Options);

public sealed record OptionComparison(string Id, string Label, Change? Share);
