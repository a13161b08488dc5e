namespace JourneyFeedback.Analysis.Training;

/// <summary>
/// Where the built-in training data is: TrainingData/ next to the application, where this library's build and publish
/// copy it (like Models/), so a clone, a test run and a published folder all find it the same way.
/// </summary>
public static class TrainingDataLocator
{
    public static string DefaultDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TrainingData");

    /// <summary>
    /// The <paramref name="configured"/> folder (a relative one taken from <paramref name="relativeTo"/>, default the
    /// current directory) or, when none is configured, <see cref="DefaultDirectory"/>; null when that folder does not exist.
    /// </summary>
    public static string? Find(string? configured = null, string? relativeTo = null)
    {
        var directory = string.IsNullOrWhiteSpace(configured)
            ? DefaultDirectory
            : Path.GetFullPath(configured, relativeTo ?? Environment.CurrentDirectory);
        return Directory.Exists(directory) ? directory : null;
    }

    /// <inheritdoc cref="Find"/>
    /// <exception cref="DirectoryNotFoundException">When the folder does not exist.</exception>
    public static string Require(string? configured = null, string? relativeTo = null) =>
        Find(configured, relativeTo) ?? throw new DirectoryNotFoundException(
            "Training data not found at " + (string.IsNullOrWhiteSpace(configured) ? DefaultDirectory : configured)
            + "; it is a copy of src/JourneyFeedback.Analysis/TrainingData.");
}
