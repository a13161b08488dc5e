using System.Security.Claims;

namespace JourneyFeedback.Api.Auth;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's workspace. Every query filters on it, so other workspaces' ids simply are not found.</summary>
    public static Guid WorkspaceId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ApiClaims.WorkspaceId) ?? throw new InvalidOperationException("Endpoint requires an API key."));

    public static Guid KeyId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ApiClaims.KeyId) ?? throw new InvalidOperationException("Endpoint requires an API key."));
}
