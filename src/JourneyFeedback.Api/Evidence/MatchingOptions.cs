using JourneyFeedback.Analysis.Matching;

namespace JourneyFeedback.Api.Evidence;

internal sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>Below this confidence a text match goes to the map's inbox instead of a touchpoint.</summary>
    public double Threshold { get; set; } = TouchpointMatcher.DefaultThreshold;

    /// <summary>How many of the most recent manual assignments a map's matcher learns from.</summary>
    public int MaxExamples { get; set; } = 5000;

    /// <summary>
    /// The semantic tier's confident placements teach the lexical matcher too (teacher labels), so rows the encoder
    /// never saw are placed with its knowledge: at most this many, at least this confident, each weighing this much
    /// against a person's confirmation (docs/insights.md, "Semantic tier").
    /// </summary>
    public int MaxTeacherExamples { get; set; } = 5000;
    public double TeacherMinConfidence { get; set; } = 0.6;
    public double TeacherWeight { get; set; } = 0.5;
    public int WorkerBatchSize { get; set; } = 500;
    public int WorkerPollSeconds { get; set; } = 2;

    /// <summary>Another instance may have changed a map; a cached matcher is rebuilt after this long at the latest.</summary>
    public int CacheSeconds { get; set; } = 30;
}
