using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// Turns request-reading failures (malformed JSON, wrong types, oversize bodies) into ProblemDetails that name
/// the offending field, instead of the framework's empty 400 or a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest) return false;

        var status = badRequest.StatusCode;
        var problem = new ProblemDetails { Status = status };
        switch (FindJsonException(badRequest))
        {
            case { } json:
                var field = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
                problem = new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [Describe(json)] })
                {
                    Status = status,
                    Title = "The request body is not valid JSON for this endpoint.",
                    Detail = $"{field}: {Describe(json)}",
                };
                break;
            case null when status == StatusCodes.Status413PayloadTooLarge:
                problem.Title = "Request body too large";
                problem.Detail = badRequest.Message;
                break;
            default:
                problem.Title = "Bad request";
                problem.Detail = badRequest.Message;
                break;
        }

        context.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
            if (e is JsonException json) return json;
        return null;
    }

    /// <summary>System.Text.Json messages end with position details that mean nothing to an API client.</summary>
    private static string Describe(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
