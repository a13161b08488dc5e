namespace JourneyFeedback.Api.Insights;

/// <summary>
/// A lane entry proposed from evidence ("Delivery: parcel late" into a stage's pain points). The author accepts or
/// rejects it; an accepted entry is written into the stage's lane and keeps its basis, so exports can show how much
/// evidence backs it today.
/// </summary>
internal sealed class LaneSuggestion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MapId { get; set; }
    public Guid StageId { get; set; }

    /// <summary><c>painPoints</c>, <c>emotions</c> or <c>questions</c>.</summary>
    public required string Lane { get; set; }
    public required string Text { get; set; }

    // The basis: which evidence the entry stands for.
    public Guid? TouchpointId { get; set; }
    public string? PainPoint { get; set; }
    public string? Emotion { get; set; }
    public string? Phrase { get; set; }
    /// <summary>The pain-point theme found by meaning the entry stands for; its id survives theme refreshes.</summary>
    public Guid? ThemeId { get; set; }

    public int EvidenceCount { get; set; }

    /// <summary><c>proposed</c>, <c>accepted</c> or <c>rejected</c>.</summary>
    public string Status { get; set; } = SuggestionStatus.Proposed;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? DecidedAt { get; set; }
}

internal static class SuggestionStatus
{
    public const string Proposed = "proposed";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}
