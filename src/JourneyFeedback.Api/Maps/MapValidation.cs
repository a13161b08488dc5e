using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Maps;

internal static class MapRules
{
    public const string DefaultTemplate = "current-state";
    public static readonly string[] Templates = ["current-state", "future-state", "day-in-the-life", "service-blueprint"];
    public static readonly string[] Phases = ["pre-purchase", "purchase", "post-purchase"];

    public const int MaxStages = 50;
    public const int MaxTouchpointsPerStage = 100;
    public const int MaxLaneEntries = 200;
    public const int MaxLaneEntryLength = 2000;
    public const int MaxKeywords = 50;
    public const int MaxKeywordLanguages = 10;
}

/// <summary>Checks map documents and edits; every error names the field by its JSON path.</summary>
internal static class MapValidation
{
    public static ValidationErrors Validate(MapDocument map)
    {
        var errors = new ValidationErrors();
        errors.Text("name", map.Name, 200, required: true);
        errors.Text("goal", map.Goal, 2000);
        errors.OneOf("template", map.Template, MapRules.Templates);
        if (map.Persona is not null) ValidatePersona(errors, map.Persona);

        var stages = map.Stages ?? [];
        if (stages.Count > MapRules.MaxStages) errors.Add("stages", $"At most {MapRules.MaxStages} stages (got {stages.Count}).");
        var stageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            if (stage is null) { errors.Add($"stages[{i}]", "Must be an object, not null."); continue; }
            ValidateStage(errors, $"stages[{i}]", stage.Name, stage.Lanes, stage.Touchpoints);
            if (!string.IsNullOrWhiteSpace(stage.Name) && !stageNames.Add(stage.Name.Trim()))
                errors.Add($"stages[{i}].name", $"Duplicate stage name '{stage.Name.Trim()}'; stage names must be unique within a map.");
        }
        return errors;
    }

    public static void ValidateStage(ValidationErrors errors, string path, string? name, LanesDocument? lanes, IReadOnlyList<TouchpointDocument>? touchpoints, bool nameRequired = true)
    {
        errors.Text(Field(path, "name"), name, 100, required: nameRequired);
        if (lanes is not null)
        {
            errors.List($"{Field(path, "lanes")}.actions", lanes.Actions, MapRules.MaxLaneEntries, MapRules.MaxLaneEntryLength);
            errors.List($"{Field(path, "lanes")}.motivations", lanes.Motivations, MapRules.MaxLaneEntries, MapRules.MaxLaneEntryLength);
            errors.List($"{Field(path, "lanes")}.questions", lanes.Questions, MapRules.MaxLaneEntries, MapRules.MaxLaneEntryLength);
            errors.List($"{Field(path, "lanes")}.emotions", lanes.Emotions, MapRules.MaxLaneEntries, MapRules.MaxLaneEntryLength);
            errors.List($"{Field(path, "lanes")}.painPoints", lanes.PainPoints, MapRules.MaxLaneEntries, MapRules.MaxLaneEntryLength);
            errors.List($"{Field(path, "lanes")}.opportunities", lanes.Opportunities, MapRules.MaxLaneEntries, MapRules.MaxLaneEntryLength);
        }

        var list = touchpoints ?? [];
        if (list.Count > MapRules.MaxTouchpointsPerStage)
            errors.Add(Field(path, "touchpoints"), $"At most {MapRules.MaxTouchpointsPerStage} touchpoints per stage (got {list.Count}).");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < list.Count; j++)
        {
            var touchpoint = list[j];
            var tpPath = $"{Field(path, "touchpoints")}[{j}]";
            if (touchpoint is null) { errors.Add(tpPath, "Must be an object, not null."); continue; }
            ValidateTouchpoint(errors, tpPath, touchpoint.Name, touchpoint.Channel, touchpoint.Phase, touchpoint.Description, touchpoint.Keywords,
                keywordsByLanguage: touchpoint.KeywordsByLanguage);
            if (!string.IsNullOrWhiteSpace(touchpoint.Name) && !names.Add(touchpoint.Name.Trim()))
                errors.Add($"{tpPath}.name", $"Duplicate touchpoint name '{touchpoint.Name.Trim()}' in this stage.");
        }
    }

    public static void ValidateTouchpoint(ValidationErrors errors, string path, string? name, string? channel, string? phase, string? description, IReadOnlyList<string>? keywords, bool nameRequired = true,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? keywordsByLanguage = null)
    {
        errors.Text(Field(path, "name"), name, 200, required: nameRequired);
        errors.Text(Field(path, "channel"), channel, 50);
        errors.OneOf(Field(path, "phase"), phase, MapRules.Phases);
        errors.Text(Field(path, "description"), description, 2000);
        errors.List(Field(path, "keywords"), keywords, MapRules.MaxKeywords, 100);
        if (keywordsByLanguage is null) return;
        if (keywordsByLanguage.Count > MapRules.MaxKeywordLanguages)
            errors.Add(Field(path, "keywordsByLanguage"), $"At most {MapRules.MaxKeywordLanguages} languages.");
        foreach (var (language, list) in keywordsByLanguage)
        {
            var field = $"{Field(path, "keywordsByLanguage")}.{language}";
            if (language.Trim().Length != 2 || !language.Trim().All(char.IsAsciiLetter))
                errors.Add(field, "A language is a two-letter ISO 639-1 code, such as pl, it or ro.");
            else errors.List(field, list, MapRules.MaxKeywords, 100);
        }
    }

    /// <summary>Joins a parent path and a field; stage and touchpoint checks also run on their own (empty parent).</summary>
    private static string Field(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static void ValidatePersona(ValidationErrors errors, PersonaDocument persona)
    {
        errors.Text("persona.name", persona.Name, 200);
        errors.Text("persona.description", persona.Description, 4000);
        if (persona.Demographics is { Count: > 50 }) errors.Add("persona.demographics", "At most 50 entries.");
        foreach (var (key, value) in persona.Demographics ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 100) errors.Add("persona.demographics", $"Keys must be 1–100 characters ('{key}').");
            errors.Text($"persona.demographics.{key}", value, 500);
        }
        errors.List("persona.goals", persona.Goals, 50, 1000);
        errors.List("persona.motivations", persona.Motivations, 50, 1000);
        errors.List("persona.challenges", persona.Challenges, 50, 1000);
        errors.List("persona.influences", persona.Influences, 50, 1000);
    }
}
