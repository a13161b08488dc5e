namespace JourneyFeedback.Api.Data;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the SQLite file and uploads; relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// A quota on the SQLite database (SQLite's <c>max_page_count</c>, set on every connection); null or 0: none. At the
    /// limit, writes fail exactly as on a full disk (507, imports fail with the reason) while reads go on, so the
    /// database cannot take the last space of a disk it shares with uploads and the system. Ignored on PostgreSQL.
    /// </summary>
    public int? MaxDatabaseMegabytes { get; set; }
}
