using System.Security.Cryptography;
using System.Text;

namespace JourneyFeedback.Api.Shares;

/// <summary>
/// A read-only link to a map's view: whoever holds the token sees the view (and its CSV and Markdown downloads) without
/// an API key, in the share's segment, until the link expires or is revoked (deleted).
/// </summary>
internal sealed class MapShare
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MapId { get; set; }

    /// <summary>SHA-256 of the token (<see cref="ShareTokens.Hash"/>); the token itself is shown once and never stored.</summary>
    public required string TokenHash { get; set; }
    public string? Name { get; set; }

    /// <summary>A saved segment's id or a segment expression (canonical form), resolved again on every view; null: everyone.</summary>
    public string? Segment { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The API key that created the link.</summary>
    public Guid CreatedBy { get; set; }
}

internal static class ShareTokens
{
    /// <summary>256 random bits, URL-safe (43 characters): as hard to guess as an API key.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The token is long and random, so a fast unsalted hash is enough to make a leaked table useless, and a view stays
    /// one indexed equality lookup.
    /// </summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Anything that is not 43 URL-safe characters is not looked up at all.</summary>
    public static bool LooksLikeOne(string token) => token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
