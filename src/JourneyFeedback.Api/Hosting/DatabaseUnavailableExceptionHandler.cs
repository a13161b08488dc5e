using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// A database that is briefly unreachable or busy (a PostgreSQL restart or failover, a deadlock victim, SQLite's write
/// lock held too long) is answered 503 with Retry-After: the request can simply be repeated, nothing is wrong with it.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception)) return false;
        logger.LogWarning(exception, "The database was unavailable for {Method} {Path}; answered 503", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable for a moment",
                Detail = "Retry the request after 1 s.",
            },
        });
    }

    /// <summary>The database was briefly unreachable or busy somewhere in the exception's chain: repeating the work can succeed.</summary>
    internal static bool IsTransient(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is DbException { IsTransient: true }) return true;
        return false;
    }
}
