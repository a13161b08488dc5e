using System.Security.Claims;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Maps;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// Lane entries proposed from the evidence: the top pain-point themes of each stage into <c>painPoints</c>, its dominant
/// emotions into <c>emotions</c>, its most frequent customer questions into <c>questions</c>.
/// </summary>
internal static class SuggestionsEndpoints
{
    public const int PerLane = 3;
    private const double MinEmotionPercent = 10;

    public static void MapSuggestions(this RouteGroupBuilder maps)
    {
        maps.MapPost("/suggestions", Propose).WithName("ProposeLaneEntries")
            .WithSummary("Propose lane entries from the evidence (pain points, emotions, questions) with their evidence counts")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapGet("/suggestions", List).WithName("ListLaneSuggestions")
            .WithSummary("Proposed, accepted and rejected lane entries, with how much evidence backs each today");
        maps.MapPost("/suggestions/{suggestionId:guid}/accept", (Guid id, Guid suggestionId, ClaimsPrincipal user, JourneyFeedbackDb db,
                MapInsightsBuilder builder, HttpContext http, CancellationToken ct) => Decide(id, suggestionId, accept: true, user, db, builder, http, ct))
            .WithName("AcceptLaneSuggestion").WithSummary("Accept: the entry is added to the stage's lane and keeps its link to the evidence")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapPost("/suggestions/{suggestionId:guid}/reject", (Guid id, Guid suggestionId, ClaimsPrincipal user, JourneyFeedbackDb db,
                MapInsightsBuilder builder, HttpContext http, CancellationToken ct) => Decide(id, suggestionId, accept: false, user, db, builder, http, ct))
            .WithName("RejectLaneSuggestion").WithSummary("Reject: the entry is not proposed again")
            .RequireAuthorization(Policies.EditMaps);
    }

    private static async Task<Results<Ok<List<SuggestionResponse>>, NotFound>> Propose(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, MapInsightsBuilder builder, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var loaded = await builder.LoadAsync(workspaceId, id, ct);
        if (loaded is not var (map, evidence)) return TypedResults.NotFound();
        var insights = await builder.BuildAsync(map, evidence, new EvidenceSelection(null, null, null), PerLane, ct);

        var decided = await db.LaneSuggestions.AsNoTracking().Where(s => s.MapId == id && s.Status != SuggestionStatus.Proposed)
            .Select(s => new { s.StageId, s.Lane, s.Text }).ToListAsync(ct);
        var fresh = new List<LaneSuggestion>();
        foreach (var stage in map.Stages)
        {
            var stageInsights = insights.Stages.First(s => s.Id == stage.Id);
            foreach (var theme in stageInsights.Touchpoints.SelectMany(t => t.PainPoints).OrderByDescending(t => t.Severity).Take(PerLane))
                fresh.Add(New(stage, "painPoints", $"{theme.TouchpointName}: {theme.Name}", theme.Count,
                    s => { s.TouchpointId = theme.TouchpointId; s.PainPoint = theme.Category; s.Phrase = theme.Name; s.ThemeId = theme.ThemeId; }));
            foreach (var emotion in stageInsights.Emotions.Where(e => e.Label != EmotionLabels.NeutralName && e.Percent >= MinEmotionPercent && e.Count >= 2).Take(2))
                fresh.Add(New(stage, "emotions", emotion.Label, emotion.Count, s => s.Emotion = emotion.Label));
            foreach (var (phrase, text, count) in await QuestionsAsync(db, evidence, stage, ct))
                fresh.Add(New(stage, "questions", text, count, s => s.Phrase = phrase));
        }
        // Entries already in the lane, or decided before, are not proposed again.
        fresh = fresh.Where(s => !InLane(map.Stages.First(st => st.Id == s.StageId), s.Lane, s.Text)
            && !decided.Any(d => d.StageId == s.StageId && d.Lane == s.Lane && string.Equals(d.Text, s.Text, StringComparison.OrdinalIgnoreCase))).ToList();

        await db.LaneSuggestions.Where(s => s.MapId == id && s.Status == SuggestionStatus.Proposed).ExecuteDeleteAsync(ct);
        db.LaneSuggestions.AddRange(fresh);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(fresh.Select(s => SuggestionMapping.ToResponse(s, map, evidence)).ToList());

        LaneSuggestion New(Stage stage, string lane, string text, int count, Action<LaneSuggestion> basis)
        {
            var suggestion = new LaneSuggestion { WorkspaceId = workspaceId, MapId = id, StageId = stage.Id, Lane = lane, Text = Truncate(text, 300), EvidenceCount = count };
            basis(suggestion);
            return suggestion;
        }
    }

    /// <summary>The stage's most asked questions: question-bearing items grouped by their first key phrase.</summary>
    private static async Task<List<(string Phrase, string Text, int Count)>> QuestionsAsync(
        JourneyFeedbackDb db, MapEvidence e, Stage stage, CancellationToken ct)
    {
        var touchpoints = stage.Touchpoints.Select(t => Array.IndexOf(e.TouchpointIds, t.Id)).Where(i => i >= 0).ToHashSet();
        // Every key phrase of a question counts; the most shared phrases become the groups, each item in one group only.
        var phraseItems = new Dictionary<int, List<int>>();
        for (var i = 0; i < e.Count; i++)
        {
            if (!e.IsQuestion[i] || !touchpoints.Contains(e.Touchpoint[i])) continue;
            foreach (var phrase in (int[])[e.Phrase1[i], e.Phrase2[i], e.Phrase3[i]])
            {
                if (phrase < 0) continue;
                if (!phraseItems.TryGetValue(phrase, out var list)) phraseItems[phrase] = list = [];
                list.Add(i);
            }
        }
        var used = new HashSet<int>();
        var top = new List<KeyValuePair<int, List<int>>>();
        foreach (var (phrase, items) in phraseItems.OrderByDescending(g => g.Value.Count).ThenBy(g => e.Phrases[g.Key], StringComparer.Ordinal))
        {
            var fresh = items.Where(i => !used.Contains(i)).ToList();
            if (fresh.Count < 2) continue;
            used.UnionWith(fresh);
            top.Add(new(phrase, fresh));
            if (top.Count == PerLane) break;
        }
        var ids = top.SelectMany(g => g.Value.Take(20)).Select(i => e.Ids[i]).ToList();
        var texts = await db.FeedbackItems.AsNoTracking().Where(f => ids.Contains(f.Id)).Select(f => new { f.Id, f.Text }).ToDictionaryAsync(f => f.Id, f => f.Text, ct);
        var questions = new List<(string, string, int)>();
        foreach (var (phrase, items) in top)
        {
            // The shortest question sentence in the group reads best as a lane entry.
            var question = items.Take(20).Select(i => texts.GetValueOrDefault(e.Ids[i])).Where(t => t is not null)
                .Select(t => QuestionSentence.Cut(t!)).Where(q => q is not null).OrderBy(q => q!.Length).FirstOrDefault();
            if (question is not null) questions.Add((e.Phrases[phrase], question, items.Count));
        }
        return questions;
    }

    private static async Task<Results<Ok<List<SuggestionResponse>>, NotFound>> List(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, MapInsightsBuilder builder, CancellationToken ct, string? status = null)
    {
        var loaded = await builder.LoadAsync(user.WorkspaceId(), id, ct);
        if (loaded is not var (map, evidence)) return TypedResults.NotFound();
        var suggestions = await db.LaneSuggestions.AsNoTracking().Where(s => s.MapId == id && (status == null || s.Status == status))
            .OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(suggestions.Select(s => SuggestionMapping.ToResponse(s, map, evidence)).ToList());
    }

    private static async Task<Results<Ok<SuggestionResponse>, NotFound, ProblemHttpResult>> Decide(
        Guid id, Guid suggestionId, bool accept, ClaimsPrincipal user, JourneyFeedbackDb db, MapInsightsBuilder builder, HttpContext http, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var suggestion = await db.LaneSuggestions.FirstOrDefaultAsync(s => s.Id == suggestionId && s.MapId == id && s.WorkspaceId == workspaceId, ct);
        if (suggestion is null) return TypedResults.NotFound();
        if (suggestion.Status != SuggestionStatus.Proposed)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already decided",
                detail: $"This suggestion was already {suggestion.Status}.");

        if (accept)
        {
            var map = await MapQueries.LoadMap(db.Maps, workspaceId, id, ct);
            var stage = map?.Stages.FirstOrDefault(s => s.Id == suggestion.StageId);
            if (map is null || stage is null)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The stage is gone",
                    detail: "The stage this entry was proposed for no longer exists; propose again.");
            if (ETags.IfMatchFails(http.Request, map.Version))
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The map has changed since you read it",
                    detail: $"If-Match does not match the current version {ETags.For(map.Version)}.");
            var lane = Lane(stage.Lanes, suggestion.Lane);
            if (!lane.Any(entry => string.Equals(entry, suggestion.Text, StringComparison.OrdinalIgnoreCase))) lane.Add(suggestion.Text);
            // The lanes are one JSON column: a new list instance makes the change visible to EF Core.
            stage.Lanes = new StageLanes
            {
                Actions = [.. stage.Lanes.Actions], Motivations = [.. stage.Lanes.Motivations], Questions = [.. stage.Lanes.Questions],
                Emotions = [.. stage.Lanes.Emotions], PainPoints = [.. stage.Lanes.PainPoints], Opportunities = [.. stage.Lanes.Opportunities],
            };
            map.Version++;
            map.UpdatedAt = DateTime.UtcNow;
            http.Response.Headers.ETag = ETags.For(map.Version);
        }
        suggestion.Status = accept ? SuggestionStatus.Accepted : SuggestionStatus.Rejected;
        suggestion.DecidedAt = DateTime.UtcNow;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The map has changed since you read it",
                detail: "Another edit was saved at the same time; try again.");
        }
        var loaded = await builder.LoadAsync(workspaceId, id, ct);
        return TypedResults.Ok(SuggestionMapping.ToResponse(suggestion, loaded!.Map, loaded.Evidence));
    }

    private static List<string> Lane(StageLanes lanes, string lane) => lane switch
    {
        "painPoints" => lanes.PainPoints,
        "emotions" => lanes.Emotions,
        _ => lanes.Questions,
    };

    private static bool InLane(Stage stage, string lane, string text) =>
        Lane(stage.Lanes, lane).Any(entry => string.Equals(entry, text, StringComparison.OrdinalIgnoreCase));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
