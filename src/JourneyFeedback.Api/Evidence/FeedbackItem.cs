namespace JourneyFeedback.Api.Evidence;

/// <summary>
/// One piece of customer feedback with text: a survey comment, a support-log line, a complaint, a review or an
/// interview answer. It keeps its origin so every quote can be traced back to where it came from.
/// </summary>
internal sealed class FeedbackItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }

    /// <summary><c>survey</c>, <c>support-log</c>, <c>complaint-log</c>, <c>review</c> or <c>interview</c>.</summary>
    public required string Kind { get; set; }
    public required string Text { get; set; }
    public string? CustomerId { get; set; }
    public string? ExternalId { get; set; }
    public DateTime OccurredAt { get; set; }
    public string? Channel { get; set; }
    public string? Source { get; set; }
    public double? Rating { get; set; }
    public double? RatingScale { get; set; }
    public string? Title { get; set; }
    public string? Language { get; set; }
    public string? Participant { get; set; }
    public string? Question { get; set; }

    /// <summary>Everything else known about the item (invitation metadata, unmapped CSV columns), as JSON.</summary>
    public string? Metadata { get; set; }

    // Origin: a survey response, or an import file line.
    public Guid? ImportId { get; set; }

    /// <summary>The physical line of the file where the record starts.</summary>
    public long? LineNumber { get; set; }

    /// <summary>SHA-256 of the item's content; with <see cref="DedupKey"/> it keeps re-imports from duplicating rows.</summary>
    public string? ContentHash { get; set; }

    /// <summary>Unique per workspace: the external id (scoped by kind and source) when there is one, else the content hash.</summary>
    public string? DedupKey { get; set; }
    public Guid? SurveyId { get; set; }
    public Guid? SurveyAnswerId { get; set; }
    public string? InvitationRef { get; set; }

    // Where it sits on a map.
    public Guid? MapId { get; set; }
    public Guid? TouchpointId { get; set; }

    /// <summary>Why the item sits on its touchpoint: survey, channel, source, text or manual (null: not matched, or in the inbox).</summary>
    public string? MatchReason { get; set; }
    public double? MatchConfidence { get; set; }

    /// <summary>When the matcher last looked at the item; null means "match me" for the matching worker.</summary>
    public DateTime? MatchedAt { get; set; }

    /// <summary>The pain-point theme (Semantic.Theme) the item belongs to, set by the theme refresh.</summary>
    public Guid? ThemeId { get; set; }

    // What the analysis models say, stamped with the model versions that said it. Null until analysed.
    public string? Sentiment { get; set; }
    public double? SentimentNegative { get; set; }
    public double? SentimentNeutral { get; set; }
    public double? SentimentPositive { get; set; }

    /// <summary>JSON: [{"label","group","score"}] above their thresholds.</summary>
    public string? Emotions { get; set; }

    /// <summary>The most likely pain-point category (possibly "none"), and JSON [{"category","score"}] of the top ones.</summary>
    public string? PainPoint { get; set; }
    public string? PainPoints { get; set; }

    /// <summary>JSON array of key phrases, for naming themes.</summary>
    public string? KeyPhrases { get; set; }
    public string? DetectedLanguage { get; set; }

    /// <summary>No models know the text's language: the English ones scored it and should not be trusted.</summary>
    public bool LowConfidence { get; set; }
    public string? ModelVersion { get; set; }

    /// <summary>Whose models analysed the text: en, pl, it or ro (the item's language column when mapped, else detected).</summary>
    public string? ModelLanguage { get; set; }
    public DateTime? AnalyzedAt { get; set; }

    // Human corrections are labels: a corrected field is never overwritten by a model.
    public bool SentimentCorrected { get; set; }
    public bool EmotionsCorrected { get; set; }
    public bool PainPointCorrected { get; set; }
    public DateTime? CorrectedAt { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>
    /// The map's change counter as this row last changed: above every EvidenceVersion a reader could have seen before
    /// the change, and not above the version that shows it. Snapshots read only the rows changed since their version.
    /// Raw writers stamp it; the triggers stamp what a writer left unstamped (EvidenceVersionTriggers).
    /// </summary>
    public long ChangeVersion { get; set; }
}
