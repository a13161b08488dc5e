namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// Where a workspace wants its events sent (docs/webhooks.md): a URL, the event types and filters it wants, and the
/// secret its deliveries are signed with. During a rotation the previous secret signs too, until it expires.
/// </summary>
internal sealed class WebhookSubscription
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Url { get; set; }
    public List<string> EventTypes { get; set; } = [];
    public string? Description { get; set; }

    // Filters: an event that names a survey, map or touchpoint must name this one; severity at least this.
    public Guid? SurveyId { get; set; }
    public Guid? MapId { get; set; }
    public Guid? TouchpointId { get; set; }
    public string? MinSeverity { get; set; }

    public bool Active { get; set; } = true;
    /// <summary>Why the API turned it off (410 from the receiver, or failing for longer than Webhooks:DisableAfter).</summary>
    public string? DisabledReason { get; set; }
    public DateTime? DisabledAt { get; set; }

    /// <summary><c>whsec_</c> + base64 of the random key; shown once, when created or rotated.</summary>
    public required string Secret { get; set; }
    public string? PreviousSecret { get; set; }
    public DateTime? PreviousSecretExpiresAt { get; set; }

    /// <summary>The first failure since the last success: continuous failure for Webhooks:DisableAfter disables it.</summary>
    public DateTime? FailingSince { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>
/// One event, written in the transaction that made the change it reports (the outbox). <see cref="Body"/> is the exact
/// JSON every attempt sends and signs; <see cref="Id"/> is its <c>webhook-id</c>.
/// </summary>
internal sealed class WebhookMessage
{
    public required string Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Type { get; set; }
    public required string Body { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    /// <summary>Every attempt of the schedule failed, or the receiver answered 410. (A disabled subscription's other deliveries stay pending until it is re-enabled.)</summary>
    public const string Failed = "failed";
}

/// <summary>
/// A message on its way to one subscription. While an attempt runs, <see cref="NextAttemptAt"/> is its lease: an
/// instance that dies mid-attempt leaves the delivery to be claimed again when the lease ends.
/// </summary>
internal sealed class WebhookDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid SubscriptionId { get; set; }
    public required string MessageId { get; set; }
    public required string Type { get; set; }
    public string Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public int? LastLatencyMs { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
}
