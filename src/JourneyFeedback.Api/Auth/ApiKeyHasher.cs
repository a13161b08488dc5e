using System.Security.Cryptography;
using System.Text;

namespace JourneyFeedback.Api.Auth;

internal static class ApiKeyHasher
{
    private const string KeyPrefix = "jf_";

    /// <summary>A new key: 256 random bits, URL-safe, with a recognisable prefix for secret scanners.</summary>
    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Keys are long random strings, so a fast unsalted hash is enough to make a stolen table useless
    /// and keeps the per-request lookup a single indexed equality match.
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key.Length <= 10 ? key[..Math.Min(4, key.Length)] : key[..10];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
