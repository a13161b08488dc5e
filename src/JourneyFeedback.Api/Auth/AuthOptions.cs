namespace JourneyFeedback.Api.Auth;

internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>When set, an admin key with exactly this value exists for the default workspace and is the instance administrator.</summary>
    public string? BootstrapKey { get; set; }
}
