namespace JourneyFeedback.Api.Data;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the SQLite file and uploads; relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";
}
