namespace JourneyFeedback.Api.Semantic;

/// <summary>
/// The sentence embedding of one feedback item on a map, kept apart from the item: only a bounded share of a map's
/// items is ever embedded, and re-judging them after the author teaches the matcher then needs no encoder.
/// </summary>
internal sealed class ItemEmbedding
{
    public Guid ItemId { get; set; }
    /// <summary>Copied from the item: a map's embedded items are counted and re-queued without a join.</summary>
    public Guid MapId { get; set; }
    /// <summary>384 signed bytes (Analysis.Semantic.Embedding.Pack).</summary>
    public required byte[] Vector { get; set; }
    /// <summary>When the semantic matcher last placed the item; null: waiting to be placed (again).</summary>
    public DateTime? JudgedAt { get; set; }
}
