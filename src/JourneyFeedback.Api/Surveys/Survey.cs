namespace JourneyFeedback.Api.Surveys;

internal sealed class Survey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }

    /// <summary><c>nps</c>, <c>attribution</c>, <c>csat</c> or <c>ces</c>.</summary>
    public required string Type { get; set; }
    public required string Name { get; set; }
    public required string Question { get; set; }

    /// <summary>Attribution answers ("How did you hear about us?"); empty for the other types.</summary>
    public List<SurveyOption> Options { get; set; } = [];
    public bool AllowOther { get; set; } = true;

    /// <summary>The touchpoint this survey measures, e.g. the post-chat survey measures "Live chat".</summary>
    public Guid? MapId { get; set; }
    public Guid? TouchpointId { get; set; }

    public bool IsOpen { get; set; } = true;

    /// <summary>How long a new invitation can be answered.</summary>
    public int InvitationTtlHours { get; set; } = SurveyRules.DefaultInvitationTtlHours;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

internal sealed class SurveyOption
{
    public string Id { get; set; } = "";
    public string Label { get; set; } = "";
    public Guid? TouchpointId { get; set; }
}

/// <summary>A single-use link for one customer, created by a support agent's tool after a chat or a reply.</summary>
internal sealed class Invitation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }

    /// <summary>The survey's id and 192 random bits (<see cref="SurveyLinkToken"/>); the random part is the whole credential of the link.</summary>
    public required string Token { get; set; }
    public string? CustomerId { get; set; }

    /// <summary>The chat or ticket id; unique per survey so re-sending is idempotent.</summary>
    public string? ExternalRef { get; set; }
    public string? Channel { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime ExpiresAt { get; set; }

    /// <summary>Set in the same transaction as the response; a conditional update on it enforces one answer.</summary>
    public DateTime? AnsweredAt { get; set; }
}

internal sealed class SurveyAnswer
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public Guid InvitationId { get; set; }
    public int? Score { get; set; }
    public string? OptionId { get; set; }
    public string? OtherText { get; set; }
    public string? Comment { get; set; }
    public DateTime AnsweredAt { get; set; }
}

/// <summary>
/// How many answers to a survey gave one score on one day (UTC). The answer writer adds to it in the answers' own
/// transaction (answers are only ever inserted, and go only with their survey), so insights sum a few rows a day
/// instead of scanning every answer of a map answered all day.
/// </summary>
internal sealed class SurveyScoreDay
{
    public Guid SurveyId { get; set; }
    /// <summary>The day of the answers in UTC, as <see cref="DateOnly.DayNumber"/> (days since 0001-01-01).</summary>
    public int Day { get; set; }
    public int Score { get; set; }
    public int Count { get; set; }

    public static int DayOf(DateTime utc) => DateOnly.FromDateTime(utc).DayNumber;
    public static DateTime StartOf(int day) => DateOnly.FromDayNumber(day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
