namespace JourneyFeedback.Api.Surveys;

internal static class SurveyTypes
{
    public const string Nps = "nps";
    public const string Attribution = "attribution";
    public const string Csat = "csat";
    public const string Ces = "ces";
    public static readonly string[] All = [Nps, Attribution, Csat, Ces];
}

internal static class SurveyRules
{
    public const int DefaultInvitationTtlHours = 7 * 24;
    public const int MaxInvitationTtlHours = 365 * 24;
    public const int MaxInvitationsPerCall = 1000;
    public const int MaxCommentLength = 5000;
    public const int MaxOptions = 50;

    /// <summary>Below this many responses a score is flagged <c>lowSample</c>: its interval is too wide to act on.</summary>
    public const int LowSampleThreshold = 30;

    public static string DefaultQuestion(string type) => type switch
    {
        SurveyTypes.Nps => "How likely are you to recommend us to a friend or colleague?",
        SurveyTypes.Attribution => "How did you hear about us?",
        SurveyTypes.Csat => "How satisfied were you with the help you received?",
        SurveyTypes.Ces => "How easy was it to get your issue resolved?",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The score scale of a type; attribution has none.</summary>
    public static (int Min, int Max)? Scale(string type) => type switch
    {
        SurveyTypes.Nps => (0, 10),
        SurveyTypes.Csat => (1, 5),
        SurveyTypes.Ces => (1, 7),
        _ => null,
    };

    /// <summary>
    /// A detractor: NPS 0–6, CSAT 1–2, CES 1–2. Our CES scale runs from 1 (very difficult) to 7 (very easy), so the
    /// unhappy end is the low one, as for CSAT.
    /// </summary>
    public static bool IsDetractor(string type, int? score) => (type, score) switch
    {
        (SurveyTypes.Nps, <= 6) => true,
        (SurveyTypes.Csat or SurveyTypes.Ces, <= 2) => true,
        _ => false,
    };

    /// <summary>The angriest detractors (NPS 0–3, CSAT 1, CES 1): their <c>survey.detractor</c> event has severity high.</summary>
    public static bool IsStrongDetractor(string type, int? score) => (type, score) switch
    {
        (SurveyTypes.Nps, <= 3) => true,
        (SurveyTypes.Csat or SurveyTypes.Ces, <= 1) => true,
        _ => false,
    };

    /// <summary>Labels for the ends (and, for short scales, every point) of a scale, for the answer form.</summary>
    public static string ScaleLabel(string type, int score) => (type, score) switch
    {
        (SurveyTypes.Nps, 0) => "Not at all likely",
        (SurveyTypes.Nps, 10) => "Extremely likely",
        (SurveyTypes.Csat, 1) => "Very unsatisfied",
        (SurveyTypes.Csat, 2) => "Unsatisfied",
        (SurveyTypes.Csat, 3) => "Neutral",
        (SurveyTypes.Csat, 4) => "Satisfied",
        (SurveyTypes.Csat, 5) => "Very satisfied",
        (SurveyTypes.Ces, 1) => "Very difficult",
        (SurveyTypes.Ces, 4) => "Neither",
        (SurveyTypes.Ces, 7) => "Very easy",
        _ => "",
    };
}
