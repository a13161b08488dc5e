using Microsoft.Net.Http.Headers;

namespace JourneyFeedback.Api.Hosting;

/// <summary>Strong ETags from a row version: <c>"7"</c>.</summary>
internal static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>True when the request carries If-Match and none of its tags is the current version (a stale write).</summary>
    public static bool IfMatchFails(HttpRequest request, long version)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0) return false;
        if (!EntityTagHeaderValue.TryParseList(header, out var tags)) return true;
        var current = new EntityTagHeaderValue(For(version));
        return !tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    public static bool IfNoneMatchHits(HttpRequest request, long version)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags)) return false;
        var current = new EntityTagHeaderValue(For(version));
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
