using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Webhooks;

internal static class WebhooksEndpoints
{
    private const int MaxSubscriptionsPerWorkspace = 100;

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.ManageWebhooks);
        hooks.MapGet("/event-types", EventTypes).WithName("ListWebhookEventTypes")
            .WithSummary("The event types a subscription can ask for, with their severity (schemas: the OpenAPI document's webhooks, docs/webhooks.md)");
        hooks.MapGet("/", List).WithName("ListWebhooks").WithSummary("The workspace's webhook subscriptions (never their secrets)");
        hooks.MapPost("/", Create).WithName("CreateWebhook")
            .WithSummary("Subscribe a URL to event types, with optional filters; the signing secret is returned once");
        hooks.MapGet("/{id:guid}", Get).WithName("GetWebhook").WithSummary("One subscription, with why it was disabled if it was");
        hooks.MapPut("/{id:guid}", Replace).WithName("ReplaceWebhook")
            .WithSummary("Replace a subscription's URL, event types, filters and description; active=true re-enables a disabled one");
        hooks.MapDelete("/{id:guid}", Delete).WithName("DeleteWebhook").WithSummary("Delete a subscription and its delivery log");
        hooks.MapPost("/{id:guid}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret (returned once); the previous one keeps signing beside it for the overlap");
        hooks.MapGet("/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The delivery log, newest first: status, attempts, last response code, latency, next attempt");
        hooks.MapGet("/{id:guid}/deliveries/{deliveryId:guid}", Delivery).WithName("GetWebhookDelivery")
            .WithSummary("One delivery, with the exact body it sends");
        hooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", Replay).WithName("ReplayWebhookDelivery")
            .WithSummary("Send a finished delivery again, same webhook-id, with a fresh retry schedule");
        hooks.MapPost("/{id:guid}/test", Test).WithName("TestWebhook")
            .WithSummary("Queue a webhook.test event to this subscription only");
        return app;
    }

    private static Ok<WebhookEventTypeInfo[]> EventTypes() => TypedResults.Ok(new WebhookEventTypeInfo[]
    {
        new(WebhookEventTypes.SurveyAnswered, "Every stored survey answer.", WebhookSeverity.Low),
        new(WebhookEventTypes.SurveyDetractor, "An answer of NPS 0–6, CSAT 1–2 or CES 1–2 (1 = very difficult); high for NPS 0–3, CSAT 1, CES 1.", $"{WebhookSeverity.Medium} or {WebhookSeverity.High}"),
        new(WebhookEventTypes.ImportCompleted, "An import finished (succeeded or cancelled), with its counts.", WebhookSeverity.Low),
        new(WebhookEventTypes.ImportFailed, "An import stopped on an error, with the reason.", WebhookSeverity.High),
        new(WebhookEventTypes.PainPointEmerged, "A pain-point theme all of whose items fall in the current period.", WebhookSeverity.Medium),
        new(WebhookEventTypes.PainPointSpiked, "A theme whose count rose significantly against the previous period (exact binomial test, Holm-corrected).", WebhookSeverity.High),
        new(WebhookEventTypes.MapInboxGrew, "A map's unassigned items reached Webhooks:InboxThreshold.", WebhookSeverity.Medium),
        new(WebhookEventTypes.Test, "Sent by POST /api/webhooks/{id}/test to that subscription only.", WebhookSeverity.Low),
    });

    private static async Task<Ok<List<WebhookResponse>>> List(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var rows = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToResponse).ToList());
    }

    private static async Task<Results<Ok<WebhookResponse>, NotFound>> Get(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var row = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(row));
    }

    private static async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> Create(
        WebhookRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, IOptions<WebhooksOptions> options, TimeProvider time, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var errors = await ValidateAsync(request, workspaceId, db, options.Value, ct);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (await db.WebhookSubscriptions.CountAsync(s => s.WorkspaceId == workspaceId, ct) >= MaxSubscriptionsPerWorkspace)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many webhook subscriptions",
                detail: $"A workspace has at most {MaxSubscriptionsPerWorkspace}; delete one first.");

        var now = Now(time);
        var subscription = new WebhookSubscription
        {
            WorkspaceId = workspaceId, Url = request.Url!.Trim(), Secret = WebhookSignature.NewSecret(), CreatedAt = now, UpdatedAt = now,
        };
        Apply(subscription, request);
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/webhooks/{subscription.Id}", ToResponse(subscription) with { Secret = subscription.Secret });
    }

    private static async Task<Results<Ok<WebhookResponse>, ValidationProblem, NotFound>> Replace(
        Guid id, WebhookRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, IOptions<WebhooksOptions> options, TimeProvider time, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (subscription is null) return TypedResults.NotFound();
        var errors = await ValidateAsync(request, workspaceId, db, options.Value, ct);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var wasActive = subscription.Active;
        subscription.Url = request.Url!.Trim();
        Apply(subscription, request);
        if (subscription.Active && !wasActive)
        {
            // Re-enabled: the failure history that disabled it starts over.
            subscription.DisabledAt = null;
            subscription.DisabledReason = null;
            subscription.FailingSince = null;
        }
        else if (!subscription.Active && wasActive)
        {
            subscription.DisabledAt = Now(time);
            subscription.DisabledReason = "Turned off by an admin.";
        }
        subscription.UpdatedAt = Now(time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(subscription));
    }

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var deleted = await db.WebhookSubscriptions.Where(s => s.Id == id && s.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<WebhookResponse>, NotFound, ProblemHttpResult>> RotateSecret(
        Guid id, RotateSecretRequest? request, ClaimsPrincipal user, JourneyFeedbackDb db, IOptions<WebhooksOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        var overlapHours = request?.OverlapHours ?? options.Value.RotationOverlap.TotalHours;
        if (overlapHours is < 0 or > 24 * 30 || double.IsNaN(overlapHours))
            return Problems.BadRequest("overlapHours", "From 0 to 720 hours (30 days).");
        var workspaceId = user.WorkspaceId();
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (subscription is null) return TypedResults.NotFound();
        var now = Now(time);
        // Rotating again during an overlap drops the oldest secret: at most two sign.
        subscription.PreviousSecret = overlapHours > 0 ? subscription.Secret : null;
        subscription.PreviousSecretExpiresAt = overlapHours > 0 ? now.AddHours(overlapHours) : null;
        subscription.Secret = WebhookSignature.NewSecret();
        subscription.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(subscription) with { Secret = subscription.Secret });
    }

    private static async Task<Results<Ok<WebhookDeliveryPage>, NotFound, ProblemHttpResult>> Deliveries(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct, string? status = null, string? type = null,
        int page = 1, int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Problem(page, pageSize) is { } problem) return problem;
        string[] statuses = [DeliveryStatus.Pending, DeliveryStatus.Succeeded, DeliveryStatus.Failed];
        if (status is not null && !statuses.Contains(status))
            return Problems.BadRequest("status", $"One of: {string.Join(", ", statuses)}.");
        var workspaceId = user.WorkspaceId();
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct)) return TypedResults.NotFound();
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (status is not null) query = query.Where(d => d.Status == status);
        if (type is not null) query = query.Where(d => d.Type == type);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Page(page, pageSize)
            .Select(d => new WebhookDeliveryResponse(d.Id, d.MessageId, d.Type, d.Status, d.Attempts, d.LastStatusCode, d.LastLatencyMs,
                d.LastError, d.LastAttemptAt, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new WebhookDeliveryPage(page, pageSize, total, items));
    }

    private static async Task<Results<Ok<WebhookDeliveryResponse>, NotFound>> Delivery(
        Guid id, Guid deliveryId, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var row = await (
            from d in db.WebhookDeliveries.AsNoTracking()
            join m in db.WebhookMessages.AsNoTracking() on d.MessageId equals m.Id
            where d.Id == deliveryId && d.SubscriptionId == id && d.WorkspaceId == workspaceId
            select new WebhookDeliveryResponse(d.Id, d.MessageId, d.Type, d.Status, d.Attempts, d.LastStatusCode, d.LastLatencyMs,
                d.LastError, d.LastAttemptAt, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt) { Body = m.Body })
            .FirstOrDefaultAsync(ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row);
    }

    private static async Task<Results<Accepted<WebhookQueued>, NotFound, ProblemHttpResult>> Replay(
        Guid id, Guid deliveryId, ClaimsPrincipal user, JourneyFeedbackDb db, WebhookSignal signal, TimeProvider time, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var delivery = await db.WebhookDeliveries.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == id && d.WorkspaceId == workspaceId, ct);
        if (delivery is null) return TypedResults.NotFound();
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id && s.Active, ct)) return Disabled();
        // Only a finished delivery: a pending one is in flight or scheduled, and a replay would race its attempt.
        var now = Now(time);
        var replayed = await db.WebhookDeliveries.Where(d => d.Id == deliveryId && d.Status != DeliveryStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.DeliveredAt, (DateTime?)null), ct);
        if (replayed == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The delivery is still pending",
                detail: $"Its next attempt is at {delivery.NextAttemptAt:O}; replay it once it has succeeded or failed.");
        signal.Notify(deliveryId);
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries/{deliveryId}", new WebhookQueued(delivery.MessageId, deliveryId));
    }

    private static async Task<Results<Accepted<WebhookQueued>, NotFound, ProblemHttpResult>> Test(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.WorkspaceId == workspaceId, ct);
        if (subscription is null) return TypedResults.NotFound();
        if (!subscription.Active) return Disabled();
        var data = new WebhookTestData(id, "A test event from JourneyFeedback: your receiver got it and can check its signature.",
            new Dictionary<string, string> { ["webhook"] = $"/api/webhooks/{id}", ["deliveries"] = $"/api/webhooks/{id}/deliveries" });
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var written = await outbox.WriteAsync(db,
            [new OutboxEvent(workspaceId, WebhookEventTypes.Test, WebhookSeverity.Low, Now(time), data, OnlySubscription: id)], ct);
        await transaction.CommitAsync(ct);
        outbox.Committed(written);
        var queued = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id && d.Type == WebhookEventTypes.Test)
            .OrderByDescending(d => d.Id).Select(d => new WebhookQueued(d.MessageId, d.Id)).FirstAsync(ct);
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries/{queued.DeliveryId}", queued);
    }

    private static ProblemHttpResult Disabled() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "The subscription is disabled", detail: "Re-enable it first (PUT with active: true); its disabledReason says why it was turned off.");

    private static async Task<ValidationErrors> ValidateAsync(WebhookRequest request, Guid workspaceId, JourneyFeedbackDb db, WebhooksOptions options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Text("url", request.Url, 2000, required: true);
        if (!string.IsNullOrWhiteSpace(request.Url) && request.Url.Length <= 2000)
        {
            var url = request.Url.Trim();
            if (WebhookTargets.CheckUrl(url, options) is { } problem) errors.Add("url", problem);
            else
            {
                // Resolved now too, so an obviously internal name is refused at once (every delivery checks again).
                using var dns = CancellationTokenSource.CreateLinkedTokenSource(ct);
                dns.CancelAfter(TimeSpan.FromSeconds(3));
                try
                {
                    if (await WebhookTargets.CheckResolvedAsync(new Uri(url).IdnHost, options, dns.Token) is { } refused) errors.Add("url", refused);
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException && !ct.IsCancellationRequested)
                {
                    // Not resolvable from here (yet): accepted; each delivery resolves and checks it.
                }
            }
        }
        if (request.EventTypes is null || request.EventTypes.Count == 0)
            errors.Add("eventTypes", $"Required: one or more of {string.Join(", ", WebhookEventTypes.Subscribable)}.");
        else
            for (var i = 0; i < request.EventTypes.Count; i++)
                errors.OneOf($"eventTypes[{i}]", request.EventTypes[i], WebhookEventTypes.Subscribable, required: true);
        errors.Text("description", request.Description, 500);
        errors.OneOf("minSeverity", request.MinSeverity, WebhookSeverity.All);
        if (request.SurveyId is { } surveyId && !await db.Surveys.AnyAsync(s => s.Id == surveyId && s.WorkspaceId == workspaceId, ct))
            errors.Add("surveyId", "No survey with this id in the workspace.");
        if (request.MapId is { } mapId && !await db.Maps.AnyAsync(m => m.Id == mapId && m.WorkspaceId == workspaceId, ct))
            errors.Add("mapId", "No map with this id in the workspace.");
        if (request.TouchpointId is { } touchpointId)
        {
            var touchpointMap = await db.Touchpoints.Where(t => t.Id == touchpointId && t.WorkspaceId == workspaceId).Select(t => (Guid?)t.MapId).FirstOrDefaultAsync(ct);
            if (touchpointMap is null) errors.Add("touchpointId", "No touchpoint with this id in the workspace.");
            else if (request.MapId is { } m && m != touchpointMap) errors.Add("touchpointId", "This touchpoint is on another map than mapId.");
        }
        return errors;
    }

    private static void Apply(WebhookSubscription s, WebhookRequest r)
    {
        s.EventTypes = [.. r.EventTypes!.Select(t => t.Trim()).Distinct()];
        s.Description = string.IsNullOrWhiteSpace(r.Description) ? null : r.Description.Trim();
        s.SurveyId = r.SurveyId;
        s.MapId = r.MapId;
        s.TouchpointId = r.TouchpointId;
        s.MinSeverity = string.IsNullOrWhiteSpace(r.MinSeverity) ? null : r.MinSeverity.Trim();
        s.Active = r.Active ?? true;
    }

    private static DateTime Now(TimeProvider time) => Timestamps.ToMicroseconds(time.GetUtcNow().UtcDateTime);

    private static WebhookResponse ToResponse(WebhookSubscription s) => new(
        s.Id, s.Url, s.EventTypes, s.Description, s.SurveyId, s.MapId, s.TouchpointId, s.MinSeverity, s.Active, s.DisabledAt, s.DisabledReason,
        s.FailingSince, s.LastSuccessAt, s.PreviousSecret is null ? null : s.PreviousSecretExpiresAt, s.CreatedAt, s.UpdatedAt);
}
