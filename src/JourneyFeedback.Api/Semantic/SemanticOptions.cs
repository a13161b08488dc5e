namespace JourneyFeedback.Api.Semantic;

/// <summary>The semantic tier: sentence embeddings spent where they pay (docs/insights.md, "Semantic tier").</summary>
internal sealed class SemanticOptions
{
    public const string Section = "Semantic";

    /// <summary>Off: matching stays lexical and themes stay per pain-point category (the encoder is never loaded).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Encoder threads. One runs on the worker's own low-priority thread, so imports and requests win the CPU.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Items per map the encoder embeds and places (inbox items first, then in id order, a spread over the map): all of
    /// a map this size or smaller; beyond it the lexical matcher, taught by these placements, carries the rest.
    /// </summary>
    public int MaxEmbeddedItemsPerMap { get; set; } = 5000;

    /// <summary>Texts per encoder call and write transaction.</summary>
    public int BatchSize { get; set; } = 64;
    public int PollSeconds { get; set; } = 2;

    /// <summary>A map's pain-point themes are recomputed at most this often, and only after its evidence changed.</summary>
    public int ThemeRefreshSeconds { get; set; } = 60;

    /// <summary>The newest negative items per touchpoint that theme discovery embeds and groups; older ones join the nearest theme.</summary>
    public int MaxThemeItemsPerTouchpoint { get; set; } = 1500;
}
