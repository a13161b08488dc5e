using System.Text.Json;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JourneyFeedback.Api.Surveys;

/// <summary>The public side: a customer opens <c>/s/{token}</c> and answers once. No API key; rate-limited per address.</summary>
internal static class SurveyLinkEndpoints
{
    private static readonly TimeSpan SurveyCacheTime = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapSurveyLinks(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/s").WithTags("Survey links (public)").AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Public);
        links.MapGet("/{token}", ShowSurvey).WithName("ShowSurvey")
            .WithSummary("The survey behind a link: JSON, or an HTML form for browsers (Accept: text/html)")
            .Produces<PublicSurvey>().Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        links.MapPost("/{token}", AnswerSurvey).WithName("AnswerSurvey")
            .WithSummary("Record the answer (JSON {score, comment} / {optionId, otherText}, or the HTML form); a link answers once")
            .Accepts<AnswerExample>("application/json", "application/x-www-form-urlencoded")
            .Produces<AnswerAccepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        return app;
    }

    /// <summary>Shape of a JSON answer, for the OpenAPI document.</summary>
    internal sealed record AnswerExample(int? Score, string? Comment, string? OptionId, string? OtherText);

    private static async Task<IResult> ShowSurvey(string token, HttpRequest request, InvitationLookup invitations, IMemoryCache cache,
        CancellationToken ct)
    {
        var (invitation, cached, refusal) = await Open(token, request, invitations, cache, ct);
        if (refusal is not null) return refusal;
        var survey = ToPublic(cached!.Survey, invitation!);
        return WantsHtml(request) ? Form(StatusCodes.Status200OK, survey, token) : TypedResults.Ok(survey);
    }

    private static PublicSurvey ToPublic(Survey survey, InvitationRow invitation) =>
        new(survey.Type, survey.Name, survey.Question, SurveyRules.Scale(survey.Type) is { } s ? new ScaleResponse(s.Min, s.Max) : null,
            survey.Options.Select(o => new PublicOption(o.Id, o.Label)).ToList(), survey.AllowOther,
            SurveyRules.MaxCommentLength, invitation.ExpiresAt);

    /// <remarks>
    /// A link that names its survey (<see cref="SurveyLinkToken"/>) is not read here: the answer is validated against the
    /// cached survey and the writer's claim reads the link. Whenever the answer is refused, the link is read to say why,
    /// with the same precedence as for older links (unknown, survey closed, answered, expired; then the answer's errors).
    /// </remarks>
    private static async Task<IResult> AnswerSurvey(string token, HttpRequest request, InvitationLookup invitations,
        IMemoryCache cache, SurveyAnswerWriter writer, CancellationToken ct)
    {
        InvitationRow? invitation = null;
        var cached = LooksLikeToken(token) && SurveyLinkToken.SurveyOf(token) is { } surveyId ? await SurveyAsync(surveyId, request, cache, ct) : null;
        if (cached is not { Survey.IsOpen: true })
        {
            (invitation, cached, var refusal) = await Open(token, request, invitations, cache, ct);
            if (refusal is not null) return refusal;
        }
        var survey = cached!.Survey;

        var errors = new ValidationErrors();
        Dictionary<string, string?> fields;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (InvalidDataException ex)
            {
                // The framework refuses some bytes in form values (NUL among them) by throwing.
                return Problems.BadRequest("$", $"The form cannot be read: {ex.Message}");
            }
            fields = form.ToDictionary(f => f.Key, f => (string?)f.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                fields = AnswerParser.FromJson(json.RootElement, errors);
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest("$", $"The body is not valid JSON: {ex.Message}");
            }
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: "Send the answer as application/json or as an HTML form (application/x-www-form-urlencoded).");
        }

        var answer = AnswerParser.Parse(survey, fields, errors);
        if (answer is null)
        {
            if (invitation is null)
            {
                (invitation, _, var refusal) = await Open(token, request, invitations, cache, ct);
                if (refusal is not null) return refusal;
                if (invitation!.SurveyId != survey.Id) return LinkNotFound(request);
            }
            var problems = errors.ToDictionary();
            return WantsHtml(request)
                ? Form(StatusCodes.Status422UnprocessableEntity, ToPublic(survey, invitation!), token, problems, fields)
                : TypedResults.Problem(new HttpValidationProblemDetails(problems)
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "The answer is not valid for this survey.",
                });
        }

        // Same rule as imports: personal data in free text is replaced before anything is stored (workspace setting).
        if (cached.RedactPersonalData)
            answer = answer with { Comment = Redact(answer.Comment), OtherText = Redact(answer.OtherText) };
        var pending = new PendingAnswer(token, survey, answer, Timestamps.Now());
        if (!await writer.SubmitAsync(pending, ct))
        {
            if (invitation is not null) return AlreadyAnswered(request); // read just before: another answer came first
            var (_, _, refusal) = await Open(token, request, invitations, cache, ct);
            return refusal ?? LinkNotFound(request); // a link that names another survey than its own
        }

        return WantsHtml(request)
            ? Message(StatusCodes.Status201Created, "Thank you!", "Your answer has been recorded. You can close this page.")
            : Created(request, new AnswerAccepted(pending.ResponseId, pending.AnsweredAt));
    }

    /// <summary>A survey as the public side needs it, with its workspace's redaction setting.</summary>
    private sealed record CachedSurvey(Survey Survey, bool RedactPersonalData);

    /// <summary>Finds the invitation and its survey, or the answer to give when the link cannot be answered.</summary>
    private static async Task<(InvitationRow? Invitation, CachedSurvey? Survey, IResult? Refusal)> Open(
        string token, HttpRequest request, InvitationLookup invitations, IMemoryCache cache, CancellationToken ct)
    {
        var invitation = LooksLikeToken(token) ? await invitations.FindAsync(token, ct) : null;
        if (invitation is null) return (null, null, LinkNotFound(request));

        var cached = await SurveyAsync(invitation.SurveyId, request, cache, ct);
        if (cached is null || !cached.Survey.IsOpen)
            return (null, null, Refuse(request, StatusCodes.Status410Gone, "Survey closed", "This survey is closed and no longer takes answers."));
        if (invitation.AnsweredAt is not null) return (null, null, AlreadyAnswered(request));
        if (invitation.ExpiresAt <= DateTime.UtcNow)
            return (null, null, Refuse(request, StatusCodes.Status410Gone, "Survey link expired", "This survey link has expired."));
        return (invitation, cached, null);
    }

    /// <summary>The survey, kept a few seconds per instance (an edit drops it at once, <see cref="SurveyLinkCache"/>); null when there is none.</summary>
    private static async Task<CachedSurvey?> SurveyAsync(Guid surveyId, HttpRequest request, IMemoryCache cache, CancellationToken ct)
    {
        if (cache.TryGetValue(SurveyLinkCache.Key(surveyId), out CachedSurvey? cached)) return cached;
        // Resolved only on a miss: renting a pooled context for every answer cost more than the cached read it would serve.
        var db = request.HttpContext.RequestServices.GetRequiredService<JourneyFeedbackDb>();
        var found = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == surveyId, ct);
        if (found is null) return null; // not kept: made-up ids in tokens must not fill the cache
        var redact = await db.Workspaces.Where(w => w.Id == found.WorkspaceId).Select(w => w.RedactPersonalData).FirstAsync(ct);
        return cache.Set(SurveyLinkCache.Key(surveyId), new CachedSurvey(found, redact), SurveyCacheTime);
    }

    private static string? Redact(string? text) => text is null ? null : PersonalDataRedactor.Redact(text);

    /// <summary>
    /// 201 with the JSON serialized up front: with its length known the response goes out in one write, where a streamed
    /// body is sent chunked, its end in a second write (docs/benchmarks.md, "Survey answers").
    /// </summary>
    private static IResult Created(HttpRequest request, AnswerAccepted accepted) => TypedResults.Content(
        JsonSerializer.Serialize(accepted, request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions),
        "application/json; charset=utf-8", statusCode: StatusCodes.Status201Created);

    private static IResult LinkNotFound(HttpRequest request) =>
        Refuse(request, StatusCodes.Status404NotFound, "Survey link not found", "This survey link does not exist. Check that it was copied completely.");

    private static IResult AlreadyAnswered(HttpRequest request) =>
        Refuse(request, StatusCodes.Status409Conflict, "Already answered", "This survey link has already been answered; the first answer is kept. Thank you!");

    private static IResult Refuse(HttpRequest request, int status, string title, string detail) =>
        WantsHtml(request) ? Message(status, title, detail) : TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static HtmlPage<SurveyForm> Form(int status, PublicSurvey survey, string token,
        IReadOnlyDictionary<string, string[]>? errors = null, IReadOnlyDictionary<string, string?>? previous = null) =>
        new(new()
        {
            [nameof(SurveyForm.Survey)] = survey,
            [nameof(SurveyForm.Token)] = token,
            [nameof(SurveyForm.Errors)] = errors,
            [nameof(SurveyForm.PreviousFields)] = previous,
        }, status);

    private static HtmlPage<SurveyMessage> Message(int status, string title, string text) =>
        new(new() { [nameof(SurveyMessage.Title)] = title, [nameof(SurveyMessage.Text)] = text }, status);

    /// <summary>Browsers ask for HTML first; API clients ask for JSON or nothing.</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0) return request.HasFormContentType;
        var html = accept.Where(a => a.MediaType == "text/html").Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var json = accept.Where(a => a.MediaType == "application/json" || a.MediaType == "application/problem+json").Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return html > 0 && html >= json;
    }

    /// <summary>Tokens are 54 (older links: 32) URL-safe characters; anything else is not looked up at all.</summary>
    private static bool LooksLikeToken(string token) =>
        token.Length is >= 20 and <= 64 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
