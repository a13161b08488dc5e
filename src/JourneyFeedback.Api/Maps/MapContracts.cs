using System.Text.Json.Serialization;

namespace JourneyFeedback.Api.Maps;

// The map document is one shape for create, update and export, so an export can be posted back as is.
// Unknown members are rejected: a typo such as "touchpoint" must not silently drop an author's work.

/// <summary>
/// A whole journey map: what <c>POST /api/maps</c> takes and <c>export?format=json</c> returns. <c>evidence</c> is the
/// export's read-only evidence section; it is ignored when the document is posted back.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MapDocument(
    string? Name,
    string? Goal = null,
    string? Template = null,
    PersonaDocument? Persona = null,
    IReadOnlyList<StageDocument>? Stages = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] System.Text.Json.JsonElement? Evidence = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PersonaDocument(
    string? Name = null,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Demographics = null,
    IReadOnlyList<string>? Goals = null,
    IReadOnlyList<string>? Motivations = null,
    IReadOnlyList<string>? Challenges = null,
    IReadOnlyList<string>? Influences = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? SegmentId = null);

/// <summary>A stage. <c>id</c> is only read by <c>PUT /api/maps/{id}</c> to keep an existing stage (and its evidence).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StageDocument(
    string? Name,
    LanesDocument? Lanes = null,
    IReadOnlyList<TouchpointDocument>? Touchpoints = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LanesDocument(
    IReadOnlyList<string>? Actions = null,
    IReadOnlyList<string>? Motivations = null,
    IReadOnlyList<string>? Questions = null,
    IReadOnlyList<string>? Emotions = null,
    IReadOnlyList<string>? PainPoints = null,
    IReadOnlyList<string>? Opportunities = null);

/// <summary>A touchpoint. <c>id</c> is only read by <c>PUT /api/maps/{id}</c> to keep an existing touchpoint.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TouchpointDocument(
    string? Name,
    string? Channel = null,
    string? Phase = null,
    string? Description = null,
    IReadOnlyList<string>? Keywords = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? KeywordsByLanguage = null);

/// <summary>Adds a stage to a map; <c>position</c> is 0-based (default: last).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AddStageRequest(
    string? Name,
    LanesDocument? Lanes = null,
    IReadOnlyList<TouchpointDocument>? Touchpoints = null,
    int? Position = null);

/// <summary>Renames, moves or rewrites the lanes of a stage; omitted fields stay as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateStageRequest(string? Name = null, LanesDocument? Lanes = null, int? Position = null);

/// <summary>
/// Adds or changes a touchpoint. On update, omitted fields stay as they are; <c>stageId</c> moves it to another stage.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TouchpointRequest(
    string? Name = null,
    string? Channel = null,
    string? Phase = null,
    string? Description = null,
    IReadOnlyList<string>? Keywords = null,
    Guid? StageId = null,
    int? Position = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? KeywordsByLanguage = null);

public sealed record MapResponse(
    Guid Id,
    string Name,
    string? Goal,
    string Template,
    PersonaDocument Persona,
    IReadOnlyList<StageResponse> Stages,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public sealed record StageResponse(Guid Id, string Name, int Position, LanesDocument Lanes, IReadOnlyList<TouchpointResponse> Touchpoints);

public sealed record TouchpointResponse(
    Guid Id,
    Guid StageId,
    string Name,
    string? Channel,
    string? Phase,
    string? Description,
    IReadOnlyList<string> Keywords,
    int Position,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, List<string>>? KeywordsByLanguage = null);

public sealed record MapSummary(
    Guid Id,
    string Name,
    string? Goal,
    string Template,
    int StageCount,
    int TouchpointCount,
    int Version,
    DateTime UpdatedAt);
