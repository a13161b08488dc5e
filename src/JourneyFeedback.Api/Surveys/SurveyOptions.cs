namespace JourneyFeedback.Api.Surveys;

internal sealed class SurveyOptions
{
    public const string Section = "Surveys";

    /// <summary>Base URL of public survey links (e.g. https://feedback.example.com); default: the request's host.</summary>
    public string? PublicBaseUrl { get; set; }
}
