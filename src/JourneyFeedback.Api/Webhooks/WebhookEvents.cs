namespace JourneyFeedback.Api.Webhooks;

/// <summary>The event types a subscription can ask for (docs/webhooks.md has a schema and an example of each).</summary>
internal static class WebhookEventTypes
{
    public const string SurveyAnswered = "survey.answered";
    public const string SurveyDetractor = "survey.detractor";
    public const string ImportCompleted = "import.completed";
    public const string ImportFailed = "import.failed";
    public const string PainPointEmerged = "painpoint.emerged";
    public const string PainPointSpiked = "painpoint.spiked";
    public const string MapInboxGrew = "map.inbox.grew";
    /// <summary>Sent by <c>POST /api/webhooks/{id}/test</c> to that subscription only, whatever it subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly string[] Subscribable =
        [SurveyAnswered, SurveyDetractor, ImportCompleted, ImportFailed, PainPointEmerged, PainPointSpiked, MapInboxGrew];
}

/// <summary>How urgent an event is; a subscription's <c>minSeverity</c> drops the ones below it.</summary>
internal static class WebhookSeverity
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public static readonly string[] All = [Low, Medium, High];

    public static int Rank(string? severity) => Array.IndexOf(All, severity);
}

/// <summary>
/// Every delivery's body: <c>type</c>, <c>timestamp</c> and <c>data</c> as the Standard Webhooks payload recommends,
/// plus the message id (the <c>webhook-id</c> header), the workspace and the severity. <c>occurredAt</c> equals
/// <c>timestamp</c>: when the change was committed, not when it was delivered.
/// </summary>
public sealed record WebhookEvent<TData>(string Id, string Type, DateTime Timestamp, DateTime OccurredAt, Guid WorkspaceId, string Severity, TData Data);

/// <summary>
/// <c>survey.answered</c> and <c>survey.detractor</c>: one answer, with the invitation it came through (its customer id,
/// external reference and metadata as the sender gave them: agent, chat id…). <c>detractor</c>: NPS 0–6, CSAT 1–2,
/// CES 1–2 (our CES scale runs from 1, very difficult, to 7, very easy). <c>links</c>: the survey and its results.
/// </summary>
public sealed record SurveyAnswerData(
    Guid AnswerId, Guid SurveyId, string SurveyName, string SurveyType, Guid InvitationId, int? Score, bool Detractor,
    string? OptionId, string? OtherText, string? Comment, string? CustomerId, string? ExternalRef, string? Channel,
    IReadOnlyDictionary<string, string> Metadata, Guid? MapId, Guid? TouchpointId, DateTime AnsweredAt,
    IReadOnlyDictionary<string, string> Links);

/// <summary><c>import.completed</c> and <c>import.failed</c>: an import's final counts; <c>links</c>: the import and its rejected rows.</summary>
public sealed record ImportFinishedData(
    Guid ImportId, string Kind, string FileName, Guid? MapId, string Status, long RowsRead, long Imported, long SkippedDuplicates,
    long Attached, long Rejected, string? FailureReason, DateTime? StartedAt, DateTime FinishedAt, IReadOnlyDictionary<string, string> Links);

/// <summary>
/// <c>painpoint.emerged</c> (a theme whose items all fall in the current period) and <c>painpoint.spiked</c> (a theme
/// whose count in the current period is significantly above the previous one). <c>pValue</c>: the one-sided exact
/// binomial test of current against previous, Holm-adjusted over the map's themes (null for emerged); <c>quotes</c>:
/// up to three of the theme's newest items in the period; <c>links</c>: the map's insights and the theme's evidence.
/// </summary>
public sealed record PainPointData(
    Guid ThemeId, string Name, string? Category, Guid MapId, string MapName, Guid TouchpointId, string TouchpointName,
    int CurrentCount, int PreviousCount, DateTime PeriodStart, DateTime PeriodEnd, double? PValue, IReadOnlyList<string> Quotes,
    IReadOnlyDictionary<string, string> Links);

/// <summary><c>map.inbox.grew</c>: the map's unassigned items reached the threshold (again after falling below it); <c>links</c>: the inbox.</summary>
public sealed record InboxGrewData(Guid MapId, string MapName, int Unassigned, int Threshold, IReadOnlyDictionary<string, string> Links);

/// <summary><c>webhook.test</c>: sent on request, to check the receiver and its signature check.</summary>
public sealed record WebhookTestData(Guid SubscriptionId, string Message, IReadOnlyDictionary<string, string> Links);

/// <summary>
/// An event to write to the outbox in the caller's transaction, with what subscriptions filter on.
/// <paramref name="OnlySubscription"/>: for <c>webhook.test</c>, the one subscription it goes to (filters ignored).
/// </summary>
internal sealed record OutboxEvent(
    Guid WorkspaceId, string Type, string Severity, DateTime OccurredAt, object Data,
    Guid? SurveyId = null, Guid? MapId = null, Guid? TouchpointId = null, Guid? OnlySubscription = null);
