namespace JourneyFeedback.Analysis.Emotions;

/// <summary>Ekman's six basic emotions plus neutral, the grouping used by the GoEmotions paper.</summary>
public enum EkmanGroup
{
    Anger,
    Disgust,
    Fear,
    Joy,
    Sadness,
    Surprise,
    Neutral,
}

/// <summary>An emotion label we predict, its Ekman group and the GoEmotions labels it is trained from.</summary>
public sealed record EmotionLabel(string Name, EkmanGroup Group, IReadOnlyList<string> GoEmotionsLabels);

/// <summary>
/// The customer-experience emotion labels. Each maps to exactly one Ekman group, following
/// GoEmotions' ekman_mapping.json. "neutral" is not a model: it is reported when no label passes its threshold.
/// </summary>
public static class EmotionLabels
{
    public const string NeutralName = "neutral";

    public static IReadOnlyList<EmotionLabel> All { get; } =
    [
        new("anger", EkmanGroup.Anger, ["anger"]),
        new("annoyance", EkmanGroup.Anger, ["annoyance"]),
        new("disapproval", EkmanGroup.Anger, ["disapproval"]),
        new("disgust", EkmanGroup.Disgust, ["disgust"]),
        new("fear", EkmanGroup.Fear, ["fear", "nervousness"]),
        new("sadness", EkmanGroup.Sadness, ["sadness", "grief"]),
        new("disappointment", EkmanGroup.Sadness, ["disappointment"]),
        new("confusion", EkmanGroup.Surprise, ["confusion"]),
        new("curiosity", EkmanGroup.Surprise, ["curiosity"]),
        new("surprise", EkmanGroup.Surprise, ["surprise"]),
        new("joy", EkmanGroup.Joy, ["joy", "amusement", "excitement"]),
        new("gratitude", EkmanGroup.Joy, ["gratitude"]),
        new("approval", EkmanGroup.Joy, ["approval"]),
        new("admiration", EkmanGroup.Joy, ["admiration", "love"]),
        new("relief", EkmanGroup.Joy, ["relief"]),
        new("optimism", EkmanGroup.Joy, ["optimism"]),
    ];

    /// <summary>The six Ekman groups that have their own model head (neutral = no group passes).</summary>
    public static IReadOnlyList<EkmanGroup> ModelledGroups { get; } =
        [EkmanGroup.Anger, EkmanGroup.Disgust, EkmanGroup.Fear, EkmanGroup.Joy, EkmanGroup.Sadness, EkmanGroup.Surprise];

    /// <summary>GoEmotions' own label → Ekman group mapping (all 27 labels), used to train the group heads.</summary>
    public static IReadOnlyDictionary<string, EkmanGroup> GoEmotionsToEkman { get; } = new Dictionary<string, EkmanGroup>
    {
        ["anger"] = EkmanGroup.Anger, ["annoyance"] = EkmanGroup.Anger, ["disapproval"] = EkmanGroup.Anger,
        ["disgust"] = EkmanGroup.Disgust,
        ["fear"] = EkmanGroup.Fear, ["nervousness"] = EkmanGroup.Fear,
        ["joy"] = EkmanGroup.Joy, ["amusement"] = EkmanGroup.Joy, ["approval"] = EkmanGroup.Joy,
        ["excitement"] = EkmanGroup.Joy, ["gratitude"] = EkmanGroup.Joy, ["love"] = EkmanGroup.Joy,
        ["optimism"] = EkmanGroup.Joy, ["relief"] = EkmanGroup.Joy, ["pride"] = EkmanGroup.Joy,
        ["admiration"] = EkmanGroup.Joy, ["desire"] = EkmanGroup.Joy, ["caring"] = EkmanGroup.Joy,
        ["sadness"] = EkmanGroup.Sadness, ["disappointment"] = EkmanGroup.Sadness, ["embarrassment"] = EkmanGroup.Sadness,
        ["grief"] = EkmanGroup.Sadness, ["remorse"] = EkmanGroup.Sadness,
        ["surprise"] = EkmanGroup.Surprise, ["realization"] = EkmanGroup.Surprise, ["confusion"] = EkmanGroup.Surprise,
        ["curiosity"] = EkmanGroup.Surprise,
        ["neutral"] = EkmanGroup.Neutral,
    };

    public static EkmanGroup GroupOf(string label) =>
        label == NeutralName ? EkmanGroup.Neutral
        : All.FirstOrDefault(l => l.Name == label)?.Group
          ?? throw new ArgumentException($"Unknown emotion label '{label}'.", nameof(label));

    public static string GroupName(EkmanGroup group) => group.ToString().ToLowerInvariant();
}
