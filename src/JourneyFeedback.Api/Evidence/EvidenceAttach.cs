using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Imports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// Puts stored items that are on no map onto a map, in one set-based update: the counterpart of <see cref="EvidenceDetach"/>.
/// Used by <c>POST /api/maps/{id}/evidence</c> and by re-imports with a map (their duplicates of items on no map).
/// </summary>
internal static class EvidenceAttach
{
    /// <summary>The kinds of feedback items (events and customers files store none).</summary>
    public static readonly string[] FeedbackKinds =
        ["survey", .. ImportKinds.All.Where(k => k is not (ImportKinds.Events or ImportKinds.Customers))];

    private const int MaxSourceLength = 200;

    /// <summary>
    /// Attaches the items of <paramref name="selection"/> that are on no map to <paramref name="mapId"/>; returns how many.
    /// They enter the matching worker's queue (MatchedAt = null) as a rematch's items do, and the evidence-version
    /// triggers stamp the rows and move the map on in this statement's transaction, so the map's insights pick them up.
    /// Items on a map, this one or another, are left as they are.
    /// </summary>
    public static async Task<int> ToMapAsync(JourneyFeedbackDb db, IQueryable<FeedbackItem> selection, Guid mapId, CancellationToken ct)
    {
        await EvidenceVersionTriggers.LockMapsAsync(db, [mapId], ct);
        var loose = selection.Where(f => f.MapId == null);
        // A deleted map leaves its items' embeddings and theme behind; the new map's semantic tier and theme refresh
        // judge the items afresh (within its own embedding budget).
        await db.ItemEmbeddings.Where(e => loose.Any(f => f.Id == e.ItemId)).ExecuteDeleteAsync(ct);
        return await loose.ExecuteUpdateAsync(u => u
            .SetProperty(f => f.MapId, (Guid?)mapId)
            .SetProperty(f => f.TouchpointId, (Guid?)null)
            .SetProperty(f => f.MatchReason, (string?)null)
            .SetProperty(f => f.MatchConfidence, (double?)null)
            .SetProperty(f => f.MatchedAt, (DateTime?)null)
            .SetProperty(f => f.ThemeId, (Guid?)null), ct);
    }

    /// <summary>
    /// <c>POST /api/maps/{id}/evidence</c>: the workspace's items chosen by import, kind, source and date range (the
    /// filters of <c>GET /api/evidence</c>, so a selection can be looked at first), or all of them, go onto the map when
    /// they are on no map yet. Counted and attached in one transaction, so the three numbers describe one moment.
    /// </summary>
    public static async Task<Results<Accepted<AttachEvidenceResponse>, NotFound, ValidationProblem>> AttachToMap(
        Guid id, AttachEvidenceRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        if (!await db.Maps.AnyAsync(m => m.Id == id && m.WorkspaceId == workspaceId, ct)) return TypedResults.NotFound();

        var errors = Validate(request, out var window);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (request.ImportId is { } importId)
        {
            var importKind = await db.Imports.Where(i => i.Id == importId && i.WorkspaceId == workspaceId).Select(i => i.Kind).FirstOrDefaultAsync(ct);
            if (importKind is null) return TypedResults.NotFound();
            if (importKind is ImportKinds.Events or ImportKinds.Customers)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["importId"] = [$"A {importKind} import stores no feedback items; choose an import of feedback ({string.Join(", ", FeedbackKinds.Skip(1))})."],
                });
        }

        var selection = db.FeedbackItems.Where(f => f.WorkspaceId == workspaceId);
        if (request.ImportId is { } import) selection = selection.Where(f => f.ImportId == import);
        if (request.Kind is { } kind) { kind = kind.Trim(); selection = selection.Where(f => f.Kind == kind); }
        if (request.Source is { } source) selection = selection.Where(f => f.Source == source);
        if (window.From is { } from) selection = selection.Where(f => f.OccurredAt >= from);
        if (window.To is { } to) selection = selection.Where(f => f.OccurredAt < to);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var onMaps = await selection.Where(f => f.MapId != null).GroupBy(f => f.MapId == id)
            .Select(g => new { ThisMap = g.Key, Count = g.Count() }).ToListAsync(ct);
        var attached = await ToMapAsync(db, selection, id, ct);
        await transaction.CommitAsync(ct);

        return TypedResults.Accepted($"/api/maps/{id}/insights", new AttachEvidenceResponse(attached,
            onMaps.Where(g => g.ThisMap).Sum(g => g.Count), onMaps.Where(g => !g.ThisMap).Sum(g => g.Count)));
    }

    private static ValidationErrors Validate(AttachEvidenceRequest request, out DateWindow window)
    {
        var errors = new ValidationErrors();
        var chosen = request.ImportId is not null || request.Kind is not null || request.Source is not null || request.From is not null || request.To is not null;
        // Every item on no map is a big step: it is asked for in so many words, never implied by an empty body.
        if (request.All == true && chosen)
            errors.Add("all", "Either \"all\": true or criteria (importId, kind, source, from, to), not both.");
        else if (request.All != true && !chosen)
            errors.Add("all", "Choose the items by importId, kind, source, from or to, or send \"all\": true for every item on no map.");

        if (request.Kind is not null && string.IsNullOrWhiteSpace(request.Kind)) errors.Add("kind", "Must not be empty; leave it out for every kind.");
        else errors.OneOf("kind", request.Kind, FeedbackKinds);
        if (request.Source is not null && string.IsNullOrWhiteSpace(request.Source)) errors.Add("source", "Must not be empty; leave it out for every source.");
        else errors.Text("source", request.Source, MaxSourceLength);

        window = DateWindow.FromQuery(request.From, request.To);
        if (window.EndsBeforeItStarts) errors.Add("to", "Must be after 'from' (a date without a time includes that whole day).");
        return errors;
    }
}
