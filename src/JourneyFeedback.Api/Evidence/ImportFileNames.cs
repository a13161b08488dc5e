using JourneyFeedback.Api.Data;

namespace JourneyFeedback.Api.Evidence;

/// <summary>A feedback item with the name of the file it was imported from (null for survey answers).</summary>
internal sealed class ItemWithFileName
{
    public required FeedbackItem Item { get; init; }
    public string? FileName { get; init; }
}

internal static class ImportFileNames
{
    /// <summary>
    /// Adds each item's import file name in the same query (a subquery on the imports' key). A further Select may pick
    /// single columns of <see cref="ItemWithFileName.Item"/>: only those are read.
    /// </summary>
    public static IQueryable<ItemWithFileName> WithImportFileName(this IQueryable<FeedbackItem> items, JourneyFeedbackDb db) =>
        items.Select(f => new ItemWithFileName
        {
            Item = f,
            FileName = db.Imports.Where(i => i.Id == f.ImportId).Select(i => i.FileName).FirstOrDefault(),
        });
}
