using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Workspaces;

public sealed record CreateWorkspaceRequest(string? Name);

public sealed record WorkspaceResponse(Guid Id, string Name, bool IsDefault, DateTime CreatedAt);

/// <summary>The new workspace and its first admin key (shown once).</summary>
public sealed record CreatedWorkspaceResponse(Guid Id, string Name, DateTime CreatedAt, CreatedKeyResponse AdminKey);

/// <summary>Who the calling key is: its workspace, role and the workspace's settings.</summary>
public sealed record CurrentWorkspaceResponse(Guid Id, string Name, Guid KeyId, string Role, bool InstanceAdmin, bool RedactPersonalData);

/// <summary>Workspace settings; omitted fields stay as they are.</summary>
public sealed record UpdateWorkspaceRequest(string? Name = null, bool? RedactPersonalData = null);

internal static class WorkspacesEndpoints
{
    public static IEndpointRouteBuilder MapWorkspaces(this IEndpointRouteBuilder app)
    {
        var workspaces = app.MapGroup("/workspaces").WithTags("Workspaces");
        workspaces.MapGet("/current", GetCurrent).WithName("GetCurrentWorkspace")
            .WithSummary("The calling key's workspace and role").RequireAuthorization(Policies.Read);
        workspaces.MapPatch("/current", UpdateCurrent).WithName("UpdateCurrentWorkspace")
            .WithSummary("Rename the workspace or turn personal-data redaction of imports on/off (admin)").RequireAuthorization(Policies.ManageKeys);
        workspaces.MapGet("/", ListWorkspaces).WithName("ListWorkspaces")
            .WithSummary("All workspaces (instance administrator only)").RequireAuthorization(Policies.InstanceAdmin);
        workspaces.MapPost("/", CreateWorkspace).WithName("CreateWorkspace")
            .WithSummary("Create a workspace and its first admin key (instance administrator only)").RequireAuthorization(Policies.InstanceAdmin);
        return app;
    }

    private static async Task<Results<Ok<CurrentWorkspaceResponse>, NotFound>> GetCurrent(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (workspace is null) return TypedResults.NotFound();
        return TypedResults.Ok(Current(workspace, user));
    }

    private static async Task<Results<Ok<CurrentWorkspaceResponse>, NotFound, ValidationProblem>> UpdateCurrent(
        UpdateWorkspaceRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (workspace is null) return TypedResults.NotFound();
        var errors = new ValidationErrors();
        if (request.Name is not null) errors.Text("name", request.Name, 200, required: true);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        if (request.Name is not null) workspace.Name = request.Name.Trim();
        if (request.RedactPersonalData is { } redact) workspace.RedactPersonalData = redact;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Current(workspace, user));
    }

    private static CurrentWorkspaceResponse Current(Workspace workspace, ClaimsPrincipal user) =>
        new(workspace.Id, workspace.Name, user.KeyId(), user.FindFirstValue(ClaimTypes.Role)!, user.HasClaim(ApiClaims.InstanceAdmin, "true"),
            workspace.RedactPersonalData);

    private static async Task<Ok<List<WorkspaceResponse>>> ListWorkspaces(JourneyFeedbackDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Workspaces.AsNoTracking()
            .OrderBy(w => w.CreatedAt)
            .Select(w => new WorkspaceResponse(w.Id, w.Name, w.IsDefault, w.CreatedAt))
            .ToListAsync(ct));

    private static async Task<Results<Created<CreatedWorkspaceResponse>, ValidationProblem>> CreateWorkspace(
        CreateWorkspaceRequest request, JourneyFeedbackDb db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var workspace = new Workspace { Name = request.Name!.Trim() };
        var (key, secret) = ApiKey.Create(workspace.Id, "First admin key", Roles.Admin);
        db.Workspaces.Add(workspace);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);

        var adminKey = new CreatedKeyResponse(key.Id, key.Name, key.Role, key.Prefix, secret, key.CreatedAt);
        return TypedResults.Created($"/api/workspaces/{workspace.Id}", new CreatedWorkspaceResponse(workspace.Id, workspace.Name, workspace.CreatedAt, adminKey));
    }
}
