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

/// <summary>
/// Which stored items to put on a map: any of import, kind, source and date range (<c>from</c> inclusive, <c>to</c>
/// exclusive, a date alone meaning the whole day, as in <c>GET /api/evidence</c>), or <c>"all": true</c>.
/// Unknown members are refused: a misspelt criterion must not widen the selection.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record AttachEvidenceRequest(
    Guid? ImportId = null, string? Kind = null, string? Source = null, DateTime? From = null, DateTime? To = null, bool? All = null);

/// <summary>
/// What the selection held: <c>attached</c> items were on no map and are now on this one, queued for matching;
/// <c>alreadyOnThisMap</c> and <c>onOtherMaps</c> were left where they are.
/// </summary>
public sealed record AttachEvidenceResponse(int Attached, int AlreadyOnThisMap, int OnOtherMaps);
