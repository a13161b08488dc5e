namespace JourneyFeedback.Api.Journeys;

/// <summary>
/// One web- or product-analytics event of a customer (a page view, "checkout_started"), from an import of kind
/// <c>events</c>. It has no text to analyse: a map's event rules decide which touchpoint it is a contact with, when the
/// map's journeys are read, so editing the rules re-places every stored event at once.
/// </summary>
internal sealed class CustomerEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string CustomerId { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>The event name ("page_view", "checkout_started"); null when the export has only a URL.</summary>
    public string? Name { get; set; }

    /// <summary>The page URL as exported, with personal data in its query redacted; <see cref="Path"/> is what rules match.</summary>
    public string? Url { get; set; }

    /// <summary>The URL's path ("/help/returns"), without host, query or fragment.</summary>
    public string? Path { get; set; }
    public string? SessionId { get; set; }

    /// <summary>Every other column of the export, as a JSON object of strings (redacted like text).</summary>
    public string? Properties { get; set; }

    // Origin: the import file line, and the key that keeps re-imports from storing an event twice.
    public Guid? ImportId { get; set; }
    public long? LineNumber { get; set; }

    /// <summary>Unique per workspace: the export's event id when it has one, else a hash of customer, time, name, URL and session.</summary>
    public required string DedupKey { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
