using System.Security.Cryptography;
using System.Text;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// A receiver's check of a Standard Webhooks delivery, written from the specification's text (spec/standard-webhooks.md,
/// "Signature scheme", "Webhook headers", "Verifying signatures"), not from the API's code: the content signed is
/// <c>msg_id.timestamp.payload</c>; the key is the secret after <c>whsec_</c>, base64-decoded; the header is a
/// space-delimited list of <c>version,signature</c>; a symmetric one is <c>v1</c> with base64 HMAC-SHA256; compare in
/// constant time; reject timestamps outside a tolerance.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, string? id, string? timestamp, string? signatureHeader, string body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader)) return false;
        if (!long.TryParse(timestamp, out var seconds)) return false;
        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - sent).Duration() > (tolerance ?? TimeSpan.FromMinutes(5))) return false;

        if (!secret.StartsWith("whsec_", StringComparison.Ordinal)) return false;
        byte[] key;
        try { key = Convert.FromBase64String(secret["whsec_".Length..]); } catch (FormatException) { return false; }
        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));

        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',');
            if (comma < 0 || entry[..comma] != "v1") continue;
            byte[] given;
            try { given = Convert.FromBase64String(entry[(comma + 1)..]); } catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return true;
        }
        return false;
    }
}
