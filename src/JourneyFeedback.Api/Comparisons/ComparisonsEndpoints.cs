using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Insights;
using JourneyFeedback.Api.Segments;
using JourneyFeedback.Api.Surveys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Comparisons;

internal static class ComparisonsEndpoints
{
    public static IEndpointRouteBuilder MapComparisons(this IEndpointRouteBuilder app)
    {
        app.MapGet("/maps/{id:guid}/compare", CompareMap).WithName("CompareMap").WithTags("Comparisons")
            .WithSummary("Is it getting better, and for whom: two periods (current, previous, segment) or two segments (a, b, period), per stage and touchpoint, with intervals and tests")
            .RequireAuthorization(Policies.Read);
        app.MapGet("/surveys/{id:guid}/compare", CompareSurvey).WithName("CompareSurvey").WithTags("Comparisons")
            .WithSummary("A survey's score (and attribution shares) in two periods or for two segments, with intervals and tests")
            .RequireAuthorization(Policies.Read);
        return app;
    }

    private static async Task<Results<Ok<MapComparison>, NotFound, ProblemHttpResult>> CompareMap(
        Guid id, ClaimsPrincipal user, MapInsightsBuilder builder, SegmentResolver segments, CancellationToken ct,
        string? current = null, string? previous = null, string? segment = null, string? a = null, string? b = null, string? period = null)
    {
        var loaded = await builder.LoadAsync(user.WorkspaceId(), id, ct);
        if (loaded is null) return TypedResults.NotFound();
        var (query, problem) = await ComparisonQuery.ReadAsync(segments, user.WorkspaceId(), current, previous, segment, a, b, period, ct);
        if (query is null) return problem!;
        var (map, evidence) = loaded;
        var scoresA = await builder.SurveyScoresAsync(map.Id, evidence.EvidenceVersion, query.A, ct);
        var scoresB = await builder.SurveyScoresAsync(map.Id, evidence.EvidenceVersion, query.B, ct);
        return TypedResults.Ok(ComparisonCalculator.Compare(map, evidence, query, scoresA, scoresB, loaded.PendingItems));
    }

    private static async Task<Results<Ok<SurveyComparison>, NotFound, ProblemHttpResult>> CompareSurvey(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, SegmentResolver segments, CancellationToken ct,
        string? current = null, string? previous = null, string? segment = null, string? a = null, string? b = null, string? period = null)
    {
        var workspaceId = user.WorkspaceId();
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (survey is null) return TypedResults.NotFound();
        var (query, problem) = await ComparisonQuery.ReadAsync(segments, workspaceId, current, previous, segment, a, b, period, ct);
        if (query is null) return problem!;
        var rowsA = await AnswersAsync(db, survey.Id, query.A, ct);
        var rowsB = await AnswersAsync(db, survey.Id, query.B, ct);
        return TypedResults.Ok(ComparisonCalculator.Compare(survey, query, rowsA, rowsB));
    }

    /// <summary>The survey's answers in one side's period and segment.</summary>
    private static Task<List<AnswerRow>> AnswersAsync(JourneyFeedbackDb db, Guid surveyId, EvidenceSelection side, CancellationToken ct)
    {
        var answers = db.SurveyAnswers.AsNoTracking().Where(x => x.SurveyId == surveyId);
        if (side.From is { } from) answers = answers.Where(x => x.AnsweredAt >= from);
        if (side.To is { } to) answers = answers.Where(x => x.AnsweredAt < to);
        return AnswerRow.WithInvitationsAsync(db, answers, side.Segment, ct);
    }
}
