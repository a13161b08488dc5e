using System.Security.Cryptography;
using System.Text;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// Standard Webhooks symmetric signatures: a secret is <c>whsec_</c> + base64 of 32 random bytes; a signature is
/// <c>v1,</c> + base64 of HMAC-SHA256, keyed with the secret's bytes, over <c>{webhook-id}.{webhook-timestamp}.{body}</c>.
/// </summary>
internal static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    private const int SecretBytes = 32;

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret, space-separated (current first).</summary>
    public static string Header(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, messageId, timestamp, body)));
}
