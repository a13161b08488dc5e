using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Segments;
using JourneyFeedback.Api.Surveys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Shares;

/// <summary>Authors create, list and revoke a map's share links; the links themselves are served by <see cref="SharedViewEndpoints"/>.</summary>
internal static class SharesEndpoints
{
    private const int MaxNameLength = 200;
    private const int MaxSegmentLength = 2000;

    public static IEndpointRouteBuilder MapShares(this IEndpointRouteBuilder app)
    {
        var shares = app.MapGroup("/maps/{id:guid}/shares").WithTags("Share links").RequireAuthorization(Policies.Read);
        shares.MapPost("/", Create).WithName("CreateShare")
            .WithSummary("Create a read-only link to the map's view (/v/{token}, no API key needed) with an optional expiry, segment and name; the token is shown once")
            .RequireAuthorization(Policies.EditMaps);
        shares.MapGet("/", List).WithName("ListShares").WithSummary("The map's share links, newest first (without tokens)");
        shares.MapDelete("/{shareId:guid}", Revoke).WithName("RevokeShare")
            .WithSummary("Revoke a share link: from now on it answers 404").RequireAuthorization(Policies.EditMaps);
        return app;
    }

    private static async Task<Results<Created<CreatedShare>, NotFound, ValidationProblem, ProblemHttpResult>> Create(
        Guid id, ShareRequest? request, ClaimsPrincipal user, HttpRequest http, JourneyFeedbackDb db, SegmentResolver segments,
        IOptions<SurveyOptions> surveyOptions, TimeProvider clock, CancellationToken ct)
    {
        request ??= new ShareRequest();
        var workspaceId = user.WorkspaceId();
        if (!await db.Maps.AnyAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct)) return TypedResults.NotFound();

        var now = Timestamps.ToMicroseconds(clock.GetUtcNow().UtcDateTime);
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, MaxNameLength);
        errors.Text("segment", request.Segment, MaxSegmentLength);
        var expiresAt = request.ExpiresAt is { } sent ? DateWindow.AsUtc(sent) : (DateTime?)null;
        if (expiresAt <= now) errors.Add("expiresAt", "Must be in the future (UTC when no offset is given); leave it out for a link that does not expire.");
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        // Checked now so a typo fails here, not for whoever opens the link; an expression is kept in its canonical form.
        var segment = string.IsNullOrWhiteSpace(request.Segment) ? null : request.Segment.Trim();
        if (segment is not null)
        {
            var (filter, problem) = await segments.ResolveAsync(workspaceId, segment, ct);
            if (problem is not null) return problem;
            segment = filter!.SavedId?.ToString() ?? filter.Text;
        }

        var token = ShareTokens.New();
        var share = new MapShare
        {
            WorkspaceId = workspaceId, MapId = id, TokenHash = ShareTokens.Hash(token), Name = Maps.MapMapping.Clean(request.Name), Segment = segment,
            ExpiresAt = expiresAt is { } e ? Timestamps.ToMicroseconds(e) : null, CreatedAt = now, CreatedBy = user.KeyId(),
        };
        db.Shares.Add(share);
        await db.SaveChangesAsync(ct);

        // Absolute, like survey links, so it can be pasted as is (Surveys:PublicBaseUrl when the API sits behind a proxy).
        var baseUrl = surveyOptions.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{http.Scheme}://{http.Host}{http.PathBase}";
        var url = $"{baseUrl}/v/{token}";
        return TypedResults.Created(url, new CreatedShare(share.Id, id, token, url, share.Name, share.Segment, share.ExpiresAt, share.CreatedAt, share.CreatedBy));
    }

    private static async Task<Results<Ok<List<ShareResponse>>, NotFound>> List(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        if (!await db.Maps.AnyAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct)) return TypedResults.NotFound();
        var shares = await db.Shares.AsNoTracking().Where(s => s.MapId == id && s.WorkspaceId == workspaceId)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new ShareResponse(s.Id, s.MapId, s.Name, s.Segment, s.ExpiresAt, s.CreatedAt, s.CreatedBy))
            .ToListAsync(ct);
        return TypedResults.Ok(shares);
    }

    private static async Task<Results<NoContent, NotFound>> Revoke(Guid id, Guid shareId, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        // Deleted rather than flagged: a revoked token then answers exactly like one that never existed.
        var deleted = await db.Shares.Where(s => s.Id == shareId && s.MapId == id && s.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
