namespace JourneyFeedback.Api.Segments;

/// <summary>A saved, named filter over customer attributes and item fields (grammar: docs/segments.md).</summary>
internal sealed class SavedSegment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>The expression in its canonical form (as <see cref="SegmentExpression.ToString"/> prints it).</summary>
    public required string Expression { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
