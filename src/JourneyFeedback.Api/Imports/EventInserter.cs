using System.Data.Common;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Journeys;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Stores a batch of analytics events in the caller's transaction, skipping those whose dedup key the workspace already
/// has, and moves the workspace's events version so every map's journey log sees them. Events are narrow rows without
/// triggers, so one portable multi-row INSERT … ON CONFLICT DO NOTHING, prepared once, is fast enough on both engines
/// (docs/benchmarks.md, "Observed journeys").
/// </summary>
internal sealed class EventInserter(JourneyFeedbackDb db, DbConnection connection, DbTransaction transaction) : IDisposable
{
    private const int RowsPerStatement = 50;

    /// <summary>The columns written, in the order of every value list below.</summary>
    private static readonly (string Name, Type Type)[] Columns =
    [
        (nameof(CustomerEvent.Id), typeof(Guid)), (nameof(CustomerEvent.WorkspaceId), typeof(Guid)), (nameof(CustomerEvent.CustomerId), typeof(string)),
        (nameof(CustomerEvent.OccurredAt), typeof(DateTime)), (nameof(CustomerEvent.Name), typeof(string)), (nameof(CustomerEvent.Url), typeof(string)),
        (nameof(CustomerEvent.Path), typeof(string)), (nameof(CustomerEvent.SessionId), typeof(string)), (nameof(CustomerEvent.Properties), typeof(string)),
        (nameof(CustomerEvent.ImportId), typeof(Guid)), (nameof(CustomerEvent.LineNumber), typeof(long)), (nameof(CustomerEvent.DedupKey), typeof(string)),
        (nameof(CustomerEvent.CreatedAt), typeof(DateTime)),
    ];

    private PreparedCommand? _many;
    private PreparedCommand? _one;
    private readonly object?[] _manyValues = new object?[RowsPerStatement * Columns.Length];
    private readonly object?[] _oneValues = new object?[Columns.Length];

    /// <summary>Inserts the events of one import batch; returns how many were new.</summary>
    public async Task<long> InsertAsync(Import import, IReadOnlyList<MappedEvent> events, DateTime now, CancellationToken ct)
    {
        // The first line of a key wins inside the batch; keys go in ordinal order, so two instances importing overlapping
        // files on PostgreSQL take the same index locks in the same order and wait instead of deadlocking.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = events.Where(e => seen.Add(e.DedupKey)).OrderBy(e => e.DedupKey, StringComparer.Ordinal).ToList();
        var ids = FeedbackItemInserter.Version7Ids(rows.Count, now);
        long inserted = 0;
        var i = 0;
        for (; i + RowsPerStatement <= rows.Count; i += RowsPerStatement)
        {
            for (var r = 0; r < RowsPerStatement; r++) Fill(_manyValues, r * Columns.Length, rows[i + r], ids[i + r], import, now);
            _many ??= Prepare(RowsPerStatement);
            inserted += await _many.ExecuteAsync(ct, _manyValues);
        }
        for (; i < rows.Count; i++)
        {
            Fill(_oneValues, 0, rows[i], ids[i], import, now);
            _one ??= Prepare(1);
            inserted += await _one.ExecuteAsync(ct, _oneValues);
        }
        if (inserted > 0)
        {
            using var bump = new PreparedCommand(db, connection, transaction,
                "UPDATE \"Workspaces\" SET \"EventsVersion\" = \"EventsVersion\" + 1 WHERE \"Id\" = @workspace", ("@workspace", typeof(Guid)));
            await bump.ExecuteAsync(ct, import.WorkspaceId);
        }
        return inserted;
    }

    private static void Fill(object?[] values, int offset, MappedEvent e, Guid id, Import import, DateTime now)
    {
        values[offset] = id;
        values[offset + 1] = import.WorkspaceId;
        values[offset + 2] = e.CustomerId;
        values[offset + 3] = e.OccurredAt;
        values[offset + 4] = e.Name;
        values[offset + 5] = e.Url;
        values[offset + 6] = e.Path;
        values[offset + 7] = e.SessionId;
        values[offset + 8] = e.PropertiesJson;
        values[offset + 9] = import.Id;
        values[offset + 10] = e.LineNumber;
        values[offset + 11] = e.DedupKey;
        values[offset + 12] = now;
    }

    private PreparedCommand Prepare(int rows)
    {
        var names = string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Columns.Select((_, c) => $"@p{r}_{c}")) + ")"));
        return new PreparedCommand(db, connection, transaction,
            $"INSERT INTO \"Events\" ({names}) VALUES {values} ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING",
            [.. Enumerable.Range(0, rows).SelectMany(r => Columns.Select((c, i) => ($"@p{r}_{i}", c.Type)))]);
    }

    public void Dispose()
    {
        _many?.Dispose();
        _one?.Dispose();
    }
}
