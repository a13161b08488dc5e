using System.Globalization;
using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Maps;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Journeys;

internal static class JourneysEndpoints
{
    private const int MaxRules = 500;

    public static IEndpointRouteBuilder MapJourneys(this IEndpointRouteBuilder app)
    {
        var maps = app.MapGroup("/maps/{id:guid}").WithTags("Journeys").RequireAuthorization(Policies.Read);
        maps.MapGet("/event-rules", GetEventRules).WithName("GetEventRules")
            .WithSummary("The map's event rules, the events each places, and the events no rule places (by name and path)");
        maps.MapPut("/event-rules", PutEventRules).WithName("PutEventRules")
            .WithSummary("Replace the map's event rules (ordered, first match wins); every stored event is placed again (If-Match: stale → 412)")
            .RequireAuthorization(Policies.EditMaps);
        maps.MapGet("/journeys", GetJourneys).WithName("GetJourneys")
            .WithSummary("Observed journeys: the directly-follows graph between touchpoints, the most frequent paths, backward moves and rework (format=csv or Accept: text/csv: the graph's edges)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        maps.MapGet("/funnel", GetFunnel).WithName("GetFunnel")
            .WithSummary("Drop-off between steps (stages or touchpoints) within a window, and what the customers who stopped said before leaving (format=csv or Accept: text/csv: one row per step)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        maps.MapGet("/customers/{customerId}/timeline", GetTimeline).WithName("GetCustomerTimeline")
            .WithSummary("One customer's path across the map: every contact from events, tickets, complaints, reviews and surveys, in time order");
        return app;
    }

    private static async Task<Results<Ok<EventRulesResponse>, NotFound>> GetEventRules(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, JourneyLogCache logs, HttpResponse response, CancellationToken ct)
    {
        if (await logs.GetAsync(db, user.WorkspaceId(), id, ct) is not var (entry, _)) return TypedResults.NotFound();
        return TypedResults.Ok(await RulesResponse(db, id, entry, response, ct));
    }

    private static async Task<Results<Ok<EventRulesResponse>, ValidationProblem, NotFound, ProblemHttpResult>> PutEventRules(
        Guid id, EventRulesRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, JourneyLogCache logs, HttpRequest http, HttpResponse response,
        CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var map = await MapQueries.LoadMap(db.Maps.AsNoTracking(), workspaceId, id, ct);
        if (map is null) return TypedResults.NotFound();
        if (ETags.IfMatchFails(http, map.EventRulesVersion))
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The event rules changed",
                detail: $"They are at version {map.EventRulesVersion}; read them again and re-apply your change.");

        var (rules, errors) = Validate(request, map);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());
        var stored = new EventRuleList { Rules = rules };
        var changed = await db.Maps.Where(m => m.Id == id && m.EventRulesVersion == map.EventRulesVersion).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.EventRules, stored)
            .SetProperty(m => m.EventRulesVersion, m => m.EventRulesVersion + 1), ct);
        if (changed == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The event rules changed",
                detail: "Someone else saved the rules at the same moment; read them again and re-apply your change.");

        // The answer shows the new rules applied to every stored event.
        var (entry, _) = (await logs.GetAsync(db, workspaceId, id, ct, waitForCurrent: true))!.Value;
        return TypedResults.Ok(await RulesResponse(db, id, entry, response, ct));
    }

    private static (List<EventRule>, ValidationErrors) Validate(EventRulesRequest request, JourneyMap map)
    {
        var errors = new ValidationErrors();
        var rules = new List<EventRule>();
        if (request.Rules is null)
        {
            errors.Add("rules", "Required: a list of rules (an empty list removes them all).");
            return (rules, errors);
        }
        if (request.Rules.Count > MaxRules) errors.Add("rules", $"At most {MaxRules} rules (got {request.Rules.Count}).");
        var touchpoints = map.Stages.SelectMany(s => s.Touchpoints).ToList();
        for (var i = 0; i < request.Rules.Count; i++)
        {
            var r = request.Rules[i];
            var field = $"rules[{i}]";
            if (r is null) { errors.Add(field, "Must be a rule object, not null."); continue; }
            Touchpoint? touchpoint = null;
            if (r.TouchpointId is { } touchpointId)
            {
                touchpoint = touchpoints.FirstOrDefault(t => t.Id == touchpointId);
                if (touchpoint is null) errors.Add($"{field}.touchpointId", "No touchpoint with this id on the map.");
            }
            else if (!string.IsNullOrWhiteSpace(r.Touchpoint))
            {
                var named = touchpoints.Where(t => string.Equals(t.Name.Trim(), r.Touchpoint.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
                if (named.Count == 1) touchpoint = named[0];
                else errors.Add($"{field}.touchpoint", named.Count == 0
                    ? $"No touchpoint named '{r.Touchpoint}' on the map; its touchpoints are {string.Join(", ", touchpoints.Select(t => $"'{t.Name}'"))}."
                    : $"{named.Count} touchpoints are named '{r.Touchpoint}'; use touchpointId.");
            }
            else errors.Add($"{field}.touchpointId", "Required: the touchpoint (touchpointId, or touchpoint by name).");

            var eventName = Clean(r.EventName);
            var urlPath = Clean(r.UrlPath);
            var property = Clean(r.Property);
            errors.Text($"{field}.eventName", eventName, 200);
            errors.Text($"{field}.urlPath", urlPath, 1000);
            errors.Text($"{field}.property", property, 200);
            errors.Text($"{field}.value", r.Value, 1000);
            if (eventName is null && urlPath is null && property is null)
                errors.Add(field, "A rule needs at least one condition: eventName, urlPath or property (with value).");
            if (property is not null && r.Value is null) errors.Add($"{field}.value", "Required with property: the value it must equal.");
            if (property is null && r.Value is not null) errors.Add($"{field}.property", "Required with value: the property that must equal it.");
            if (touchpoint is not null)
                rules.Add(new EventRule { TouchpointId = touchpoint.Id, EventName = eventName, UrlPath = urlPath, Property = property, Value = property is null ? null : r.Value });
        }
        return (rules, errors);

        static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static async Task<EventRulesResponse> RulesResponse(JourneyFeedbackDb db, Guid mapId, JourneyLogEntry entry, HttpResponse response, CancellationToken ct)
    {
        // The rules as the log applied them: the same version the placement counts come from.
        var map = await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => new { m.EventRules, m.EventRulesVersion }).FirstAsync(ct);
        var names = entry.Log.Touchpoints.ToDictionary(t => t.Id, t => t.Name);
        var placement = entry.Placement;
        var sameRules = map.EventRulesVersion == entry.Stamp.EventRulesVersion && placement.MatchedPerRule.Length == map.EventRules.Rules.Count;
        response.Headers.ETag = ETags.For(map.EventRulesVersion);
        return new EventRulesResponse(mapId, map.EventRulesVersion,
            map.EventRules.Rules.Select((r, i) => new EventRuleResponse(r.TouchpointId, names.GetValueOrDefault(r.TouchpointId), r.EventName, r.UrlPath,
                r.Property, r.Value, sameRules ? placement.MatchedPerRule[i] : 0)).ToList(),
            placement.TotalEvents, placement.PlacedEvents, placement.UnmappedEvents, placement.TopUnmapped, entry.BuiltAt);
    }

    private static async Task<Results<Ok<JourneyGraph>, FileContentHttpResult, NotFound, ProblemHttpResult>> GetJourneys(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, JourneyLogCache logs, HttpResponse response, Segments.SegmentResolver segments, CancellationToken ct,
        DateTime? from = null, DateTime? to = null, string? segment = null, string? window = null, string? gap = null, bool collapseLoops = false,
        int variants = 10, string? format = null)
    {
        var journeyGap = JourneyWindows.Parse(window ?? gap, JourneyWindows.DefaultGap, window is null && gap is not null ? "gap" : "window", out var problem);
        if (problem is not null) return problem;
        if (variants is < 1 or > 100) return Problems.BadRequest("variants", "Between 1 and 100.");
        var (selection, selectionProblem) = await SelectionAsync(segments, user.WorkspaceId(), from, to, segment, ct);
        if (selection is null) return selectionProblem!;
        var (chosen, formatProblem) = ExportFormats.Choose(format, response.HttpContext.Request, ExportFormats.Json, ExportFormats.Csv);
        if (chosen is null) return formatProblem!;
        if (await logs.GetAsync(db, user.WorkspaceId(), id, ct) is not var (entry, current)) return TypedResults.NotFound();

        var key = $"journeys|{selection}|{journeyGap.Ticks}|{collapseLoops}|{variants}";
        var graph = entry.Answer(key, () => JourneyAnalysis.Analyze(entry.Log, new JourneyQuery(selection.From, selection.To,
            SegmentFilter(entry.Log, selection.Segment), journeyGap, collapseLoops, variants))) with { AsOf = entry.BuiltAt, Current = current };
        if (chosen == ExportFormats.Csv)
        {
            response.Headers.ContentDisposition = "attachment; filename=\"journeys-graph.csv\"";
            return TypedResults.File(JourneyExports.GraphCsv(graph), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(graph);
    }

    private static async Task<Results<Ok<Funnel>, FileContentHttpResult, NotFound, ProblemHttpResult>> GetFunnel(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, JourneyLogCache logs, HttpResponse response, Segments.SegmentResolver segments, CancellationToken ct,
        string? steps = null, string? window = null, string mode = "ordered", DateTime? from = null, DateTime? to = null, string? segment = null,
        int themes = 5, string? format = null)
    {
        var funnelWindow = JourneyWindows.Parse(window, JourneyWindows.DefaultFunnelWindow, "window", out var problem);
        if (problem is not null) return problem;
        if (!Enum.TryParse<FunnelMode>(mode, ignoreCase: true, out var funnelMode) || !Enum.IsDefined(funnelMode) || int.TryParse(mode, out _))
            return Problems.BadRequest("mode", $"Unknown mode '{StorableText.Printable(mode)}'; use ordered, strict or any.");
        if (themes is < 0 or > 20) return Problems.BadRequest("themes", "Between 0 and 20.");
        var (selection, selectionProblem) = await SelectionAsync(segments, user.WorkspaceId(), from, to, segment, ct);
        if (selection is null) return selectionProblem!;
        var (chosen, formatProblem) = ExportFormats.Choose(format, response.HttpContext.Request, ExportFormats.Json, ExportFormats.Csv);
        if (chosen is null) return formatProblem!;
        if (await logs.GetAsync(db, user.WorkspaceId(), id, ct) is not var (entry, current)) return TypedResults.NotFound();
        var funnelSteps = FunnelSteps(entry.Log, steps, out problem);
        if (problem is not null) return problem;

        var key = $"funnel|{string.Join(',', funnelSteps.Select(f => f.Id))}|{funnelWindow.Ticks}|{funnelMode}|{selection}|{themes}";
        var funnel = entry.Answer(key, () => FunnelAnalysis.Analyze(entry.Log, new FunnelQuery(selection.From, selection.To,
            SegmentFilter(entry.Log, selection.Segment), funnelSteps, funnelWindow, funnelMode, themes))) with { AsOf = entry.BuiltAt, Current = current };
        if (chosen == ExportFormats.Csv)
        {
            response.Headers.ContentDisposition = "attachment; filename=\"funnel.csv\"";
            return TypedResults.File(JourneyExports.FunnelCsv(funnel), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(funnel);
    }

    /// <summary>
    /// from/to/segment read as insights read them (a date without a time in <c>to</c> includes that whole day), checked
    /// before the log is asked for; journeys have no language segment (events have no language).
    /// </summary>
    private static async Task<(Insights.EvidenceSelection? Selection, ProblemHttpResult? Problem)> SelectionAsync(Segments.SegmentResolver segments,
        Guid workspaceId, DateTime? from, DateTime? to, string? segment, CancellationToken ct)
    {
        var (selection, problem) = await Insights.EvidenceSelection.FromQueryAsync(segments, workspaceId, from, to, segment, ct);
        if (selection is null) return (null, problem);
        if (selection.Segment is { } s && s.Expression.Conditions.Any(c => c.Field == "language"))
            return (null, Problems.BadRequest("segment", "Journeys are segmented by kind, source, channel and customer attributes (language is not known for events)."));
        return (selection, null);
    }

    /// <summary>
    /// The steps asked for (comma-separated stage or touchpoint ids of the map), or the map's stages in order. A stage is
    /// reached through any of its touchpoints.
    /// </summary>
    internal static List<FunnelStep> FunnelSteps(ContactLog log, string? steps, out ProblemHttpResult? problem)
    {
        problem = null;
        var touchpoints = log.Touchpoints;
        FunnelStep Stage(Guid stageId) => new(stageId, touchpoints.First(t => t.StageId == stageId).StageName, "stage",
            [.. Enumerable.Range(0, touchpoints.Length).Where(i => touchpoints[i].StageId == stageId).Select(i => (short)i)]);
        if (string.IsNullOrWhiteSpace(steps))
        {
            var stages = touchpoints.Select(t => t.StageId).Distinct().Select(Stage).ToList();
            if (stages.Count < 2) problem = Problems.BadRequest("steps", "The map has fewer than two stages with touchpoints; name the steps (touchpoint ids).");
            return stages;
        }
        var result = new List<FunnelStep>();
        foreach (var part in steps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Guid.TryParse(part, out var stepId))
            {
                // A name works too when it is one touchpoint's, or else one stage's, on this map.
                var byTouchpoint = touchpoints.Where(t => string.Equals(t.Name, part, StringComparison.OrdinalIgnoreCase)).Select(t => t.Id).ToList();
                var byStage = touchpoints.Where(t => string.Equals(t.StageName, part, StringComparison.OrdinalIgnoreCase)).Select(t => t.StageId).Distinct().ToList();
                if (byTouchpoint.Count == 1) stepId = byTouchpoint[0];
                else if (byTouchpoint.Count == 0 && byStage.Count == 1) stepId = byStage[0];
                else
                {
                    problem = Problems.BadRequest("steps", $"'{StorableText.Printable(part)}' is not a stage or touchpoint id, nor the name of exactly one touchpoint "
                        + "or stage of this map; steps are comma-separated.");
                    return result;
                }
            }
            var touchpoint = Array.FindIndex(touchpoints, t => t.Id == stepId);
            if (touchpoint >= 0) result.Add(new FunnelStep(stepId, touchpoints[touchpoint].Name, "touchpoint", [(short)touchpoint]));
            else if (touchpoints.Any(t => t.StageId == stepId)) result.Add(Stage(stepId));
            else
            {
                problem = Problems.BadRequest("steps", $"{stepId} is neither a stage with touchpoints nor a touchpoint of this map.");
                return result;
            }
        }
        if (result.Count is < 2 or > 20) problem = Problems.BadRequest("steps", $"A funnel has 2 to 20 steps (got {result.Count}).");
        return result;
    }

    /// <summary>
    /// A contact is in the segment when its kind, source and channel and its customer's attributes pass (docs/segments.md);
    /// a customer counts when one of their contacts does. Contacts have no language.
    /// </summary>
    private static Func<int, bool>? SegmentFilter(ContactLog log, Segments.SegmentFilter? segment)
    {
        if (segment is null) return null;
        var customerOf = new int[log.Ticks.Length];
        for (var c = 0; c < log.CustomerIds.Length; c++) Array.Fill(customerOf, c, log.CustomerStart[c], log.CustomerStart[c + 1] - log.CustomerStart[c]);
        var mask = segment.Mask(log.Ticks.Length, field => field switch
        {
            "kind" => new Segments.SegmentFilter.ItemColumn(ContactKinds.Names, i => log.Kind[i]),
            "source" => new Segments.SegmentFilter.ItemColumn(log.Sources, i => log.Source[i]),
            "channel" => new Segments.SegmentFilter.ItemColumn(log.Channels, i => log.Channel[i]),
            _ => null,
        }, log.CustomerIds, i => customerOf[i]);
        return i => mask[i];
    }

    private static async Task<Results<Ok<CustomerTimeline>, NotFound, ProblemHttpResult>> GetTimeline(
        Guid id, string customerId, ClaimsPrincipal user, JourneyFeedbackDb db, JourneyLogCache logs, CancellationToken ct, string? window = null)
    {
        var gap = JourneyWindows.Parse(window, JourneyWindows.DefaultGap, "window", out var problem);
        if (problem is not null) return problem;
        if (await logs.GetAsync(db, user.WorkspaceId(), id, ct) is not var (entry, current)) return TypedResults.NotFound();
        var log = entry.Log;
        if (!entry.CustomerIndex.TryGetValue(customerId, out var customer))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No contacts of this customer on the map",
                detail: $"Customer '{StorableText.Printable(customerId)}' has no event or feedback item on a touchpoint of this map.");

        var first = log.CustomerStart[customer];
        var end = log.CustomerStart[customer + 1];
        var ids = log.ItemId[first..end];
        var items = new Dictionary<Guid, TimelineContact>();
        foreach (var chunk in ids.Chunk(500))
        {
            var found = await db.FeedbackItems.AsNoTracking().Where(f => chunk.Contains(f.Id))
                .Select(f => new { f.Id, f.Kind, f.OccurredAt, f.Text, f.Sentiment, f.PainPoint, f.ThemeId, f.Source, f.Channel }).ToListAsync(ct);
            foreach (var f in found)
                items[f.Id] = new TimelineContact(f.Id, f.Kind, f.OccurredAt, null, null, f.Text, null, f.Sentiment, f.PainPoint, f.ThemeId, null, f.Source, f.Channel);
            var events = await db.Events.AsNoTracking().Where(e => chunk.Contains(e.Id))
                .Select(e => new { e.Id, e.OccurredAt, e.Name, e.Url }).ToListAsync(ct);
            foreach (var e in events)
                items[e.Id] = new TimelineContact(e.Id, "event", e.OccurredAt, e.Name, e.Url, null, null, null, null, null, null, null, null);
            var answers = await db.SurveyAnswers.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Join(db.Surveys, a => a.SurveyId, s => s.Id, (a, s) => new { a.Id, a.AnsweredAt, a.Score, s.Name }).ToListAsync(ct);
            foreach (var a in answers)
                items[a.Id] = new TimelineContact(a.Id, "survey", a.AnsweredAt, null, null, null, a.Score, null, null, null, null, $"survey:{a.Name}", null);
        }

        var steps = new List<TimelineStep>();
        var journey = 0;
        List<TimelineContact>? contacts = null;
        for (var i = first; i < end; i++)
        {
            var newJourney = i == first || log.Ticks[i] - log.Ticks[i - 1] > gap.Ticks;
            if (newJourney) journey++;
            if (newJourney || log.Touchpoint[i] != log.Touchpoint[i - 1])
            {
                var touchpoint = log.Touchpoints[log.Touchpoint[i]];
                var backward = !newJourney && touchpoint.StageIndex < log.Touchpoints[log.Touchpoint[i - 1]].StageIndex;
                contacts = [];
                var at = new DateTime(log.Ticks[i], DateTimeKind.Utc);
                steps.Add(new TimelineStep(journey, touchpoint.Id, touchpoint.Name, touchpoint.StageId, touchpoint.StageName, at, at, backward, contacts));
            }
            var theme = log.Theme[i] >= 0 ? log.Themes[log.Theme[i]] : null;
            // A contact deleted since the log was built is left out.
            if (items.TryGetValue(log.ItemId[i], out var contact)) contacts!.Add(contact with { ThemeId = theme?.Id, Theme = theme?.Name });
            steps[^1] = steps[^1] with { End = new DateTime(log.Ticks[i], DateTimeKind.Utc) };
        }
        return TypedResults.Ok(new CustomerTimeline(id, customerId, journey, end - first, gap.TotalDays, steps, entry.BuiltAt, current));
    }
}

/// <summary>Durations in query strings: a number and a unit, <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>2w</c>.</summary>
internal static class JourneyWindows
{
    public static readonly TimeSpan DefaultGap = TimeSpan.FromDays(30);
    public static readonly TimeSpan DefaultFunnelWindow = TimeSpan.FromDays(14);
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3660);

    public static TimeSpan Parse(string? text, TimeSpan fallback, string field, out ProblemHttpResult? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        var value = text.Trim().ToLowerInvariant();
        var unit = value[^1];
        if (double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            TimeSpan? span = unit switch
            {
                'w' => TimeSpan.FromDays(number * 7),
                'd' => TimeSpan.FromDays(number),
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => null,
            };
            if (span is { } s && s <= Longest) return s;
        }
        problem = Problems.BadRequest(field, $"'{StorableText.Printable(text)}' is not a duration: use a positive number and a unit (w, d, h, m or s), e.g. 30d, at most 3660d.");
        return fallback;
    }
}
