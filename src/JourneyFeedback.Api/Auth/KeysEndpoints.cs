using System.Security.Claims;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Auth;

public sealed record CreateKeyRequest(string? Name, string? Role);

public sealed record KeyResponse(Guid Id, string Name, string Role, string Prefix, bool IsBootstrap, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>A new key. <c>key</c> is shown here once and cannot be read again.</summary>
public sealed record CreatedKeyResponse(Guid Id, string Name, string Role, string Prefix, string Key, DateTime CreatedAt);

internal static class KeysEndpoints
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/keys").WithTags("API keys").RequireAuthorization(Policies.ManageKeys);
        keys.MapGet("/", ListKeys).WithName("ListKeys").WithSummary("List the workspace's API keys (never the keys themselves)");
        keys.MapPost("/", CreateKey).WithName("CreateKey").WithSummary("Create an API key; the key is returned once");
        keys.MapDelete("/{id:guid}", RevokeKey).WithName("RevokeKey").WithSummary("Revoke an API key");
        return app;
    }

    private static async Task<Ok<List<KeyResponse>>> ListKeys(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.WorkspaceId == workspaceId)
            .OrderBy(k => k.CreatedAt)
            .Select(k => new KeyResponse(k.Id, k.Name, k.Role, k.Prefix, k.IsBootstrap, k.CreatedAt, k.RevokedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(keys);
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem>> CreateKey(
        CreateKeyRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        errors.OneOf("role", request.Role, Roles.All, required: true);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (key, secret) = ApiKey.Create(user.WorkspaceId(), request.Name!.Trim(), request.Role!.Trim());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/keys/{key.Id}", new CreatedKeyResponse(key.Id, key.Name, key.Role, key.Prefix, secret, key.CreatedAt));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RevokeKey(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.WorkspaceId == workspaceId, ct);
        if (key is null) return TypedResults.NotFound();
        if (key.IsBootstrap)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The bootstrap key cannot be revoked here",
                detail: "It is the instance administrator's key. Rotate it by changing Auth:BootstrapKey and restarting.");

        key.RevokedAt ??= DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
