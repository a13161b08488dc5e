namespace JourneyFeedback.Api.Semantic;

/// <summary>
/// A pain-point theme found by meaning on one touchpoint (docs/insights.md, "Pain-point themes"). Its id survives a
/// refresh while its membership stays mostly the same; items point to it through <c>FeedbackItems.ThemeId</c>.
/// </summary>
internal sealed class Theme
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MapId { get; set; }
    public Guid TouchpointId { get; set; }
    /// <summary>A short phrase taken from the theme's own items; unique on its touchpoint.</summary>
    public required string Name { get; set; }
    /// <summary>The pain-point category most of its items carry.</summary>
    public string? Category { get; set; }
    public List<string> Phrases { get; set; } = [];
    public required byte[] Centroid { get; set; }
    /// <summary>Members when it was computed (the items the encoder grouped, plus those placed next to them).</summary>
    public int Items { get; set; }
    public DateTime ComputedAt { get; set; } = DateTime.UtcNow;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    // When the webhook events about it were produced: emerged once, spiked at most once per period.
    public DateTime? EmergedNotifiedAt { get; set; }
    public DateTime? SpikeNotifiedAt { get; set; }
}
