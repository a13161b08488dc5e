using System.Text.Json.Serialization;

namespace JourneyFeedback.Api.Shares;

/// <summary>
/// A share link to create; every member is optional. <c>segment</c>: a saved segment's id or an expression
/// (docs/segments.md); <c>expiresAt</c>: when the link stops working (UTC when no offset is given).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ShareRequest(DateTime? ExpiresAt = null, string? Segment = null, string? Name = null);

/// <summary>A new link: <c>token</c> and <c>url</c> are shown this once (only a hash of the token is stored).</summary>
public sealed record CreatedShare(Guid Id, Guid MapId, string Token, string Url, string? Name, string? Segment, DateTime? ExpiresAt,
    DateTime CreatedAt, Guid CreatedBy);

/// <summary>A link as listed: without its token, which is not stored.</summary>
public sealed record ShareResponse(Guid Id, Guid MapId, string? Name, string? Segment, DateTime? ExpiresAt, DateTime CreatedAt, Guid CreatedBy);
