namespace JourneyFeedback.Api.Data;

/// <summary>
/// Every path the app derives from <c>Storage:DataDirectory</c>: the SQLite file (when no connection string is given),
/// uploads (<c>imports/{importId}.csv</c>), promoted models (<c>models/{workspaceId}/{version}/</c>) and saved evidence
/// snapshots (<c>snapshots/{mapId}.snapshot</c>).
/// </summary>
internal sealed record StoragePaths(string DataDirectory)
{
    public string SqliteFile => Path.Combine(DataDirectory, "journeyfeedback.db");

    public string ImportsDirectory => Path.Combine(DataDirectory, "imports");
    public string ImportFile(Guid importId) => Path.Combine(ImportsDirectory, $"{importId}.csv");

    /// <summary>Where an upload is received; it becomes <see cref="ImportFile"/> once it is accepted.</summary>
    public string UploadFile(Guid importId) => Path.Combine(ImportsDirectory, $"{importId}.upload");

    public string ModelsDirectory => Path.Combine(DataDirectory, "models");

    /// <summary>Saved evidence snapshots: a cache that spares a restarted instance a full build (docs/insights.md).</summary>
    public string SnapshotsDirectory => Path.Combine(DataDirectory, "snapshots");
    public string SnapshotFile(Guid mapId) => Path.Combine(SnapshotsDirectory, $"{mapId}.snapshot");

    /// <summary>The data folder; a relative <c>Storage:DataDirectory</c> is taken from the content root.</summary>
    public static StoragePaths For(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{StorageOptions.Section}:DataDirectory"];
        return new(Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, builder.Environment.ContentRootPath));
    }
}
