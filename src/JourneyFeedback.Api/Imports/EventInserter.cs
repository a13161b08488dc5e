using System.Data.Common;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Journeys;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Stores a batch of analytics events in the caller's transaction, skipping those whose dedup key the workspace already
/// has, and moves the workspace's events version so every map's journey log sees them. Events are narrow rows without
/// triggers: on SQLite a multi-row INSERT … ON CONFLICT DO NOTHING prepared once and bound by index on the raw handle
/// (<see cref="SqliteRawStatement"/>); on PostgreSQL binary COPY into a staging table and one conflict-skipping INSERT
/// (docs/benchmarks.md, "Observed journeys").
/// </summary>
internal sealed class EventInserter(JourneyFeedbackDb db, DbConnection connection, DbTransaction transaction) : IDisposable
{
    private const int RowsPerStatement = 50;

    /// <summary>The columns written, in the order of the SQLite binds and the COPY fields below.</summary>
    private static readonly string[] Columns =
    [
        nameof(CustomerEvent.Id), nameof(CustomerEvent.WorkspaceId), nameof(CustomerEvent.CustomerId), nameof(CustomerEvent.OccurredAt),
        nameof(CustomerEvent.Name), nameof(CustomerEvent.Url), nameof(CustomerEvent.Path), nameof(CustomerEvent.SessionId),
        nameof(CustomerEvent.Properties), nameof(CustomerEvent.ImportId), nameof(CustomerEvent.LineNumber), nameof(CustomerEvent.DedupKey),
        nameof(CustomerEvent.CreatedAt),
    ];

    private static readonly string ColumnList = string.Join(", ", Columns.Select(c => $"\"{c}\""));

    private SqliteRawStatement? _sqliteMany;
    private SqliteRawStatement? _sqliteOne;

    /// <summary>Inserts the events of one import batch; returns how many were new.</summary>
    public async Task<long> InsertAsync(Import import, IReadOnlyList<MappedEvent> events, DateTime now, CancellationToken ct)
    {
        // The first line of a key wins inside the batch (on PostgreSQL the staged rows then enter the index in key order).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = events.Where(e => seen.Add(e.DedupKey)).ToList();
        var ids = FeedbackItemInserter.Version7Ids(rows.Count, now);
        var inserted = connection switch
        {
            Microsoft.Data.Sqlite.SqliteConnection sqlite => InsertSqlite(sqlite, rows, ids, import, now, ct),
            Npgsql.NpgsqlConnection postgres => await InsertPostgres(postgres, rows, ids, import, now, ct),
            _ => throw new NotSupportedException($"No events insert for {connection.GetType().Name}."),
        };
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
                ? _sqliteMany ??= new SqliteRawStatement(sqlite, SqliteSql(RowsPerStatement))
                : _sqliteOne ??= new SqliteRawStatement(sqlite, SqliteSql(1));
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

    /// <summary>
    /// PostgreSQL: binary COPY of the batch into a session-local staging table, then one INSERT … SELECT … ON CONFLICT DO
    /// NOTHING in key order, so two instances importing overlapping files take the index locks in the same order and wait
    /// instead of deadlocking (multi-row INSERTs with bound parameters reached 34k events/s; docs/benchmarks.md).
    /// </summary>
    private async Task<long> InsertPostgres(Npgsql.NpgsqlConnection postgres, List<MappedEvent> rows, Guid[] ids, Import import, DateTime now,
        CancellationToken ct)
    {
        var names = ColumnList;
        await using (var create = new Npgsql.NpgsqlCommand(
            $"CREATE TEMP TABLE IF NOT EXISTS jf_event_staging ON COMMIT DELETE ROWS AS SELECT {names} FROM \"Events\" WITH NO DATA", postgres))
            await create.ExecuteNonQueryAsync(ct);
        await using (var copy = await postgres.BeginBinaryImportAsync($"COPY pg_temp.jf_event_staging ({names}) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var e = rows[i];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(ids[i], NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(import.WorkspaceId, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.CustomerId, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync(e.OccurredAt, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                await Text(e.Name);
                await Text(e.Url);
                await Text(e.Path);
                await Text(e.SessionId);
                await Text(e.PropertiesJson);
                await copy.WriteAsync(import.Id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.LineNumber, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.DedupKey, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);

            Task Text(string? value) => value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlTypes.NpgsqlDbType.Text, ct);
        }
        await using var move = new Npgsql.NpgsqlCommand(
            $"INSERT INTO \"Events\" ({names}) SELECT {names} FROM pg_temp.jf_event_staging ORDER BY \"DedupKey\" COLLATE \"C\" " +
            "ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING", postgres);
        var inserted = await move.ExecuteNonQueryAsync(ct);
        await using var empty = new Npgsql.NpgsqlCommand("TRUNCATE pg_temp.jf_event_staging", postgres);
        await empty.ExecuteNonQueryAsync(ct);
        return inserted;
    }

    private static string SqliteSql(int rows) =>
        $"INSERT INTO \"Events\" ({ColumnList}) VALUES {SqliteRawStatement.Rows(rows, Columns.Length)} ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING";

    public void Dispose()
    {
        _sqliteMany?.Dispose();
        _sqliteOne?.Dispose();
    }
}
