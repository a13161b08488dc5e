namespace JourneyFeedback.Api.Data;

/// <summary>Where the database lives. <c>Database:Provider</c> is <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";
    public string Provider { get; set; } = "Sqlite";
}
