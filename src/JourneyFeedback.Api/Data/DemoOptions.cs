namespace JourneyFeedback.Api.Data;

internal sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the sample maps into the default workspace when the database is created.</summary>
    public bool SeedSampleMaps { get; set; } = true;
}
