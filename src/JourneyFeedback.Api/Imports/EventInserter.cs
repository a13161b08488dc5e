using System.Data.Common;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Journeys;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Stores a batch of analytics events in the caller's transaction, skipping those whose dedup key the workspace already
/// has, and moves the workspace's events version so every map's journey log sees them. Events are narrow rows without
/// triggers: one multi-row INSERT … ON CONFLICT DO NOTHING, prepared once, bound by index on SQLite's raw handle
/// (<see cref="SqliteRawStatement"/>) and through Npgsql's positional parameters on PostgreSQL (docs/benchmarks.md,
/// "Observed journeys").
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
    private SqliteRawStatement? _sqliteMany;
    private SqliteRawStatement? _sqliteOne;
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
        var inserted = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? InsertSqlite(sqlite, rows, ids, import, now, ct)
            : await InsertPortable(rows, ids, import, now, ct);
        if (inserted > 0)
        {
            using var bump = new PreparedCommand(db, connection, transaction,
                "UPDATE \"Workspaces\" SET \"EventsVersion\" = \"EventsVersion\" + 1 WHERE \"Id\" = @workspace", ("@workspace", typeof(Guid)));
            await bump.ExecuteAsync(ct, import.WorkspaceId);
        }
        return inserted;
    }

    private long InsertSqlite(Microsoft.Data.Sqlite.SqliteConnection sqlite, List<MappedEvent> rows, Guid[] ids, Import import, DateTime now, CancellationToken ct)
    {
        long inserted = 0;
        for (var first = 0; first < rows.Count;)
        {
            ct.ThrowIfCancellationRequested();
            var count = rows.Count - first >= RowsPerStatement ? RowsPerStatement : 1;
            var statement = count == RowsPerStatement
                ? _sqliteMany ??= new SqliteRawStatement(sqlite, Sql(RowsPerStatement, (r, c) => "?" + (r * Columns.Length + c + 1)))
                : _sqliteOne ??= new SqliteRawStatement(sqlite, Sql(1, (r, c) => "?" + (r * Columns.Length + c + 1)));
            statement.Clear();
            for (var r = 0; r < count; r++)
            {
                // Bound by index, in Columns order.
                var e = rows[first + r];
                var p = r * Columns.Length;
                statement.Bind(p + 1, ids[first + r]);
                statement.Bind(p + 2, import.WorkspaceId);
                statement.Bind(p + 3, e.CustomerId);
                statement.BindTimestamp(p + 4, e.OccurredAt);
                statement.Bind(p + 5, e.Name);
                statement.Bind(p + 6, e.Url);
                statement.Bind(p + 7, e.Path);
                statement.Bind(p + 8, e.SessionId);
                statement.Bind(p + 9, e.PropertiesJson);
                statement.Bind(p + 10, import.Id);
                statement.Bind(p + 11, e.LineNumber);
                statement.Bind(p + 12, e.DedupKey);
                statement.BindTimestamp(p + 13, now);
            }
            inserted += statement.Execute();
            first += count;
        }
        return inserted;
    }

    private async Task<long> InsertPortable(List<MappedEvent> rows, Guid[] ids, Import import, DateTime now, CancellationToken ct)
    {
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
        return inserted;
    }

    /// <summary>Fills the values of one row in <see cref="Columns"/> order (the portable path).</summary>
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

    private PreparedCommand Prepare(int rows) => new(db, connection, transaction, Sql(rows, (r, c) => $"@p{r}_{c}"),
        [.. Enumerable.Range(0, rows).SelectMany(r => Columns.Select((c, i) => ($"@p{r}_{i}", c.Type)))]);

    private static string Sql(int rows, Func<int, int, string> parameter)
    {
        var names = string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Columns.Select((_, c) => parameter(r, c))) + ")"));
        return $"INSERT INTO \"Events\" ({names}) VALUES {values} ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING";
    }

    public void Dispose()
    {
        _many?.Dispose();
        _one?.Dispose();
        _sqliteMany?.Dispose();
        _sqliteOne?.Dispose();
    }
}
