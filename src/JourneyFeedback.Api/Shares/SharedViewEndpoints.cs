using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Insights;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Shares;

/// <summary>
/// The public side of a share link: <c>/v/{token}</c> serves the map view and <c>/v/{token}/export</c> its downloads,
/// without an API key, rate-limited per address like survey links. A link that cannot be used answers without saying
/// anything about the map behind it.
/// </summary>
internal static class SharedViewEndpoints
{
    private sealed record ShareRow(Guid WorkspaceId, Guid MapId, string? Segment, DateTime? ExpiresAt);

    private static readonly Func<JourneyFeedbackDb, string, CancellationToken, Task<ShareRow?>> FindShare =
        EF.CompileAsyncQuery((JourneyFeedbackDb db, string tokenHash, CancellationToken ct) =>
            db.Shares.AsNoTracking().Where(s => s.TokenHash == tokenHash)
                .Select(s => new ShareRow(s.WorkspaceId, s.MapId, s.Segment, s.ExpiresAt)).FirstOrDefault());

    public static IEndpointRouteBuilder MapSharedViews(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/v").WithTags("Shared map views (public)").AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Public).AddEndpointFilter(PrivateResponse);
        links.MapGet("/{token}", View).WithName("ViewSharedMap")
            .WithSummary("The map view behind a share link (HTML), in the link's segment")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        links.MapGet("/{token}/export", Export).WithName("ExportSharedMap")
            .WithSummary("The shared map's downloads: csv (one row per item, Excel-safe) or markdown (md); without format, by Accept (CSV by default)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: "text/markdown")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        return app;
    }

    private static async Task<IResult> View(string token, [AsParameters] MapReaders readers, HttpRequest request, CancellationToken ct)
    {
        var (share, refusal) = await OpenAsync(token, readers, ct);
        if (share is null) return refusal!;
        var downloads = MapExports.DownloadLinks(request, $"/v/{Uri.EscapeDataString(token)}/export", []);
        var page = await MapExports.RenderViewAsync(readers, share.WorkspaceId, share.MapId, new MapSelectionQuery(Segment: share.Segment), downloads, ct);
        return Served(page.Result);
    }

    private static async Task<IResult> Export(string token, [AsParameters] MapReaders readers, HttpResponse response, CancellationToken ct,
        string? format = null)
    {
        var (chosen, formatProblem) = ExportFormats.Choose(format, response.HttpContext.Request, ExportFormats.Csv, ExportFormats.Markdown);
        if (chosen is null) return formatProblem!;
        var (share, refusal) = await OpenAsync(token, readers, ct);
        if (share is null) return refusal!;
        return Served(await MapExports.ExportAsync(readers, response, share.WorkspaceId, share.MapId, chosen, new MapSelectionQuery(Segment: share.Segment), ct));
    }

    private static async Task<(ShareRow? Share, IResult? Refusal)> OpenAsync(string token, MapReaders readers, CancellationToken ct)
    {
        var share = ShareTokens.LooksLikeOne(token) ? await FindShare(readers.Db, ShareTokens.Hash(token), ct) : null;
        if (share is null) return (null, NotFound());
        if (share.ExpiresAt <= readers.Clock.GetUtcNow().UtcDateTime)
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Share link expired",
                detail: "This link has expired. Ask whoever sent it for a new one."));
        return (share, null);
    }

    /// <summary>
    /// What the view or export answered, unless it is a refusal: the map behind a link was deleted, or its saved segment
    /// was, and a visitor learns no more from that than from a revoked link.
    /// </summary>
    private static IResult Served(IResult result) =>
        result is IStatusCodeHttpResult { StatusCode: >= 400 } ? NotFound() : result;

    private static ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Share link not found",
        detail: "This link does not exist or was revoked. Check that it was copied completely.");

    /// <summary>
    /// The token is in the address: no referrer leaves the page, no cache or search engine keeps it, and the page may
    /// load nothing but its own inline styles and images (it has no scripts).
    /// </summary>
    private static ValueTask<object?> PrivateResponse(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return next(context);
    }
}
