namespace JourneyFeedback.Api.Hosting;

internal sealed class LimitsOptions
{
    public const string Section = "Limits";
    public long MaxJsonBodyBytes { get; set; } = 10 * 1024 * 1024;
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;
}
