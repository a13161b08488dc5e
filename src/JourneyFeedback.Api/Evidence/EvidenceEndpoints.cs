using System.Security.Claims;
using System.Text.Json;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>Where an item came from: an import file line, or a survey answer and its invitation.</summary>
public sealed record EvidenceOrigin(string Type, Guid? ImportId, string? FileName, long? LineNumber, Guid? SurveyId, Guid? SurveyAnswerId, string? InvitationRef);

/// <summary>What the models said about an item, and which versions said it; null until analysed.</summary>
public sealed record EvidenceAnalysis(
    string? Sentiment, IReadOnlyDictionary<string, double?> SentimentScores, JsonElement? Emotions, string? PainPoint, JsonElement? PainPoints,
    JsonElement? KeyPhrases, string? Language, bool LowConfidence, string? ModelVersion, DateTime? AnalyzedAt,
    IReadOnlyList<string> Corrected);

public sealed record EvidenceItem(
    Guid Id, string Kind, string Text, string? CustomerId, string? ExternalId, DateTime OccurredAt, string? Channel, string? Source,
    double? Rating, double? RatingScale, string? Title, string? Language, string? Participant, string? Question,
    IReadOnlyDictionary<string, string>? Metadata, Guid? MapId, Guid? TouchpointId, string? MatchReason, double? MatchConfidence,
    EvidenceOrigin Origin, EvidenceAnalysis? Analysis);

public sealed record EvidencePage(int Page, int PageSize, int Total, IReadOnlyList<EvidenceItem> Items);

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
        return app;
    }

    private static async Task<Results<Ok<EvidencePage>, ProblemHttpResult>> ListEvidence(
        ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct,
        Guid? importId = null, string? kind = null, string? source = null, string? customerId = null,
        DateTime? from = null, DateTime? to = null, string? q = null, int page = 1, int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Problem(page, pageSize) is { } pagingProblem) return pagingProblem;
        if (q is { Length: > 200 }) return Problems.BadRequest("q", "At most 200 characters.");

        var workspaceId = user.WorkspaceId();
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

        var total = await items.CountAsync(ct);
        var rows = await items.OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Id)
            .Page(page, pageSize).WithImportFileName(db).ToListAsync(ct);
        return TypedResults.Ok(new EvidencePage(page, pageSize, total, rows.Select(r => ToEvidence(r.Item, r.FileName)).ToList()));
    }

    internal static EvidenceItem ToEvidence(FeedbackItem f, string? fileName) => new(
        f.Id, f.Kind, f.Text, f.CustomerId, f.ExternalId, f.OccurredAt, f.Channel, f.Source, f.Rating, f.RatingScale, f.Title, f.Language,
        f.Participant, f.Question,
        f.Metadata is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(f.Metadata),
        f.MapId, f.TouchpointId, f.MatchReason, f.MatchConfidence,
        f.ImportId is not null
            ? new EvidenceOrigin("import", f.ImportId, fileName, f.LineNumber, null, null, null)
            : new EvidenceOrigin("survey", null, null, null, f.SurveyId, f.SurveyAnswerId, f.InvitationRef),
        f.AnalyzedAt is null && f.CorrectedAt is null ? null : new EvidenceAnalysis(
            f.Sentiment,
            new Dictionary<string, double?> { ["negative"] = f.SentimentNegative, ["neutral"] = f.SentimentNeutral, ["positive"] = f.SentimentPositive },
            Json(f.Emotions), f.PainPoint, Json(f.PainPoints), Json(f.KeyPhrases), f.DetectedLanguage, f.LowConfidence, f.ModelVersion, f.AnalyzedAt,
            new[] { (f.SentimentCorrected, "sentiment"), (f.EmotionsCorrected, "emotions"), (f.PainPointCorrected, "painPoint") }
                .Where(c => c.Item1).Select(c => c.Item2).ToList()));

    private static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
