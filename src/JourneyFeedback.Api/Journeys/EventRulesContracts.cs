namespace JourneyFeedback.Api.Journeys;

/// <summary>
/// One rule as sent: the touchpoint by id or by name (unique on the map), and at least one condition. All conditions
/// given must hold; <c>urlPath</c> is a pattern where <c>*</c> is any run of characters; comparisons ignore case.
/// </summary>
public sealed record EventRuleRequest(Guid? TouchpointId, string? Touchpoint, string? EventName, string? UrlPath, string? Property, string? Value);

public sealed record EventRulesRequest(IReadOnlyList<EventRuleRequest>? Rules);

/// <summary>A rule as stored, with how many of the workspace's events it places (the first matching rule wins).</summary>
public sealed record EventRuleResponse(
    Guid TouchpointId, string? Touchpoint, string? EventName, string? UrlPath, string? Property, string? Value, int MatchedEvents);

/// <summary>Events no rule places, grouped by event name and path.</summary>
public sealed record UnmappedEvent(string? Event, string? Path, int Count);

public sealed record EventRulesResponse(
    Guid MapId, long Version, IReadOnlyList<EventRuleResponse> Rules, int TotalEvents, int PlacedEvents, int UnmappedEvents,
    IReadOnlyList<UnmappedEvent> TopUnmapped, DateTime AsOf);

/// <summary>
/// One contact in a customer's timeline: an event (name, URL), a feedback item (text and what the models say) or a survey
/// answer without a comment (its score).
/// </summary>
public sealed record TimelineContact(
    Guid Id, string Kind, DateTime OccurredAt, string? Event, string? Url, string? Text, int? Score, string? Sentiment, string? PainPoint,
    Guid? ThemeId, string? Theme, string? Source, string? Channel);

/// <summary>Consecutive contacts at one touchpoint; <c>backward</c>: its stage comes before the previous step's.</summary>
public sealed record TimelineStep(
    int Journey, Guid TouchpointId, string Touchpoint, Guid StageId, string Stage, DateTime Start, DateTime End, bool Backward,
    IReadOnlyList<TimelineContact> Contacts);

public sealed record CustomerTimeline(
    Guid MapId, string CustomerId, int Journeys, int Contacts, double GapDays, IReadOnlyList<TimelineStep> Steps, DateTime AsOf, bool Current);
