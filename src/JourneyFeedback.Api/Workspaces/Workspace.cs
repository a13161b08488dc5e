namespace JourneyFeedback.Api.Workspaces;

/// <summary>A tenant: every stored row belongs to exactly one workspace.</summary>
internal sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }

    /// <summary>The workspace the bootstrap key and the demo content belong to.</summary>
    public bool IsDefault { get; set; }
    /// <summary>Replace e-mail addresses, phone and card numbers in imported text before it is stored or analysed.</summary>
    public bool RedactPersonalData { get; set; } = true;

    /// <summary>Bumped by every committed batch of analytics events: the maps' journey logs are rebuilt when it moves.</summary>
    public long EventsVersion { get; set; }

    /// <summary>Bumped in the same transaction as every write of customer attributes: segment filters re-read them when it moves.</summary>
    public long CustomersVersion { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
