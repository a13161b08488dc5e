using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Surveys;

public sealed record OptionShare(string Id, string Label, Guid? TouchpointId, ProportionStats Share);

/// <summary>Free-text "other" answers that normalise to the same source, linked to an option's touchpoint where one matches.</summary>
public sealed record OtherAnswerGroup(string Answer, int Count, double Percent, IReadOnlyList<string> Examples, string? MatchedOptionId, Guid? TouchpointId);

public sealed record AttributionStats(int Responses, IReadOnlyList<OptionShare> Options, IReadOnlyList<OtherAnswerGroup> Other);

/// <summary>The score of the survey's type; the other members are null.</summary>
public sealed record SurveyMetrics(int Responses, NpsStats? Nps, ProportionStats? Csat, MeanStats? Ces, AttributionStats? Attribution);

public sealed record TrendPoint(DateTime PeriodStart, SurveyMetrics Metrics);

public sealed record GroupResult(string Value, int Invited, int Answered, double ResponseRate, SurveyMetrics Metrics);

public sealed record SurveyResultsResponse(
    Guid SurveyId,
    string Type,
    DateTime? From,
    DateTime? To,
    string Interval,
    string? GroupBy,
    int Invited,
    int Answered,
    double ResponseRate,
    SurveyMetrics Overall,
    IReadOnlyList<TrendPoint> Trend,
    IReadOnlyList<GroupResult> Groups)
{
    /// <summary>The segment the results are for (null: everyone).</summary>
    public Segments.SegmentView? Segment { get; init; }
}

internal sealed record AnswerRow(int? Score, string? OptionId, string? OtherText, DateTime AnsweredAt, Dictionary<string, string>? Metadata,
    string? CustomerId = null, string? Channel = null)
{
    /// <summary>
    /// Answers with their invitation (customer, channel, metadata), those of <paramref name="segment"/> only: an answer
    /// is judged as its invitation's customer and channel (docs/segments.md). Survey results and comparisons read them.
    /// </summary>
    public static async Task<List<AnswerRow>> WithInvitationsAsync(JourneyFeedbackDb db, IQueryable<SurveyAnswer> answers, Segments.SegmentFilter? segment,
        CancellationToken ct)
    {
        var rows = await answers.Join(db.Invitations, a => a.InvitationId, i => i.Id,
            (a, i) => new AnswerRow(a.Score, a.OptionId, a.OtherText, a.AnsweredAt, i.Metadata, i.CustomerId, i.Channel)).ToListAsync(ct);
        if (segment is null) return rows;
        var mask = segment.MaskInvitations(rows.Count, i => rows[i].CustomerId, i => rows[i].Channel);
        return rows.Where((_, i) => mask[i]).ToList();
    }
}

internal static class SurveyResultsEndpoint
{
    private static readonly string[] Intervals = ["day", "week", "month"];
    private const string NoValue = "(none)";

    /// <summary>
    /// <c>from</c> is inclusive, <c>to</c> exclusive (a date without a time means the end of that day). Responses are counted
    /// by when they were answered; <c>invited</c> counts invitations created in the window and <c>responseRate</c> is the
    /// share of those that have been answered.
    /// </summary>
    public static async Task<Results<Ok<SurveyResultsResponse>, NotFound, ProblemHttpResult>> GetResults(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, Segments.SegmentResolver segments, CancellationToken ct,
        DateTime? from = null, DateTime? to = null, string interval = "week", string? groupBy = null, string? segment = null)
    {
        var workspaceId = user.WorkspaceId();
        var (inSegment, segmentProblem) = await segments.ResolveAsync(workspaceId, segment, ct);
        if (segmentProblem is not null) return segmentProblem;
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (survey is null) return TypedResults.NotFound();

        interval = interval.Trim().ToLowerInvariant();
        if (!Intervals.Contains(interval)) return Problems.BadRequest("interval", $"Unknown interval '{interval}'; expected day, week or month.");
        var window = DateWindow.FromQuery(from, to);
        if (window.EndsBeforeItStarts) return Problems.BadRequest("to", "Must be after 'from'.");
        var (start, end) = window;
        if (groupBy is { Length: > 50 }) return Problems.BadRequest("groupBy", "At most 50 characters.");

        var answers = db.SurveyAnswers.AsNoTracking().Where(a => a.SurveyId == survey.Id);
        if (start is not null) answers = answers.Where(a => a.AnsweredAt >= start);
        if (end is not null) answers = answers.Where(a => a.AnsweredAt < end);
        var invitations = db.Invitations.AsNoTracking().Where(i => i.SurveyId == survey.Id);
        if (start is not null) invitations = invitations.Where(i => i.CreatedAt >= start);
        if (end is not null) invitations = invitations.Where(i => i.CreatedAt < end);

        List<AnswerRow> rows;
        List<(bool Answered, Dictionary<string, string>? Metadata)> invited;
        if (groupBy is null && inSegment is null)
        {
            rows = await answers.Select(a => new AnswerRow(a.Score, a.OptionId, a.OtherText, a.AnsweredAt, null)).ToListAsync(ct);
            var counts = await invitations.GroupBy(i => i.AnsweredAt != null).Select(g => new { Answered = g.Key, Count = g.Count() }).ToListAsync(ct);
            invited = counts.SelectMany(c => Enumerable.Repeat((c.Answered, (Dictionary<string, string>?)null), c.Count)).ToList();
        }
        else
        {
            rows = await AnswerRow.WithInvitationsAsync(db, answers, inSegment, ct);
            var invitedRows = await invitations.Select(i => new { Answered = i.AnsweredAt != null, i.Metadata, i.CustomerId, i.Channel }).ToListAsync(ct);
            if (inSegment is not null)
            {
                // Invitations are judged as their answers are.
                var invitedMask = inSegment.MaskInvitations(invitedRows.Count, i => invitedRows[i].CustomerId, i => invitedRows[i].Channel);
                invitedRows = invitedRows.Where((_, i) => invitedMask[i]).ToList();
            }
            invited = invitedRows.Select(i => (i.Answered, (Dictionary<string, string>?)i.Metadata)).ToList();
        }

        var trend = rows.GroupBy(r => PeriodStart(r.AnsweredAt, interval)).OrderBy(g => g.Key)
            .Select(g => new TrendPoint(g.Key, Metrics(survey, g.ToList()))).ToList();
        var groups = groupBy is null ? [] : rows.Select(r => GroupValue(r.Metadata, groupBy))
            .Concat(invited.Select(i => GroupValue(i.Metadata, groupBy))).Distinct().Order(StringComparer.Ordinal)
            .Select(value =>
            {
                var groupInvited = invited.Where(i => GroupValue(i.Metadata, groupBy) == value).ToList();
                return new GroupResult(value, groupInvited.Count, groupInvited.Count(i => i.Answered), Rate(groupInvited),
                    Metrics(survey, rows.Where(r => GroupValue(r.Metadata, groupBy) == value).ToList()));
            }).ToList();

        return TypedResults.Ok(new SurveyResultsResponse(survey.Id, survey.Type, start, end, interval, groupBy,
            invited.Count, invited.Count(i => i.Answered), Rate(invited), Metrics(survey, rows), trend, groups) { Segment = inSegment?.View });
    }

    internal static SurveyMetrics Metrics(Survey survey, IReadOnlyList<AnswerRow> rows)
    {
        var scores = rows.Where(r => r.Score is not null).Select(r => r.Score!.Value).ToList();
        return survey.Type switch
        {
            SurveyTypes.Nps => new SurveyMetrics(rows.Count, SurveyStatistics.Nps(scores), null, null, null),
            SurveyTypes.Csat => new SurveyMetrics(rows.Count, null, SurveyStatistics.Csat(scores), null, null),
            SurveyTypes.Ces => new SurveyMetrics(rows.Count, null, null, SurveyStatistics.Mean(scores), null),
            _ => new SurveyMetrics(rows.Count, null, null, null, Attribution(survey, rows)),
        };
    }

    internal static AttributionStats Attribution(Survey survey, IReadOnlyList<AnswerRow> rows)
    {
        var total = rows.Count;
        var options = survey.Options
            .Select(o => new OptionShare(o.Id, o.Label, o.TouchpointId, SurveyStatistics.Proportion(rows.Count(r => r.OptionId == o.Id), total)))
            .ToList();
        var others = rows.Where(r => r.OptionId == AnswerParser.OtherOptionId).ToList();
        if (survey.AllowOther)
            options.Add(new OptionShare(AnswerParser.OtherOptionId, "Other", null, SurveyStatistics.Proportion(others.Count, total)));

        var groups = others
            .GroupBy(r => AttributionText.Normalize(r.OtherText))
            .Where(g => g.Key.Length > 0)
            .Select(g =>
            {
                var match = AttributionText.MatchOption(g.Key, survey.Options);
                var examples = g.Select(r => r.OtherText!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Take(3).ToList();
                return new OtherAnswerGroup(g.Key, g.Count(), total == 0 ? 0 : Math.Round(100.0 * g.Count() / total, 2), examples, match?.Id, match?.TouchpointId);
            })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Answer, StringComparer.Ordinal)
            .ToList();
        return new AttributionStats(total, options, groups);
    }

    /// <summary>Start of the UTC day, ISO week (Monday) or month containing the moment.</summary>
    internal static DateTime PeriodStart(DateTime moment, string interval)
    {
        var day = DateTime.SpecifyKind(moment.Date, DateTimeKind.Utc);
        return interval switch
        {
            "day" => day,
            "week" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        };
    }

    private static string GroupValue(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : NoValue;

    private static double Rate(IReadOnlyCollection<(bool Answered, Dictionary<string, string>? Metadata)> invited) =>
        invited.Count == 0 ? 0 : Math.Round((double)invited.Count(i => i.Answered) / invited.Count, 4);
}
