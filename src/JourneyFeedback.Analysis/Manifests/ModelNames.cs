namespace JourneyFeedback.Analysis.Manifests;

/// <summary>File-level names of the three models in a model directory.</summary>
public static class ModelNames
{
    public const string Sentiment = "sentiment";
    public const string Emotions = "emotions";
    public const string PainPoints = "painpoints";

    public static IReadOnlyList<string> All { get; } = [Sentiment, Emotions, PainPoints];

    public const string English = "en";

    /// <summary>
    /// Languages with models of their own beside English. Their three models sit in a sub-folder named by the code
    /// (Models/pl/…), with the same file names; English is at the top level.
    /// </summary>
    public static IReadOnlyList<string> OtherLanguages { get; } = ["pl", "it", "ro"];

    /// <summary>Where models are looked for by default: Models/ next to the running app (copied there by the library's csproj).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Models");
}
