namespace JourneyFeedback.Analysis.Training;

/// <summary>A human correction or weak label for the sentiment model ("negative", "neutral" or "positive").</summary>
public sealed record SentimentExample(string Text, string Label);

/// <summary>Emotion labels (names from EmotionLabels.All) that apply to a text; none means neutral.</summary>
public sealed record EmotionExample(string Text, IReadOnlyList<string> Labels);

/// <summary>A text's pain-point category (a name from PainPointTaxonomy, possibly "none").</summary>
public sealed record PainPointExample(string Text, string Category);

public sealed record TrainingOptions
{
    /// <summary>Defaults to TrainingData/ next to the app (<see cref="TrainingDataLocator"/>).</summary>
    public string? TrainingDataDirectory { get; init; }

    /// <summary>Defaults to the UTC training time, e.g. "20261123.1415".</summary>
    public string? Version { get; init; }

    public int Seed { get; init; } = 42;

    public IReadOnlyList<SentimentExample> ExtraSentiment { get; init; } = [];
    public IReadOnlyList<EmotionExample> ExtraEmotions { get; init; } = [];
    public IReadOnlyList<PainPointExample> ExtraPainPoints { get; init; } = [];

    /// <summary>Example weight of extra examples relative to 1.0 for the built-in in-domain rows.</summary>
    public float ExtraExampleWeight { get; init; } = 1f;

    /// <summary>Weak sentiment labels (from star ratings or NPS scores, see WeakLabels): noisier than corrections, so weighted apart.</summary>
    public IReadOnlyList<SentimentExample> WeakSentiment { get; init; } = [];
    public float WeakExampleWeight { get; init; } = 0.5f;

    /// <summary>Threads for featurizing, training the emotion heads and evaluating; 1 keeps all work on the calling thread.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Caps every training source at this many rows (seeded sample) for quick runs such as tests. Held-out data is never capped.</summary>
    public int? MaxRowsPerSource { get; init; }
}
