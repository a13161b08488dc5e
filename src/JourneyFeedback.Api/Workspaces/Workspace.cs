namespace JourneyFeedback.Api.Workspaces;

/// <summary>A tenant: every stored row belongs to exactly one workspace.</summary>
internal sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }

    /// <summary>The workspace the bootstrap key and the demo content belong to.</summary>
    public bool IsDefault { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
