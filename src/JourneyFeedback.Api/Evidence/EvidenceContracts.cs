using System.Text.Json;

namespace JourneyFeedback.Api.Evidence;

/// <summary>Where an item came from: an import file line, or a survey answer and its invitation.</summary>
public sealed record EvidenceOrigin(string Type, Guid? ImportId, string? FileName, long? LineNumber, Guid? SurveyId, Guid? SurveyAnswerId, string? InvitationRef);

/// <summary>What the models said about an item, and which versions said it; null until analysed.</summary>
public sealed record EvidenceAnalysis(
    string? Sentiment, IReadOnlyDictionary<string, double?> SentimentScores, JsonElement? Emotions, string? PainPoint, JsonElement? PainPoints,
    JsonElement? KeyPhrases, string? Language, bool LowConfidence, string? ModelVersion, string? ModelLanguage, DateTime? AnalyzedAt,
    IReadOnlyList<string> Corrected);

public sealed record EvidenceItem(
    Guid Id, string Kind, string Text, string? CustomerId, string? ExternalId, DateTime OccurredAt, string? Channel, string? Source,
    double? Rating, double? RatingScale, string? Title, string? Language, string? Participant, string? Question,
    IReadOnlyDictionary<string, string>? Metadata, Guid? MapId, Guid? TouchpointId, string? MatchReason, double? MatchConfidence,
    EvidenceOrigin Origin, EvidenceAnalysis? Analysis);

public sealed record EvidencePage(int Page, int PageSize, int Total, IReadOnlyList<EvidenceItem> Items);
