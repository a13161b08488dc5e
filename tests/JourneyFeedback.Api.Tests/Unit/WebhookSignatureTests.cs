using System.Security.Cryptography;
using System.Text;
using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class WebhookSignatureTests
{
    // A fixed key (bytes 1..32) so the example does not depend on the random generator.
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);
    private const string MessageId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private const long Timestamp = 1674087231;
    private const string Body = """{"type":"survey.detractor","timestamp":"2026-03-01T10:00:00Z","data":{"comment":"Zażółć gęślą jaźń – 40 min"}}""";

    /// <summary>The specification's formula, written out: base64(HMAC-SHA256(key = the secret's bytes, "{id}.{timestamp}.{body}" in UTF-8)).</summary>
    private static string Expected(byte[] key, string id, long timestamp, string body)
    {
        using var hmac = new HMACSHA256(key);
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + body)));
    }

    [Fact]
    public void TheSignatureIsTheHmacOfIdTimestampAndBodyKeyedWithTheSecretsBytes()
    {
        var signature = WebhookSignature.Sign(Secret, MessageId, Timestamp, Body);
        signature.Should().Be(Expected(Key, MessageId, Timestamp, Body));
        signature.Should().StartWith("v1,");
        Convert.FromBase64String(signature["v1,".Length..]).Should().HaveCount(32);
    }

    [Fact]
    public void AnyChangeToIdTimestampOrBodyChangesTheSignature()
    {
        var signature = WebhookSignature.Sign(Secret, MessageId, Timestamp, Body);
        WebhookSignature.Sign(Secret, MessageId + "x", Timestamp, Body).Should().NotBe(signature);
        WebhookSignature.Sign(Secret, MessageId, Timestamp + 1, Body).Should().NotBe(signature);
        WebhookSignature.Sign(Secret, MessageId, Timestamp, Body.Replace("40", "41")).Should().NotBe(signature);
    }

    [Fact]
    public void TheHeaderCarriesOneSignaturePerSecretCurrentFirst()
    {
        var previousKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var previous = "whsec_" + Convert.ToBase64String(previousKey);
        var header = WebhookSignature.Header([Secret, previous], MessageId, Timestamp, Body);
        header.Split(' ').Should().Equal(Expected(Key, MessageId, Timestamp, Body), Expected(previousKey, MessageId, Timestamp, Body));
    }

    [Fact]
    public void NewSecretsAreWhsecPlus32RandomBytes()
    {
        var a = WebhookSignature.NewSecret();
        var b = WebhookSignature.NewSecret();
        a.Should().StartWith("whsec_").And.NotBe(b);
        Convert.FromBase64String(a["whsec_".Length..]).Should().HaveCount(32);
    }
}
