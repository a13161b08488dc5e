using Microsoft.AspNetCore.Http.HttpResults;

namespace JourneyFeedback.Api.Hosting;

internal static class Problems
{
    /// <summary>A 400 for one bad query or route value, shaped like a validation problem so clients read it the same way.</summary>
    public static ProblemHttpResult BadRequest(string field, string message) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "One or more validation errors occurred.",
        detail: message,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
