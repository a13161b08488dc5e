using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Segments;

internal static class SegmentsEndpoints
{
    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        var segments = app.MapGroup("/segments").WithTags("Segments").RequireAuthorization(Policies.Read);
        segments.MapGet("/", List).WithName("ListSegments").WithSummary("List the workspace's saved segments");
        segments.MapGet("/{id:guid}", Get).WithName("GetSegment").WithSummary("Get a saved segment");
        segments.MapPost("/", Create).WithName("CreateSegment")
            .WithSummary("Save a named segment: a filter over customer attributes and item fields, e.g. plan = pro AND country IN (PL, RO)")
            .RequireAuthorization(Policies.EditSegments);
        segments.MapPut("/{id:guid}", Update).WithName("UpdateSegment").WithSummary("Rename a segment or change its expression")
            .RequireAuthorization(Policies.EditSegments);
        segments.MapDelete("/{id:guid}", Delete).WithName("DeleteSegment")
            .WithSummary("Delete a segment (409 while a map's persona is bound to it)").RequireAuthorization(Policies.EditSegments);
        return app;
    }

    private static async Task<Ok<List<SegmentResponse>>> List(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var saved = await db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.Name)
            .Select(s => new SegmentResponse(s.Id, s.Name, s.Description, s.Expression, s.CreatedAt, s.UpdatedAt)).ToListAsync(ct);
        return TypedResults.Ok(saved);
    }

    private static async Task<Results<Ok<SegmentResponse>, NotFound>> Get(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var saved = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        return saved is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(saved));
    }

    private static async Task<Results<Created<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Create(
        SegmentRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var (expression, errors) = Validate(request);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());
        var name = request.Name!.Trim();
        if (await db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Name == name, ct)) return NameTaken(name);
        var saved = new SavedSegment
        {
            WorkspaceId = workspaceId, Name = name, Description = Maps.MapMapping.Clean(request.Description), Expression = expression!.ToString(),
        };
        db.Segments.Add(saved);
        if (!await SaveAsync(db, ct)) return NameTaken(name);
        return TypedResults.Created($"/api/segments/{saved.Id}", ToResponse(saved));
    }

    private static async Task<Results<Ok<SegmentResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, SegmentRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var saved = await db.Segments.FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (saved is null) return TypedResults.NotFound();
        var (expression, errors) = Validate(request);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());
        var name = request.Name!.Trim();
        if (await db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Name == name && s.Id != id, ct)) return NameTaken(name);
        (saved.Name, saved.Description, saved.Expression, saved.UpdatedAt) = (name, Maps.MapMapping.Clean(request.Description), expression!.ToString(), DateTime.UtcNow);
        if (!await SaveAsync(db, ct)) return NameTaken(name);
        return TypedResults.Ok(ToResponse(saved));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var saved = await db.Segments.FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (saved is null) return TypedResults.NotFound();
        // Personas live in the maps' JSON column: read the workspace's maps (a handful) rather than query inside JSON.
        var bound = (await db.Maps.AsNoTracking().Where(m => m.WorkspaceId == workspaceId).Select(m => new { m.Name, m.Persona }).ToListAsync(ct))
            .Where(m => m.Persona.SegmentId == id).Select(m => m.Name).ToList();
        if (bound.Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The segment is a map's persona.",
                detail: $"Unbind it from the persona of {string.Join(", ", bound.Select(n => $"'{n}'"))} first.");
        db.Segments.Remove(saved);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static (SegmentExpression? Expression, ValidationErrors Errors) Validate(SegmentRequest request)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        errors.Text("description", request.Description, 2000);
        SegmentExpression? expression = null;
        if (string.IsNullOrWhiteSpace(request.Expression)) errors.Add("expression", "Required, e.g. plan = pro AND country IN (PL, RO).");
        else if ((expression = SegmentExpression.TryParse(request.Expression, out var error)) is null) errors.Add("expression", error!);
        return (expression, errors);
    }

    private static ProblemHttpResult NameTaken(string name) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "A segment with this name exists.", detail: $"The workspace already has a segment named '{name}'.");

    /// <summary>False when a concurrent request took the name first (the unique index decides).</summary>
    private static async Task<bool> SaveAsync(JourneyFeedbackDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private static SegmentResponse ToResponse(SavedSegment s) => new(s.Id, s.Name, s.Description, s.Expression, s.CreatedAt, s.UpdatedAt);
}

internal static class SegmentsServiceCollectionExtensions
{
    public static IServiceCollection AddSegments(this IServiceCollection services)
    {
        services.AddSingleton<CustomerDirectoryCache>();
        services.AddScoped<SegmentResolver>();
        return services;
    }
}
