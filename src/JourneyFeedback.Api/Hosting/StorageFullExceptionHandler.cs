using JourneyFeedback.Api.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// A write that finds no room (full disk, database quota, PostgreSQL disk_full) is answered 507 Insufficient Storage
/// with what is full, not 500, and not the 503 of a database blip: repeating the request helps only once an operator
/// has freed space, so Retry-After is a minute. Reads do not write and keep working meanwhile.
/// </summary>
internal sealed class StorageFullExceptionHandler(IProblemDetailsService problemDetails, StorageFull storage, ILogger<StorageFullExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 60;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!StorageFull.Is(exception)) return false;
        var description = storage.Describe(exception);
        logger.LogError(exception, "No room to store {Method} {Path}, answered 507: {Description}", context.Request.Method, context.Request.Path, description);
        context.Response.StatusCode = StatusCodes.Status507InsufficientStorage;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status507InsufficientStorage,
                Title = "Insufficient storage",
                Detail = $"{description} The request was not stored; reads keep working. Retry once space has been freed.",
            },
        });
    }
}
