using System.Text.Json.Serialization;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>A subscription as sent on create and replace. Filters left out (null) do not filter.</summary>
public sealed record WebhookRequest(
    string? Url, List<string>? EventTypes, string? Description = null, Guid? SurveyId = null, Guid? MapId = null, Guid? TouchpointId = null,
    string? MinSeverity = null, bool? Active = null);

/// <summary>
/// A subscription. <c>secret</c> appears only in the answers of create and rotate: keep it then, it cannot be read
/// again. <c>disabledReason</c> says why the API turned it off; <c>failingSince</c> is the first failure since the last success.
/// </summary>
public sealed record WebhookResponse(
    Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, Guid? SurveyId, Guid? MapId, Guid? TouchpointId,
    string? MinSeverity, bool Active, DateTime? DisabledAt, string? DisabledReason, DateTime? FailingSince, DateTime? LastSuccessAt,
    DateTime? PreviousSecretExpiresAt, DateTime CreatedAt, DateTime UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }
}

/// <param name="OverlapHours">How long the previous secret keeps signing beside the new one (default Webhooks:RotationOverlap; 0 stops it at once).</param>
public sealed record RotateSecretRequest(double? OverlapHours = null);

/// <summary>One message on its way to one subscription: its attempts so far and the next one.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id, string MessageId, string Type, string Status, int Attempts, int? LastStatusCode, int? LastLatencyMs, string? LastError,
    DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt)
{
    /// <summary>The exact body every attempt sends (only when one delivery is read).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Body { get; init; }
}

public sealed record WebhookDeliveryPage(int Page, int PageSize, int Total, IReadOnlyList<WebhookDeliveryResponse> Items);

/// <summary>What was queued: the message (its <c>webhook-id</c>) and its delivery to this subscription.</summary>
public sealed record WebhookQueued(string MessageId, Guid DeliveryId);

public sealed record WebhookEventTypeInfo(string Type, string Description, string Severity);
