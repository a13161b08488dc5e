namespace JourneyFeedback.Api.Tests.Browser;

/// <summary>
/// A fact that needs headless Chromium. Skipped with an install hint when Chromium is missing on a developer machine;
/// on CI (<c>CI=true</c>) it always runs, so a missing browser fails the build instead of hiding the test.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ChromiumDriver.IsInstalled && !onCi) Skip = ChromiumDriver.InstallHint;
    }
}
