using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// Picks the answer format of an endpoint with a <c>format</c> parameter: the parameter when given (with the short
/// names people type, such as <c>md</c>), otherwise the request's <c>Accept</c> header, otherwise JSON.
/// </summary>
internal static class ExportFormats
{
    public const string Json = "json";
    public const string Csv = "csv";
    public const string Markdown = "markdown";

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        [Json] = Json, [Csv] = Csv, [Markdown] = Markdown, ["md"] = Markdown,
    };

    private static readonly Dictionary<string, string> MediaTypes = new()
    {
        [Json] = "application/json", [Csv] = "text/csv", [Markdown] = "text/markdown",
    };

    /// <summary>One of <paramref name="supported"/> (JSON first: the default), or a 400 naming format / a 406.</summary>
    public static (string? Format, ProblemHttpResult? Problem) Choose(string? format, HttpRequest request, params string[] supported)
    {
        if (!string.IsNullOrWhiteSpace(format))
        {
            if (Aliases.TryGetValue(format.Trim(), out var named) && supported.Contains(named)) return (named, null);
            var names = supported.Contains(Markdown) ? supported.Append("md") : supported;
            return (null, Problems.BadRequest("format", $"Unknown format '{StorableText.Printable(format)}'; use {string.Join(", ", names)}."));
        }

        // Caches must keep one copy per Accept, since the same URL now answers in several formats.
        request.HttpContext.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        if (request.Headers.Accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return (supported[0], null);
        foreach (var range in accepted.Where(a => (a.Quality ?? 1) > 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var match = supported.FirstOrDefault(f => Covers(range, MediaTypes[f]));
            if (match is not null) return (match, null);
        }
        return (null, TypedResults.Problem(
            statusCode: StatusCodes.Status406NotAcceptable,
            title: "None of the accepted media types can be produced",
            detail: $"This endpoint answers {string.Join(", ", supported.Select(f => MediaTypes[f]))}; send one of them in Accept, or use format=."));
    }

    /// <summary><c>text/csv</c> is covered by <c>text/csv</c>, <c>text/*</c> and <c>*/*</c>, whatever their parameters.</summary>
    private static bool Covers(MediaTypeHeaderValue range, string mediaType)
    {
        if (range.MatchesAllTypes) return true;
        var slash = mediaType.IndexOf('/');
        if (range.MatchesAllSubTypes) return range.Type.Equals(mediaType[..slash], StringComparison.OrdinalIgnoreCase);
        return range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }
}
