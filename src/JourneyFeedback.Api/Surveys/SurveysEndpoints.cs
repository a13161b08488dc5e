using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Segments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Surveys;

internal static class SurveysEndpoints
{
    public static IEndpointRouteBuilder MapSurveys(this IEndpointRouteBuilder app)
    {
        var surveys = app.MapGroup("/surveys").WithTags("Surveys").RequireAuthorization(Policies.Read);

        surveys.MapGet("/", ListSurveys).WithName("ListSurveys").WithSummary("List the workspace's surveys");
        surveys.MapPost("/", CreateSurvey).WithName("CreateSurvey")
            .WithSummary("Create an NPS, attribution (\"How did you hear about us?\"), CSAT or CES survey").RequireAuthorization(Policies.EditSurveys);
        surveys.MapGet("/{id:guid}", GetSurvey).WithName("GetSurvey").WithSummary("Get a survey");
        surveys.MapPatch("/{id:guid}", UpdateSurvey).WithName("UpdateSurvey")
            .WithSummary("Rename, reword, open/close a survey or change how long new invitations last").RequireAuthorization(Policies.EditSurveys);
        surveys.MapPost("/{id:guid}/invitations", CreateInvitations).WithName("CreateInvitations")
            .WithSummary("Create single-use invitation links for up to 1,000 recipients (idempotent per externalRef)")
            .RequireAuthorization(Policies.SendInvitations);
        surveys.MapGet("/{id:guid}/results", SurveyResultsEndpoint.GetResults).WithName("GetSurveyResults")
            .WithSummary("Scores with 95% intervals, trend per day/week/month and per-group results");
        surveys.MapGet("/{id:guid}/responses.csv", SurveyCsvExport.ExportResponses).WithName("ExportSurveyResponses")
            .WithSummary("All responses as CSV (UTF-8 with BOM for Excel; formula injection neutralised)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    private static async Task<Ok<List<SurveyDetails>>> ListSurveys(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var surveys = await db.Surveys.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(surveys.Select(ToDetails).ToList());
    }

    private static async Task<Results<Ok<SurveyDetails>, NotFound>> GetSurvey(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        return survey is null ? TypedResults.NotFound() : TypedResults.Ok(ToDetails(survey));
    }

    private static async Task<Results<Created<SurveyDetails>, ValidationProblem>> CreateSurvey(
        CreateSurveyRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var errors = new ValidationErrors();
        errors.OneOf("type", request.Type, SurveyTypes.All, required: true);
        errors.Text("name", request.Name, 200, required: true);
        errors.Text("question", request.Question, 500);
        ValidateTtl(errors, request.InvitationTtlHours);

        var type = request.Type?.Trim() ?? "";
        var options = new List<SurveyOption>();
        if (type == SurveyTypes.Attribution)
        {
            var requested = request.Options ?? [];
            if (requested.Count == 0) errors.Add("options", "An attribution survey needs at least one option.");
            if (requested.Count > SurveyRules.MaxOptions) errors.Add("options", $"At most {SurveyRules.MaxOptions} options.");
            for (var i = 0; i < requested.Count; i++)
            {
                errors.Text($"options[{i}].label", requested[i].Label, 200, required: true);
                var optionId = string.IsNullOrWhiteSpace(requested[i].Id) ? AttributionText.Slug(requested[i].Label ?? "") : requested[i].Id!.Trim();
                if (optionId.Length is 0 or > 60 || optionId == AnswerParser.OtherOptionId)
                    errors.Add($"options[{i}].id", "Must be 1–60 characters and not 'other' (the free-text answer).");
                else if (options.Any(o => o.Id == optionId))
                    errors.Add($"options[{i}].id", $"Duplicate option id '{optionId}'.");
                options.Add(new SurveyOption { Id = optionId, Label = requested[i].Label?.Trim() ?? "", TouchpointId = requested[i].TouchpointId });
            }
        }
        else if (request.Options is { Count: > 0 })
            errors.Add("options", "Only attribution surveys have options.");

        await ValidateTouchpoints(db, workspaceId, request.MapId, request.TouchpointId, options, errors, ct);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var survey = new Survey
        {
            WorkspaceId = workspaceId,
            Type = type,
            Name = request.Name!.Trim(),
            Question = string.IsNullOrWhiteSpace(request.Question) ? SurveyRules.DefaultQuestion(type) : request.Question.Trim(),
            Options = options,
            AllowOther = request.AllowOther ?? true,
            MapId = request.MapId,
            TouchpointId = request.TouchpointId,
            IsOpen = request.IsOpen ?? true,
            InvitationTtlHours = request.InvitationTtlHours ?? SurveyRules.DefaultInvitationTtlHours,
        };
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/surveys/{survey.Id}", ToDetails(survey));
    }

    private static async Task<Results<Ok<SurveyDetails>, NotFound, ValidationProblem>> UpdateSurvey(
        Guid id, UpdateSurveyRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, IMemoryCache cache, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var survey = await db.Surveys.FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (survey is null) return TypedResults.NotFound();

        var errors = new ValidationErrors();
        if (request.Name is not null) errors.Text("name", request.Name, 200, required: true);
        errors.Text("question", request.Question, 500);
        ValidateTtl(errors, request.InvitationTtlHours);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        if (request.Name is not null) survey.Name = request.Name.Trim();
        if (!string.IsNullOrWhiteSpace(request.Question)) survey.Question = request.Question.Trim();
        if (request.IsOpen is { } isOpen) survey.IsOpen = isOpen;
        if (request.InvitationTtlHours is { } ttl) survey.InvitationTtlHours = ttl;
        await db.SaveChangesAsync(ct);
        SurveyLinkCache.Forget(cache, survey.Id);
        return TypedResults.Ok(ToDetails(survey));
    }

    private static async Task<Results<Created<CreateInvitationsResponse>, Ok<CreateInvitationsResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CreateInvitations(
        Guid id, CreateInvitationsRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, HttpRequest http,
        IOptions<SurveyOptions> options, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (survey is null) return TypedResults.NotFound();
        if (!survey.IsOpen)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The survey is closed",
                detail: "Open it again (PATCH isOpen=true) before sending invitations.");

        var recipients = request.Recipients ?? [];
        var errors = ValidateRecipients(recipients);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        // Same externalRef twice (in this call or before) returns the existing invitation instead of a second link.
        var existing = await ExistingByExternalRefAsync(db, survey.Id, recipients, ct);

        var now = DateTime.UtcNow;
        var results = new List<(Invitation Invitation, bool Created)>(recipients.Count);
        foreach (var r in recipients)
        {
            var externalRef = string.IsNullOrWhiteSpace(r.ExternalRef) ? null : r.ExternalRef.Trim();
            if (externalRef is not null && existing.TryGetValue(externalRef, out var found))
            {
                results.Add((found, false));
                continue;
            }
            var invitation = NewInvitation(survey, r, externalRef, now);
            db.Invitations.Add(invitation);
            if (externalRef is not null) existing[externalRef] = invitation;
            results.Add((invitation, true));
        }

        // A new invitation's metadata describes its customer: upserted as attributes in the same transaction (docs/segments.md).
        var attributes = new CustomerAttributeChanges();
        foreach (var (invitation, isNew) in results)
            if (isNew && invitation.CustomerId is { } customerId && invitation.Metadata.Count > 0) attributes.SetRaw(customerId, invitation.Metadata);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            using (var upserts = new CustomerUpserts(db.Database.GetDbConnection(), transaction.GetDbTransaction()))
                await upserts.UpsertAsync(workspaceId, attributes, DateTime.UtcNow, ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another call created the same externalRef at the same moment: retrying reads its invitations.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent invitation request",
                detail: "Another request created invitations for the same externalRef at the same time; repeat this call to get them.");
        }

        var created = results.Count(r => r.Created);
        var baseUrl = options.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{http.Scheme}://{http.Host}";
        var response = new CreateInvitationsResponse(created, results.Count - created,
            results.Select(r => ToResponse(r.Invitation, baseUrl, r.Created)).ToList());
        return created > 0
            ? TypedResults.Created($"/api/surveys/{survey.Id}/invitations", response)
            : TypedResults.Ok(response);
    }

    private static ValidationErrors ValidateRecipients(IReadOnlyList<InvitationRequest> recipients)
    {
        var errors = new ValidationErrors();
        if (recipients.Count == 0) errors.Add("recipients", "At least one recipient.");
        if (recipients.Count > SurveyRules.MaxInvitationsPerCall)
            errors.Add("recipients", $"At most {SurveyRules.MaxInvitationsPerCall} recipients per call (got {recipients.Count}).");
        for (var i = 0; i < recipients.Count && errors.IsEmpty; i++)
        {
            var r = recipients[i];
            if (r is null) { errors.Add($"recipients[{i}]", "Must be an object."); continue; }
            errors.Text($"recipients[{i}].customerId", r.CustomerId, 200);
            errors.Text($"recipients[{i}].externalRef", r.ExternalRef, 200);
            errors.Text($"recipients[{i}].channel", r.Channel, 50);
            if (r.Metadata is { Count: > 30 }) errors.Add($"recipients[{i}].metadata", "At most 30 entries.");
            foreach (var (key, value) in r.Metadata ?? new Dictionary<string, string>())
                if (string.IsNullOrWhiteSpace(key) || key.Length > 50 || value?.Length > 500)
                    errors.Add($"recipients[{i}].metadata", $"Keys 1–50 characters, values up to 500 ('{key}').");
        }
        return errors;
    }

    /// <summary>The survey's invitations already sent under one of the recipients' external references.</summary>
    private static async Task<Dictionary<string, Invitation>> ExistingByExternalRefAsync(
        JourneyFeedbackDb db, Guid surveyId, IReadOnlyList<InvitationRequest> recipients, CancellationToken ct)
    {
        var refs = recipients.Select(r => r.ExternalRef?.Trim()).OfType<string>().Where(r => r.Length > 0).Distinct().ToList();
        return refs.Count == 0 ? new Dictionary<string, Invitation>()
            : await db.Invitations.AsNoTracking()
                .Where(i => i.SurveyId == surveyId && refs.Contains(i.ExternalRef!))
                .ToDictionaryAsync(i => i.ExternalRef!, ct);
    }

    private static Invitation NewInvitation(Survey survey, InvitationRequest recipient, string? externalRef, DateTime now) => new()
    {
        WorkspaceId = survey.WorkspaceId,
        SurveyId = survey.Id,
        Token = SurveyLinkToken.New(survey.Id),
        CustomerId = Clean(recipient.CustomerId),
        ExternalRef = externalRef,
        Channel = Clean(recipient.Channel),
        Metadata = (recipient.Metadata ?? new Dictionary<string, string>()).ToDictionary(m => m.Key.Trim(), m => m.Value?.Trim() ?? ""),
        CreatedAt = now,
        ExpiresAt = now.AddHours(survey.InvitationTtlHours),
    };

    private static InvitationResponse ToResponse(Invitation i, string baseUrl, bool created) =>
        new(i.Id, i.Token, $"{baseUrl}/s/{i.Token}", i.CustomerId, i.ExternalRef, i.Channel, i.Metadata, i.ExpiresAt, i.AnsweredAt, created);

    internal static SurveyDetails ToDetails(Survey s)
    {
        var scale = SurveyRules.Scale(s.Type);
        return new SurveyDetails(s.Id, s.Type, s.Name, s.Question, scale is { } sc ? new ScaleResponse(sc.Min, sc.Max) : null,
            s.Options.Select(o => new SurveyOptionResponse(o.Id, o.Label, o.TouchpointId)).ToList(), s.AllowOther,
            s.MapId, s.TouchpointId, s.IsOpen, s.InvitationTtlHours, s.CreatedAt);
    }

    private static void ValidateTtl(ValidationErrors errors, int? ttl)
    {
        if (ttl is < 1 or > SurveyRules.MaxInvitationTtlHours)
            errors.Add("invitationTtlHours", $"From 1 to {SurveyRules.MaxInvitationTtlHours} hours.");
    }

    /// <summary>The measured touchpoint and every option's touchpoint must be on a map of this workspace.</summary>
    private static async Task ValidateTouchpoints(JourneyFeedbackDb db, Guid workspaceId, Guid? mapId, Guid? touchpointId,
        List<SurveyOption> options, ValidationErrors errors, CancellationToken ct)
    {
        if (touchpointId is not null && mapId is null) errors.Add("mapId", "Required when touchpointId is given.");
        if (mapId is { } map && !await db.Maps.AnyAsync(m => m.Id == map && m.WorkspaceId == workspaceId, ct))
            errors.Add("mapId", "No map with this id in your workspace.");
        if (touchpointId is { } tp && mapId is { } m2 && !await db.Touchpoints.AnyAsync(t => t.Id == tp && t.MapId == m2 && t.WorkspaceId == workspaceId, ct))
            errors.Add("touchpointId", "No touchpoint with this id on that map.");
        for (var i = 0; i < options.Count; i++)
            if (options[i].TouchpointId is { } optionTouchpoint
                && !await db.Touchpoints.AnyAsync(t => t.Id == optionTouchpoint && t.WorkspaceId == workspaceId, ct))
                errors.Add($"options[{i}].touchpointId", "No touchpoint with this id in your workspace.");
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

