using System.Globalization;
using System.Text.Json;
using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Surveys;

internal sealed record ParsedAnswer(int? Score, string? OptionId, string? OtherText, string? Comment)
{
    /// <summary>The text that becomes a feedback item: the comment, or the "other" answer.</summary>
    public string? FeedbackText => !string.IsNullOrWhiteSpace(Comment) ? Comment : OtherText;
}

/// <summary>
/// Reads an answer from a JSON body or an HTML form into one shape, and checks it against the survey.
/// Every field is read as text first so "9.5" and "nine" get a clear 422 instead of a binding error.
/// </summary>
internal static class AnswerParser
{
    public const string OtherOptionId = "other";

    public static Dictionary<string, string?> FromJson(JsonElement body, ValidationErrors errors)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "The answer must be a JSON object.");
            return fields;
        }
        foreach (var property in body.EnumerateObject())
        {
            fields[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => Invalid(errors, property.Name),
            };
        }
        return fields;
    }

    public static ParsedAnswer? Parse(Survey survey, IReadOnlyDictionary<string, string?> fields, ValidationErrors errors)
    {
        foreach (var (name, value) in fields)
            if (!StorableText.IsStorable(value)) errors.Add(name, StorableText.Problem);
        var comment = Text(fields, "comment");
        if (comment is { Length: > SurveyRules.MaxCommentLength })
            errors.Add("comment", $"At most {SurveyRules.MaxCommentLength} characters (got {comment.Length}).");

        if (survey.Type == SurveyTypes.Attribution)
        {
            var optionId = Text(fields, "optionId") ?? Text(fields, "option");
            var other = Text(fields, "otherText") ?? Text(fields, "other");
            if (other is { Length: > 500 }) errors.Add("otherText", $"At most 500 characters (got {other.Length}).");
            if (optionId is null && other is not null && survey.AllowOther) optionId = OtherOptionId;

            if (optionId is null) errors.Add("optionId", "Choose one of the options.");
            else if (optionId == OtherOptionId)
            {
                if (!survey.AllowOther) errors.Add("optionId", "This survey has no \"other\" answer.");
                else if (other is null) errors.Add("otherText", "Say where you heard about us.");
            }
            else if (survey.Options.All(o => o.Id != optionId))
                errors.Add("optionId", $"Unknown option '{Shorten(optionId)}'; expected one of: {string.Join(", ", survey.Options.Select(o => o.Id))}{(survey.AllowOther ? ", other" : "")}.");

            return errors.IsEmpty ? new ParsedAnswer(null, optionId, optionId == OtherOptionId ? other : null, comment) : null;
        }

        var (min, max) = SurveyRules.Scale(survey.Type)!.Value;
        var raw = Text(fields, "score");
        int score = 0;
        if (raw is null) errors.Add("score", $"Required: a whole number from {min} to {max}.");
        else if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out score))
            errors.Add("score", $"Must be a whole number from {min} to {max} (got '{Shorten(raw)}').");
        else if (score < min || score > max)
            errors.Add("score", $"Must be from {min} to {max} (got {score}).");

        return errors.IsEmpty ? new ParsedAnswer(score, null, null, comment) : null;
    }

    private static string? Text(IReadOnlyDictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Invalid(ValidationErrors errors, string name)
    {
        errors.Add(name, "Must be a string or a number.");
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
