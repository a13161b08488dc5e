using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace JourneyFeedback.Api.Surveys;

/// <summary>
/// A survey link's token: the survey's id (22 URL-safe characters) followed by 192 random bits (32 characters). The random
/// part is the credential; the survey id lets an answer be validated against the cached survey before the link itself is
/// read, so the link is read once, by the answer writer's claim (docs/benchmarks.md, "Survey answers"). Links made before
/// the prefix (32 random characters alone) still work: their survey is found by reading the link first.
/// </summary>
internal static class SurveyLinkToken
{
    private const int SurveyPart = 22; // 16 bytes, base64url without padding
    private const int RandomPart = 32; // 24 bytes

    public static string New(Guid surveyId)
    {
        Span<byte> bytes = stackalloc byte[16 + 24];
        surveyId.TryWriteBytes(bytes, bigEndian: true, out _);
        RandomNumberGenerator.Fill(bytes[16..]);
        return Base64Url.EncodeToString(bytes[..16]) + Base64Url.EncodeToString(bytes[16..]);
    }

    /// <summary>The survey a token names, or null for a token without one (an older link, or not a token at all).</summary>
    public static Guid? SurveyOf(string token)
    {
        if (token.Length != SurveyPart + RandomPart) return null;
        Span<byte> id = stackalloc byte[16];
        // DecodeFromChars reports bad characters in its status (TryDecodeFromChars throws on them).
        return Base64Url.DecodeFromChars(token.AsSpan(0, SurveyPart), id, out _, out var written) == OperationStatus.Done && written == 16
            ? new Guid(id, bigEndian: true)
            : null;
    }
}
