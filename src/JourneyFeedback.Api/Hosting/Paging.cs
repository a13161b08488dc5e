using Microsoft.AspNetCore.Http.HttpResults;

namespace JourneyFeedback.Api.Hosting;

/// <summary>The <c>page</c>/<c>pageSize</c> query parameters of the paged lists: pages start at 1, up to 500 items each.</summary>
internal static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>A 400 for a page or page size out of range; null when both are fine.</summary>
    public static ProblemHttpResult? Problem(int page, int pageSize) =>
        page < 1 ? Problems.BadRequest("page", "Pages start at 1.")
        : pageSize is < 1 or > MaxPageSize ? Problems.BadRequest("pageSize", $"From 1 to {MaxPageSize}.")
        : null;

    /// <summary>How many items come before the page.</summary>
    public static int Skip(int page, int pageSize) => (page - 1) * pageSize;

    /// <summary>The items of one page of an ordered query.</summary>
    public static IQueryable<T> Page<T>(this IQueryable<T> ordered, int page, int pageSize) =>
        ordered.Skip(Skip(page, pageSize)).Take(pageSize);
}
