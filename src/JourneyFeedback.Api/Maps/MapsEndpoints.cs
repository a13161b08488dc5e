using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Maps;

internal static class MapsEndpoints
{
    public static IEndpointRouteBuilder MapMaps(this IEndpointRouteBuilder app)
    {
        var maps = app.MapGroup("/maps").WithTags("Maps").RequireAuthorization(Policies.Read);

        maps.MapGet("/", ListMaps).WithName("ListMaps").WithSummary("List the workspace's journey maps");
        maps.MapPost("/", CreateMap).WithName("CreateMap").WithSummary("Create a whole map (persona, stages, lanes, touchpoints) in one call")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapGet("/{id:guid}", GetMap).WithName("GetMap").WithSummary("Get a map with the ids of every stage and touchpoint; ETag carries its version");
        maps.MapPut("/{id:guid}", UpdateMap).WithName("UpdateMap")
            .WithSummary("Replace a map; stages and touchpoints sent with their id are kept (If-Match: stale → 412)")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapDelete("/{id:guid}", DeleteMap).WithName("DeleteMap").WithSummary("Delete a map").RequireAuthorization(Policies.EditMaps);

        maps.MapGet("/{id:guid}/stages/{stageId:guid}", GetStage).WithName("GetStage").WithSummary("Get one stage");
        maps.MapPost("/{id:guid}/stages", AddStage).WithName("AddStage").WithSummary("Add a stage (optionally at a position)")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapPut("/{id:guid}/stages/{stageId:guid}", UpdateStage).WithName("UpdateStage")
            .WithSummary("Rename, move or rewrite the lanes of a stage").RequireAuthorization(Policies.EditMaps);
        maps.MapDelete("/{id:guid}/stages/{stageId:guid}", DeleteStage).WithName("DeleteStage")
            .WithSummary("Delete a stage and its touchpoints").RequireAuthorization(Policies.EditMaps);

        maps.MapGet("/{id:guid}/touchpoints/{touchpointId:guid}", GetTouchpoint).WithName("GetTouchpoint").WithSummary("Get one touchpoint");
        maps.MapPost("/{id:guid}/stages/{stageId:guid}/touchpoints", AddTouchpoint).WithName("AddTouchpoint")
            .WithSummary("Add a touchpoint to a stage").RequireAuthorization(Policies.EditMaps);
        maps.MapPut("/{id:guid}/touchpoints/{touchpointId:guid}", UpdateTouchpoint).WithName("UpdateTouchpoint")
            .WithSummary("Change a touchpoint or move it to another stage (stageId)").RequireAuthorization(Policies.EditMaps);
        maps.MapDelete("/{id:guid}/touchpoints/{touchpointId:guid}", DeleteTouchpoint).WithName("DeleteTouchpoint")
            .WithSummary("Delete a touchpoint").RequireAuthorization(Policies.EditMaps);

        return app;
    }

    private static async Task<Ok<List<MapSummary>>> ListMaps(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var maps = await db.Maps.AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId)
            .OrderBy(m => m.Name)
            .Select(m => new MapSummary(m.Id, m.Name, m.Goal, m.Template, m.Stages.Count,
                db.Touchpoints.Count(t => t.MapId == m.Id), m.Version, m.UpdatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(maps);
    }

    private static async Task<Results<Created<MapResponse>, ValidationProblem>> CreateMap(
        MapDocument document, ClaimsPrincipal user, JourneyFeedbackDb db, HttpResponse response, CancellationToken ct)
    {
        var errors = MapValidation.Validate(document);
        ReadOnlyMembers.RefuseOnCreate(errors, document);
        await CheckPersonaSegmentAsync(db, user.WorkspaceId(), document, errors, ct);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var map = document.ToNewMap(user.WorkspaceId());
        db.Maps.Add(map);
        await db.SaveChangesAsync(ct);

        response.Headers.ETag = ETags.For(map.Version);
        return TypedResults.Created($"/api/maps/{map.Id}", map.ToResponse());
    }

    private static async Task<Results<Ok<MapResponse>, NotFound, StatusCodeHttpResult>> GetMap(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps.AsNoTracking(), user.WorkspaceId(), id, ct);
        if (map is null) return TypedResults.NotFound();
        if (ETags.IfNoneMatchHits(http.Request, map.Version)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        http.Response.Headers.ETag = ETags.For(map.Version);
        return TypedResults.Ok(map.ToResponse());
    }

    private static async Task<Results<Ok<MapResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateMap(
        Guid id, MapDocument document, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        if (map is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        var errors = MapValidation.Validate(document);
        ReadOnlyMembers.CheckReplacement(errors, document, map);
        await CheckPersonaSegmentAsync(db, user.WorkspaceId(), document, errors, ct);
        var before = TouchpointIds(map);
        if (errors.IsEmpty) ReplaceMap(db, map, document, errors);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        before.ExceptWith(TouchpointIds(map));
        return await SaveEdit(db, map, http, ct, before) ? TypedResults.Ok(map.ToResponse()) : StaleWrite(map.Version);
    }

    /// <summary>A persona bound to a segment names one of the workspace's saved segments.</summary>
    private static async Task CheckPersonaSegmentAsync(JourneyFeedbackDb db, Guid workspaceId, MapDocument document, ValidationErrors errors, CancellationToken ct)
    {
        if (document.Persona?.SegmentId is { } segmentId && !await db.Segments.AnyAsync(s => s.Id == segmentId && s.WorkspaceId == workspaceId, ct))
            errors.Add("persona.segmentId", $"There is no segment {segmentId} in this workspace (see GET /api/segments).");
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteMap(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, HttpRequest request, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var map = await db.Maps.FirstOrDefaultAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct);
        if (map is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(request, map.Version)) return StaleWrite(map.Version);

        db.Maps.Remove(map);
        await db.SaveChangesAsync(ct);
        await EvidenceDetach.FromMapAsync(db, id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<StageResponse>, NotFound>> GetStage(
        Guid id, Guid stageId, ClaimsPrincipal user, JourneyFeedbackDb db, HttpResponse response, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps.AsNoTracking(), user.WorkspaceId(), id, ct);
        var stage = map?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (stage is null) return TypedResults.NotFound();
        response.Headers.ETag = ETags.For(map!.Version);
        return TypedResults.Ok(stage.ToResponse());
    }

    private static async Task<Results<Created<StageResponse>, NotFound, ValidationProblem, ProblemHttpResult>> AddStage(
        Guid id, AddStageRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        if (map is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        var errors = new ValidationErrors();
        MapValidation.ValidateStage(errors, "", request.Name, request.Lanes, request.Touchpoints);
        ReadOnlyMembers.CheckNewStage(errors, request.Touchpoints);
        if (!string.IsNullOrWhiteSpace(request.Name) && map.Stages.Any(s => SameName(s.Name, request.Name)))
            errors.Add("name", $"A stage named '{request.Name.Trim()}' already exists in this map.");
        if (map.Stages.Count >= MapRules.MaxStages) errors.Add("stages", $"A map has at most {MapRules.MaxStages} stages.");
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var stage = MapMapping.NewStage(map, request.Name!, request.Lanes, request.Touchpoints, position: int.MaxValue);
        db.Stages.Add(stage);
        var ordered = map.Stages.OrderBy(s => s.Position).Where(s => s != stage).ToList();
        ordered.Insert(Math.Clamp(request.Position ?? ordered.Count, 0, ordered.Count), stage);
        Renumber(ordered);

        return await SaveEdit(db, map, http, ct)
            ? TypedResults.Created($"/api/maps/{map.Id}/stages/{stage.Id}", stage.ToResponse())
            : StaleWrite(map.Version);
    }

    private static async Task<Results<Ok<StageResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateStage(
        Guid id, Guid stageId, UpdateStageRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        var stage = map?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (map is null || stage is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        var errors = new ValidationErrors();
        MapValidation.ValidateStage(errors, "", request.Name, request.Lanes, touchpoints: null, nameRequired: false);
        ReadOnlyMembers.CheckStageEdit(errors, request, stage);
        if (!string.IsNullOrWhiteSpace(request.Name) && map.Stages.Any(s => s != stage && SameName(s.Name, request.Name)))
            errors.Add("name", $"A stage named '{request.Name.Trim()}' already exists in this map.");
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        if (!string.IsNullOrWhiteSpace(request.Name)) stage.Name = request.Name.Trim();
        if (request.Lanes is not null) stage.Lanes = MapMapping.ToLanes(request.Lanes);
        if (request.Position is { } position)
        {
            var ordered = map.Stages.OrderBy(s => s.Position).Where(s => s != stage).ToList();
            ordered.Insert(Math.Clamp(position, 0, ordered.Count), stage);
            Renumber(ordered);
        }

        return await SaveEdit(db, map, http, ct) ? TypedResults.Ok(stage.ToResponse()) : StaleWrite(map.Version);
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteStage(
        Guid id, Guid stageId, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        var stage = map?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (map is null || stage is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        db.Stages.Remove(stage);
        Renumber(map.Stages.Where(s => s != stage).OrderBy(s => s.Position).ToList());
        return await SaveEdit(db, map, http, ct, stage.Touchpoints.Select(t => t.Id).ToList()) ? TypedResults.NoContent() : StaleWrite(map.Version);
    }

    private static async Task<Results<Ok<TouchpointResponse>, NotFound>> GetTouchpoint(
        Guid id, Guid touchpointId, ClaimsPrincipal user, JourneyFeedbackDb db, HttpResponse response, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps.AsNoTracking(), user.WorkspaceId(), id, ct);
        var touchpoint = map?.Stages.SelectMany(s => s.Touchpoints).FirstOrDefault(t => t.Id == touchpointId);
        if (touchpoint is null) return TypedResults.NotFound();
        response.Headers.ETag = ETags.For(map!.Version);
        return TypedResults.Ok(touchpoint.ToResponse());
    }

    private static async Task<Results<Created<TouchpointResponse>, NotFound, ValidationProblem, ProblemHttpResult>> AddTouchpoint(
        Guid id, Guid stageId, TouchpointRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        var stage = map?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (map is null || stage is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        var errors = new ValidationErrors();
        MapValidation.ValidateTouchpoint(errors, "", request.Name, request.Channel, request.Phase, request.Description, request.Keywords,
            keywordsByLanguage: request.KeywordsByLanguage);
        if (request.StageId is { } otherStage && otherStage != stageId)
            errors.Add("stageId", "Must match the stage in the URL (or be omitted).");
        if (request.Id is not null) errors.Add("id", "Assigned by the server; leave it out to add a touchpoint.");
        if (!string.IsNullOrWhiteSpace(request.Name) && stage.Touchpoints.Any(t => SameName(t.Name, request.Name)))
            errors.Add("name", $"A touchpoint named '{request.Name.Trim()}' already exists in this stage.");
        if (stage.Touchpoints.Count >= MapRules.MaxTouchpointsPerStage)
            errors.Add("touchpoints", $"A stage has at most {MapRules.MaxTouchpointsPerStage} touchpoints.");
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var document = new TouchpointDocument(request.Name, request.Channel, request.Phase, request.Description, request.Keywords,
            KeywordsByLanguage: request.KeywordsByLanguage);
        var touchpoint = MapMapping.NewTouchpoint(stage, document, position: int.MaxValue);
        db.Touchpoints.Add(touchpoint);
        var ordered = stage.Touchpoints.Where(t => t != touchpoint).OrderBy(t => t.Position).ToList();
        ordered.Insert(Math.Clamp(request.Position ?? ordered.Count, 0, ordered.Count), touchpoint);
        Renumber(ordered);

        return await SaveEdit(db, map, http, ct)
            ? TypedResults.Created($"/api/maps/{map.Id}/touchpoints/{touchpoint.Id}", touchpoint.ToResponse())
            : StaleWrite(map.Version);
    }

    private static async Task<Results<Ok<TouchpointResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateTouchpoint(
        Guid id, Guid touchpointId, TouchpointRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        var touchpoint = map?.Stages.SelectMany(s => s.Touchpoints).FirstOrDefault(t => t.Id == touchpointId);
        if (map is null || touchpoint is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        var errors = new ValidationErrors();
        MapValidation.ValidateTouchpoint(errors, "", request.Name, request.Channel, request.Phase, request.Description, request.Keywords, nameRequired: false,
            request.KeywordsByLanguage);
        ReadOnlyMembers.CheckTouchpointEdit(errors, request, touchpoint);
        var source = map.Stages.First(s => s.Id == touchpoint.StageId);
        var target = request.StageId is { } stageId ? map.Stages.FirstOrDefault(s => s.Id == stageId) : source;
        if (target is null) errors.Add("stageId", "No stage with this id in this map.");
        var newName = string.IsNullOrWhiteSpace(request.Name) ? touchpoint.Name : request.Name.Trim();
        if (target is not null && target.Touchpoints.Any(t => t != touchpoint && SameName(t.Name, newName)))
            errors.Add("name", $"A touchpoint named '{newName}' already exists in the target stage.");
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        // Omitted fields keep their value; an explicit empty string clears an optional field.
        touchpoint.Apply(new TouchpointDocument(
            newName,
            request.Channel is null ? touchpoint.Channel : request.Channel,
            request.Phase is null ? touchpoint.Phase : request.Phase,
            request.Description is null ? touchpoint.Description : request.Description,
            request.Keywords ?? touchpoint.Keywords,
            KeywordsByLanguage: request.KeywordsByLanguage ?? touchpoint.KeywordsByLanguage.ToDocument()));

        if (target != source || request.Position is not null)
        {
            source.Touchpoints.Remove(touchpoint);
            touchpoint.StageId = target!.Id;
            var ordered = target.Touchpoints.Where(t => t != touchpoint).OrderBy(t => t.Position).ToList();
            ordered.Insert(Math.Clamp(request.Position ?? ordered.Count, 0, ordered.Count), touchpoint);
            target.Touchpoints.Add(touchpoint);
            Renumber(ordered);
            Renumber(source.Touchpoints.OrderBy(t => t.Position).ToList());
        }

        return await SaveEdit(db, map, http, ct) ? TypedResults.Ok(touchpoint.ToResponse()) : StaleWrite(map.Version);
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteTouchpoint(
        Guid id, Guid touchpointId, ClaimsPrincipal user, JourneyFeedbackDb db, HttpContext http, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps, user.WorkspaceId(), id, ct);
        var stage = map?.Stages.FirstOrDefault(s => s.Touchpoints.Any(t => t.Id == touchpointId));
        if (map is null || stage is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http.Request, map.Version)) return StaleWrite(map.Version);

        var touchpoint = stage.Touchpoints.First(t => t.Id == touchpointId);
        db.Touchpoints.Remove(touchpoint);
        Renumber(stage.Touchpoints.Where(t => t != touchpoint).OrderBy(t => t.Position).ToList());
        return await SaveEdit(db, map, http, ct, [touchpoint.Id]) ? TypedResults.NoContent() : StaleWrite(map.Version);
    }

    /// <summary>
    /// PUT semantics: the document replaces the map. Stages and touchpoints sent with an id keep that id
    /// (evidence attached to them stays attached); those left out are deleted; those without id are created.
    /// </summary>
    private static void ReplaceMap(JourneyFeedbackDb db, JourneyMap map, MapDocument document, ValidationErrors errors)
    {
        var stagesById = map.Stages.ToDictionary(s => s.Id);
        var touchpointsById = map.Stages.SelectMany(s => s.Touchpoints).ToDictionary(t => t.Id);
        var stageDocs = document.Stages ?? [];
        var seenStages = new HashSet<Guid>();
        var seenTouchpoints = new HashSet<Guid>();
        for (var i = 0; i < stageDocs.Count; i++)
        {
            if (stageDocs[i].Id is { } sid && (!stagesById.ContainsKey(sid) || !seenStages.Add(sid)))
                errors.Add($"stages[{i}].id", "Not a stage of this map (or listed twice); omit the id to create a new stage.");
            var touchpointDocs = stageDocs[i].Touchpoints ?? [];
            for (var j = 0; j < touchpointDocs.Count; j++)
                if (touchpointDocs[j].Id is { } tid && (!touchpointsById.ContainsKey(tid) || !seenTouchpoints.Add(tid)))
                    errors.Add($"stages[{i}].touchpoints[{j}].id", "Not a touchpoint of this map (or listed twice); omit the id to create a new one.");
        }
        if (!errors.IsEmpty) return;

        map.Name = document.Name!.Trim();
        map.Goal = MapMapping.Clean(document.Goal);
        map.Template = MapMapping.Clean(document.Template) ?? MapRules.DefaultTemplate;
        map.Persona = MapMapping.ToPersona(document.Persona);

        for (var i = 0; i < stageDocs.Count; i++)
        {
            var stageDoc = stageDocs[i];
            Stage stage;
            if (stageDoc.Id is { } sid)
            {
                stage = stagesById[sid];
                stage.Name = stageDoc.Name!.Trim();
                stage.Lanes = MapMapping.ToLanes(stageDoc.Lanes);
                stage.Position = i;
            }
            else
            {
                stage = MapMapping.NewStage(map, stageDoc.Name!, stageDoc.Lanes, touchpoints: null, i);
                db.Stages.Add(stage);
            }

            var touchpointDocs = stageDoc.Touchpoints ?? [];
            for (var j = 0; j < touchpointDocs.Count; j++)
            {
                if (touchpointDocs[j].Id is { } tid)
                {
                    var touchpoint = touchpointsById[tid];
                    touchpoint.Apply(touchpointDocs[j]);
                    touchpoint.StageId = stage.Id;
                    touchpoint.Position = j;
                }
                else
                {
                    db.Touchpoints.Add(MapMapping.NewTouchpoint(stage, touchpointDocs[j], j));
                }
            }
        }

        // Register moved touchpoints before deleting stages, so a cascade cannot take a touchpoint that moved away.
        db.ChangeTracker.DetectChanges();
        foreach (var touchpoint in touchpointsById.Values.Where(t => !seenTouchpoints.Contains(t.Id)))
            db.Touchpoints.Remove(touchpoint);
        foreach (var stage in stagesById.Values.Where(s => !seenStages.Contains(s.Id)))
            db.Stages.Remove(stage);
    }

    private static HashSet<Guid> TouchpointIds(JourneyMap map) => map.Stages.SelectMany(s => s.Touchpoints).Select(t => t.Id).ToHashSet();

    /// <summary>
    /// Bumps the map version and saves; false when another writer saved first (the caller answers 412). Items of
    /// removed touchpoints go back to the matcher's queue, so they land on what the map has now.
    /// </summary>
    private static async Task<bool> SaveEdit(JourneyFeedbackDb db, JourneyMap map, HttpContext http, CancellationToken ct,
        IReadOnlyCollection<Guid>? removedTouchpoints = null)
    {
        map.Version++;
        map.UpdatedAt = DateTime.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The map before its items (removed touchpoints' items are set free by cascade), as every writer of items.
        await EvidenceVersionTriggers.LockMapsAsync(db, [map.Id], ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        if (removedTouchpoints is { Count: > 0 }) await EvidenceDetach.FromTouchpointsAsync(db, map.Id, removedTouchpoints, ct);
        await transaction.CommitAsync(ct);
        http.Response.Headers.ETag = ETags.For(map.Version);
        return true;
    }

    private static ProblemHttpResult StaleWrite(int currentVersion) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "The map has changed since you read it",
        detail: $"If-Match does not match the current version {ETags.For(currentVersion)}. Read the map again and reapply your change.");

    private static void Renumber(IReadOnlyList<Stage> stages)
    {
        for (var i = 0; i < stages.Count; i++) stages[i].Position = i;
    }

    private static void Renumber(IReadOnlyList<Touchpoint> touchpoints)
    {
        for (var i = 0; i < touchpoints.Count; i++) touchpoints[i].Position = i;
    }

    private static bool SameName(string a, string? b) => string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
}
