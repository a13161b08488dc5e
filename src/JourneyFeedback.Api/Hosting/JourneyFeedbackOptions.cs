namespace JourneyFeedback.Api.Hosting;

/// <summary>Where the database lives. <c>Database:Provider</c> is <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";
    public string Provider { get; set; } = "Sqlite";
}

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the SQLite file and uploads; relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";
}

internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>When set, an admin key with exactly this value exists for the default workspace and is the instance administrator.</summary>
    public string? BootstrapKey { get; set; }
}

internal sealed class LimitsOptions
{
    public const string Section = "Limits";
    public long MaxJsonBodyBytes { get; set; } = 10 * 1024 * 1024;
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;
}

internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public FixedWindow Public { get; set; } = new() { PermitLimit = 60, WindowSeconds = 60 };
    public FixedWindow Api { get; set; } = new() { PermitLimit = 1200, WindowSeconds = 60 };

    internal sealed class FixedWindow
    {
        public int PermitLimit { get; set; }
        public int WindowSeconds { get; set; }
    }
}

internal sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the sample maps into the default workspace when the database is created.</summary>
    public bool SeedSampleMaps { get; set; } = true;
}
