using System.Text.Json.Serialization;

namespace JourneyFeedback.Api.Surveys;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateSurveyRequest(
    string? Type,
    string? Name,
    string? Question = null,
    IReadOnlyList<SurveyOptionRequest>? Options = null,
    bool? AllowOther = null,
    Guid? MapId = null,
    Guid? TouchpointId = null,
    bool? IsOpen = null,
    int? InvitationTtlHours = null);

/// <summary>An attribution option; <c>id</c> defaults to a slug of the label. <c>touchpointId</c> links it to an awareness touchpoint.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SurveyOptionRequest(string? Label, string? Id = null, Guid? TouchpointId = null);

/// <summary>Changes a survey; omitted fields stay as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateSurveyRequest(string? Name = null, string? Question = null, bool? IsOpen = null, int? InvitationTtlHours = null);

public sealed record SurveyOptionResponse(string Id, string Label, Guid? TouchpointId);

public sealed record ScaleResponse(int Min, int Max);

public sealed record SurveyDetails(
    Guid Id,
    string Type,
    string Name,
    string Question,
    ScaleResponse? Scale,
    IReadOnlyList<SurveyOptionResponse> Options,
    bool AllowOther,
    Guid? MapId,
    Guid? TouchpointId,
    bool IsOpen,
    int InvitationTtlHours,
    DateTime CreatedAt);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateInvitationsRequest(IReadOnlyList<InvitationRequest>? Recipients);

/// <summary>One recipient: the customer, the chat or ticket id (<c>externalRef</c>), the channel and free metadata (agent, team, segment, language…).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record InvitationRequest(
    string? CustomerId = null,
    string? ExternalRef = null,
    string? Channel = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

public sealed record InvitationResponse(
    Guid Id,
    string Token,
    string Url,
    string? CustomerId,
    string? ExternalRef,
    string? Channel,
    IReadOnlyDictionary<string, string> Metadata,
    DateTime ExpiresAt,
    DateTime? AnsweredAt,
    bool Created);

public sealed record CreateInvitationsResponse(int Created, int Existing, IReadOnlyList<InvitationResponse> Invitations);

/// <summary>What a respondent sees: no ids, nothing about the customer.</summary>
public sealed record PublicSurvey(
    string Type,
    string Name,
    string Question,
    ScaleResponse? Scale,
    IReadOnlyList<PublicOption> Options,
    bool AllowOther,
    int MaxCommentLength,
    DateTime ExpiresAt);

public sealed record PublicOption(string Id, string Label);

public sealed record AnswerAccepted(Guid ResponseId, DateTime AnsweredAt);
