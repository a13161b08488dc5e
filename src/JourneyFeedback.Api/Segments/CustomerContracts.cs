namespace JourneyFeedback.Api.Segments;

/// <summary>A customer and what the workspace knows about them: normalised attribute key → value.</summary>
public sealed record CustomerResponse(string CustomerId, IReadOnlyDictionary<string, string> Attributes, DateTime UpdatedAt);

public sealed record CustomersPage(int Page, int PageSize, int Total, IReadOnlyList<CustomerResponse> Items);
