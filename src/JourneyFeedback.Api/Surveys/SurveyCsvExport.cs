using System.Globalization;
using System.Security.Claims;
using System.Text;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Surveys;

internal static class SurveyCsvExport
{
    /// <summary>Streams every response with its invitation data, Excel-safe (see <see cref="ExcelCsv"/>).</summary>
    public static async Task<Results<PushStreamHttpResult, NotFound, ProblemHttpResult>> ExportResponses(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db,
        Segments.SegmentResolver segments, CancellationToken ct, string? segment = null)
    {
        var workspaceId = user.WorkspaceId();
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (survey is null) return TypedResults.NotFound();
        var (inSegment, problem) = await segments.ResolveAsync(workspaceId, segment, ct);
        if (problem is not null) return problem;

        var metadataKeys = (await db.Invitations.AsNoTracking().Where(i => i.SurveyId == id && i.AnsweredAt != null).Select(i => i.Metadata).ToListAsync(ct))
            .SelectMany(m => m.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var labels = survey.Options.ToDictionary(o => o.Id, o => o.Label);

        return TypedResults.Stream(async stream =>
        {
            await using var csv = ExcelCsv.Create(stream);
            string[] header = ["response_id", "answered_at", "score", "option_id", "option_label", "other_text", "comment",
                "customer_id", "external_ref", "channel", "invited_at", .. metadataKeys.Select(k => "meta_" + k)];
            foreach (var column in header) csv.WriteField(column);
            await csv.NextRecordAsync();

            var rows = db.SurveyAnswers.AsNoTracking().Where(a => a.SurveyId == id).OrderBy(a => a.AnsweredAt)
                .Join(db.Invitations, a => a.InvitationId, i => i.Id, (a, i) => new { Answer = a, Invitation = i })
                .AsAsyncEnumerable();
            await foreach (var row in rows)
            {
                var a = row.Answer;
                var i = row.Invitation;
                if (inSegment is not null && !inSegment.HoldsForInvitation(i.CustomerId, i.Channel)) continue;
                csv.WriteField(a.Id.ToString());
                csv.WriteField(a.AnsweredAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                csv.WriteField(a.Score?.ToString(CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(a.OptionId ?? "");
                csv.WriteField(a.OptionId is null ? "" : labels.GetValueOrDefault(a.OptionId, a.OptionId == AnswerParser.OtherOptionId ? "Other" : a.OptionId));
                csv.WriteField(a.OtherText ?? "");
                csv.WriteField(a.Comment ?? "");
                csv.WriteField(i.CustomerId ?? "");
                csv.WriteField(i.ExternalRef ?? "");
                csv.WriteField(i.Channel ?? "");
                csv.WriteField(i.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                foreach (var key in metadataKeys) csv.WriteField(i.Metadata.GetValueOrDefault(key, ""));
                await csv.NextRecordAsync();
            }
        }, "text/csv; charset=utf-8", $"survey-{id}-responses.csv");
    }
}
