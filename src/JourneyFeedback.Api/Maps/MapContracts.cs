using System.Text.Json.Serialization;

namespace JourneyFeedback.Api.Maps;

// The map document is one shape for create, update and export, so an export can be posted back as is.
// Unknown members are rejected: a typo such as "touchpoint" must not silently drop an author's work.
// The members GET returns and the server owns (ids, version, timestamps, positions) are accepted so that a GET
// document can be sent back with PUT; ReadOnlyMembers checks they agree with the resource.

/// <summary>
/// A whole journey map: what <c>POST /api/maps</c> takes and <c>export?format=json</c> returns. <c>evidence</c> is the
/// export's read-only evidence section; it is ignored when the document is posted back. <c>id</c>, <c>version</c>,
/// <c>createdAt</c> and <c>updatedAt</c> are read-only: <c>PUT /api/maps/{id}</c> accepts them when they match the map
/// (a GET document sent back), <c>POST</c> refuses them.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MapDocument(
    string? Name,
    string? Goal = null,
    string? Template = null,
    PersonaDocument? Persona = null,
    IReadOnlyList<StageDocument>? Stages = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] System.Text.Json.JsonElement? Evidence = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? CreatedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? UpdatedAt = null);

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

/// <summary>
/// A stage. <c>id</c> is only read by <c>PUT /api/maps/{id}</c> to keep an existing stage (and its evidence);
/// <c>position</c> is read-only (the order of the list decides it).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StageDocument(
    string? Name,
    LanesDocument? Lanes = null,
    IReadOnlyList<TouchpointDocument>? Touchpoints = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Position = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LanesDocument(
    IReadOnlyList<string>? Actions = null,
    IReadOnlyList<string>? Motivations = null,
    IReadOnlyList<string>? Questions = null,
    IReadOnlyList<string>? Emotions = null,
    IReadOnlyList<string>? PainPoints = null,
    IReadOnlyList<string>? Opportunities = null);

/// <summary>
/// A touchpoint. <c>id</c> is only read by <c>PUT /api/maps/{id}</c> to keep an existing touchpoint; <c>stageId</c> and
/// <c>position</c> are read-only (the enclosing stage and the order of the list decide them).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TouchpointDocument(
    string? Name,
    string? Channel = null,
    string? Phase = null,
    string? Description = null,
    IReadOnlyList<string>? Keywords = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? KeywordsByLanguage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? StageId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Position = null);

/// <summary>Adds a stage to a map; <c>position</c> is 0-based (default: last).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AddStageRequest(
    string? Name,
    LanesDocument? Lanes = null,
    IReadOnlyList<TouchpointDocument>? Touchpoints = null,
    int? Position = null);

/// <summary>
/// Renames, moves or rewrites the lanes of a stage; omitted fields stay as they are. <c>id</c> and <c>touchpoints</c>
/// are read-only here (accepted when they match the stage, so a GET document can be sent back).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateStageRequest(
    string? Name = null,
    LanesDocument? Lanes = null,
    int? Position = null,
    Guid? Id = null,
    IReadOnlyList<TouchpointRequest>? Touchpoints = null);

/// <summary>
/// Adds or changes a touchpoint. On update, omitted fields stay as they are; <c>stageId</c> moves it to another stage.
/// <c>id</c> is read-only (accepted on update when it is this touchpoint's).
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
    IReadOnlyDictionary<string, IReadOnlyList<string>>? KeywordsByLanguage = null,
    Guid? Id = null);

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
