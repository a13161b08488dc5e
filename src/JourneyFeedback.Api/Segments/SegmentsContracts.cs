namespace JourneyFeedback.Api.Segments;

/// <summary>A segment to save: a name unique in the workspace and an expression (docs/segments.md).</summary>
public sealed record SegmentRequest(string? Name, string? Expression, string? Description = null);

/// <summary>A saved segment; <c>expression</c> is the canonical form of what was sent.</summary>
public sealed record SegmentResponse(Guid Id, string Name, string? Description, string Expression, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// Which items a view counts: everyone (<c>segment</c> null), an inline expression or a saved segment (id and name), and
/// whether it is the map's persona.
/// </summary>
public sealed record SegmentView(Guid? Id, string? Name, string Expression, bool Persona);
