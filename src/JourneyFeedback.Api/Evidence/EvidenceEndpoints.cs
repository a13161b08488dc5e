using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

internal static class EvidenceEndpoints
{
    public static IEndpointRouteBuilder MapEvidence(this IEndpointRouteBuilder app)
    {
        var evidence = app.MapGroup("/evidence").WithTags("Evidence").RequireAuthorization(Policies.Read);
        evidence.MapGet("/", ListEvidence).WithName("ListEvidence")
            .WithSummary("Feedback items with their origin; filter by import, kind, source, customer, date range and text");
        evidence.MapPatch("/{id:guid}", EvidenceCorrections.Correct).WithName("CorrectEvidence")
            .WithSummary("Correct sentiment, emotions or pain-point category by hand; models never overwrite a correction")
            .RequireAuthorization(Policies.EditMaps);
        // On the map's path (it acts on the map), with the evidence it moves.
        app.MapPost("/maps/{id:guid}/evidence", EvidenceAttach.AttachToMap).WithTags("Evidence").WithName("AttachEvidenceToMap")
            .WithSummary("Put stored items that are on no map yet onto this map (by importId, kind, source, from/to, or all) and queue them for matching")
            .RequireAuthorization(Policies.EditMaps);
        return app;
    }

    private static async Task<Results<Ok<EvidencePage>, ProblemHttpResult>> ListEvidence(
        ClaimsPrincipal user, JourneyFeedbackDb db, Segments.SegmentResolver segments, CancellationToken ct,
        Guid? importId = null, string? kind = null, string? source = null, string? customerId = null,
        DateTime? from = null, DateTime? to = null, string? q = null, string? segment = null, int page = 1, int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Problem(page, pageSize) is { } pagingProblem) return pagingProblem;
        if (q is { Length: > 200 }) return Problems.BadRequest("q", "At most 200 characters.");

        var workspaceId = user.WorkspaceId();
        var (inSegment, segmentProblem) = await segments.ResolveAsync(workspaceId, segment, ct);
        if (segmentProblem is not null) return segmentProblem;
        var items = db.FeedbackItems.AsNoTracking().Where(f => f.WorkspaceId == workspaceId);
        if (importId is not null) items = items.Where(f => f.ImportId == importId);
        if (!string.IsNullOrWhiteSpace(kind)) items = items.Where(f => f.Kind == kind);
        if (!string.IsNullOrWhiteSpace(source)) items = items.Where(f => f.Source == source);
        if (!string.IsNullOrWhiteSpace(customerId)) items = items.Where(f => f.CustomerId == customerId);
        var window = DateWindow.FromQuery(from, to);
        if (window.From is { } start) items = items.Where(f => f.OccurredAt >= start);
        if (window.To is { } end) items = items.Where(f => f.OccurredAt < end);
        // lower() + LIKE is portable (SQLite and PostgreSQL); the StringComparison overload has no SQL translation.
#pragma warning disable CA1862
        if (!string.IsNullOrWhiteSpace(q)) { var text = q.Trim().ToLowerInvariant(); items = items.Where(f => f.Text.ToLower().Contains(text)); }
#pragma warning restore CA1862

        var ordered = items.OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Id);
        if (inSegment is not null)
        {
            // The segment is judged in memory on the few columns it reads, then the page is loaded by id.
            var candidates = await ordered.Select(f => new { f.Id, f.Kind, f.Source, f.Channel, f.DetectedLanguage, f.CustomerId }).ToListAsync(ct);
            var mask = inSegment.MaskRows(candidates.Count, field => field switch
            {
                "kind" => i => candidates[i].Kind,
                "source" => i => candidates[i].Source,
                "channel" => i => candidates[i].Channel,
                "language" => i => candidates[i].DetectedLanguage,
                _ => null,
            }, i => candidates[i].CustomerId);
            var selected = candidates.Where((_, i) => mask[i]).ToList();
            var pageIds = selected.Skip(Paging.Skip(page, pageSize)).Take(pageSize).Select(c => c.Id).ToList();
            var pageItems = await EvidenceProjection.ByIdsAsync(db, pageIds, ct);
            return TypedResults.Ok(new EvidencePage(page, pageSize, selected.Count, pageItems));
        }
        var total = await items.CountAsync(ct);
        var rows = await ordered.Page(page, pageSize).WithImportFileName(db).ToListAsync(ct);
        return TypedResults.Ok(new EvidencePage(page, pageSize, total, rows.Select(r => EvidenceProjection.ToEvidence(r.Item, r.FileName)).ToList()));
    }
}
