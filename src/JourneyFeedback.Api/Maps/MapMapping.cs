namespace JourneyFeedback.Api.Maps;

/// <summary>Hand-written mapping between the stored map and its documents/responses.</summary>
internal static class MapMapping
{
    public static JourneyMap ToNewMap(this MapDocument document, Guid workspaceId)
    {
        var map = new JourneyMap
        {
            WorkspaceId = workspaceId,
            Name = document.Name!.Trim(),
            Goal = Clean(document.Goal),
            Template = Clean(document.Template) ?? MapRules.DefaultTemplate,
            Persona = ToPersona(document.Persona),
        };
        var stages = document.Stages ?? [];
        for (var i = 0; i < stages.Count; i++)
            map.Stages.Add(NewStage(map, stages[i].Name!, stages[i].Lanes, stages[i].Touchpoints, i));
        return map;
    }

    public static Stage NewStage(JourneyMap map, string name, LanesDocument? lanes, IReadOnlyList<TouchpointDocument>? touchpoints, int position)
    {
        var stage = new Stage { WorkspaceId = map.WorkspaceId, MapId = map.Id, Name = name.Trim(), Position = position, Lanes = ToLanes(lanes) };
        var list = touchpoints ?? [];
        for (var j = 0; j < list.Count; j++)
            stage.Touchpoints.Add(NewTouchpoint(stage, list[j], j));
        return stage;
    }

    public static Touchpoint NewTouchpoint(Stage stage, TouchpointDocument document, int position) => new()
    {
        WorkspaceId = stage.WorkspaceId,
        MapId = stage.MapId,
        StageId = stage.Id,
        Name = document.Name!.Trim(),
        Channel = Clean(document.Channel),
        Phase = Clean(document.Phase),
        Description = Clean(document.Description),
        Keywords = CleanKeywords(document.Keywords),
        KeywordsByLanguage = CleanKeywords(document.KeywordsByLanguage),
        Position = position,
    };

    public static void Apply(this Touchpoint touchpoint, TouchpointDocument document)
    {
        touchpoint.Name = document.Name!.Trim();
        touchpoint.Channel = Clean(document.Channel);
        touchpoint.Phase = Clean(document.Phase);
        touchpoint.Description = Clean(document.Description);
        touchpoint.Keywords = CleanKeywords(document.Keywords);
        touchpoint.KeywordsByLanguage = CleanKeywords(document.KeywordsByLanguage);
    }

    /// <summary>Languages lower-cased; empty lists dropped.</summary>
    private static KeywordsByLanguage CleanKeywords(IReadOnlyDictionary<string, IReadOnlyList<string>>? byLanguage)
    {
        var clean = new KeywordsByLanguage();
        foreach (var (language, keywords) in byLanguage ?? new Dictionary<string, IReadOnlyList<string>>())
            if (CleanKeywords(keywords) is { Count: > 0 } list) clean[language.Trim().ToLowerInvariant()] = list;
        return clean;
    }

    public static Persona ToPersona(PersonaDocument? document) => document is null ? new Persona() : new Persona
    {
        Name = Clean(document.Name),
        Description = Clean(document.Description),
        Demographics = (document.Demographics ?? new Dictionary<string, string>())
            .Where(d => !string.IsNullOrWhiteSpace(d.Value))
            .ToDictionary(d => d.Key.Trim(), d => d.Value.Trim()),
        Goals = CleanList(document.Goals),
        Motivations = CleanList(document.Motivations),
        Challenges = CleanList(document.Challenges),
        Influences = CleanList(document.Influences),
        SegmentId = document.SegmentId,
    };

    public static StageLanes ToLanes(LanesDocument? document) => document is null ? new StageLanes() : new StageLanes
    {
        Actions = CleanList(document.Actions),
        Motivations = CleanList(document.Motivations),
        Questions = CleanList(document.Questions),
        Emotions = CleanList(document.Emotions),
        PainPoints = CleanList(document.PainPoints),
        Opportunities = CleanList(document.Opportunities),
    };

    public static MapResponse ToResponse(this JourneyMap map) => new(
        map.Id, map.Name, map.Goal, map.Template, ToDocument(map.Persona),
        map.Stages.OrderBy(s => s.Position).Select(ToResponse).ToList(),
        map.Version, map.CreatedAt, map.UpdatedAt);

    public static StageResponse ToResponse(this Stage stage) => new(
        stage.Id, stage.Name, stage.Position, ToDocument(stage.Lanes),
        stage.Touchpoints.OrderBy(t => t.Position).Select(ToResponse).ToList());

    public static TouchpointResponse ToResponse(this Touchpoint t) =>
        new(t.Id, t.StageId, t.Name, t.Channel, t.Phase, t.Description, t.Keywords, t.Position, t.KeywordsByLanguage.Count == 0 ? null : t.KeywordsByLanguage);

    /// <summary>The export document: the create shape without ids, so it can be posted again as a new map.</summary>
    public static MapDocument ToDocument(this JourneyMap map) => new(
        map.Name, map.Goal, map.Template, ToDocument(map.Persona),
        map.Stages.OrderBy(s => s.Position).Select(s => new StageDocument(
            s.Name,
            ToDocument(s.Lanes),
            s.Touchpoints.OrderBy(t => t.Position)
                .Select(t => new TouchpointDocument(t.Name, t.Channel, t.Phase, t.Description, t.Keywords,
                    KeywordsByLanguage: t.KeywordsByLanguage.ToDocument()))
                .ToList()))
        .ToList());

    private static PersonaDocument ToDocument(Persona p) =>
        new(p.Name, p.Description, p.Demographics, p.Goals, p.Motivations, p.Challenges, p.Influences, p.SegmentId);

    private static LanesDocument ToDocument(StageLanes l) =>
        new(l.Actions, l.Motivations, l.Questions, l.Emotions, l.PainPoints, l.Opportunities);

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Blank entries carry nothing an author wrote; forms often send them, so they are dropped.</summary>
    private static List<string> CleanList(IReadOnlyList<string>? items) =>
        items is null ? [] : items.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).ToList();

    private static List<string> CleanKeywords(IReadOnlyList<string>? items) =>
        CleanList(items).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
