using JourneyFeedback.Api.Evidence;
using Npgsql;
using NpgsqlTypes;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// PostgreSQL's fast path: binary COPY (one round trip per batch, no per-row statements). COPY cannot skip rows that
/// conflict on the dedup key, so the batch first asks which of its keys the workspace already has and copies only the
/// new rows, in dedup-key order, straight into FeedbackItems. If another instance stores one of those keys in the
/// meantime, the COPY fails, is rolled back to a savepoint, and the batch takes the conflict-skipping path instead:
/// COPY into a session-local staging table, then <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c>. Either way the earliest
/// line of duplicates inside a batch wins and the counts are those SQLite reports; keys are written in the same order
/// by every instance, so two instances importing overlapping files wait for each other instead of deadlocking.
/// </summary>
internal sealed class PostgresFeedbackItemInserter(NpgsqlConnection connection) : FeedbackItemInserter
{
    private const string Staging = "pg_temp.jf_feedback_staging";

    // The staging table lives as long as the session (the import holds one connection); ON COMMIT DELETE ROWS empties it
    // with every batch, and a rolled-back batch leaves nothing behind either.
    private static readonly string CreateStaging =
        $"CREATE TEMP TABLE IF NOT EXISTS jf_feedback_staging ON COMMIT DELETE ROWS AS SELECT {ColumnList} FROM \"FeedbackItems\" WITH NO DATA";

    private static readonly string Move =
        $"INSERT INTO \"FeedbackItems\" ({ColumnList}) SELECT {ColumnList} FROM {Staging} " +
        "ORDER BY \"DedupKey\" COLLATE \"C\", \"LineNumber\" ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING";

    public override async Task<long> InsertAsync(Guid workspaceId, int count, Func<int, FeedbackItem> item, CancellationToken ct)
    {
        if (count == 0) return 0;

        // New keys only, the first line of each, sorted the way COLLATE "C" sorts (ordinal).
        var keys = new string?[count];
        for (var i = 0; i < count; i++) keys[i] = item(i).DedupKey;
        var stored = await StoredKeysAsync(workspaceId, keys, ct);
        var fresh = new List<int>(count);
        for (var i = 0; i < count; i++)
            if (stored.Add(keys[i]!)) fresh.Add(i);
        fresh.Sort((a, b) => string.CompareOrdinal(keys[a], keys[b]));
        if (fresh.Count == 0) return 0;

        await ExecuteAsync("SAVEPOINT jf_copy", ct);
        try
        {
            await CopyAsync("\"FeedbackItems\"", fresh, item, ct);
            await ExecuteAsync("RELEASE SAVEPOINT jf_copy", ct);
            return fresh.Count;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT jf_copy", ct);
        }

        await ExecuteAsync(CreateStaging, ct);
        await CopyAsync(Staging, Enumerable.Range(0, count), item, ct);
        var inserted = await ExecuteAsync(Move, ct);
        await ExecuteAsync($"TRUNCATE {Staging}", ct);
        return inserted;
    }

    private async Task<HashSet<string>> StoredKeysAsync(Guid workspaceId, string?[] batchKeys, CancellationToken ct)
    {
        await using var query = new NpgsqlCommand(
            "SELECT \"DedupKey\" FROM \"FeedbackItems\" WHERE \"WorkspaceId\" = $1 AND \"DedupKey\" = ANY($2)", connection);
        query.Parameters.Add(new NpgsqlParameter<Guid> { Value = workspaceId });
        query.Parameters.Add(new NpgsqlParameter<string[]> { Value = batchKeys.Distinct().ToArray()! });
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) keys.Add(reader.GetString(0));
        return keys;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task CopyAsync(string table, IEnumerable<int> indexes, Func<int, FeedbackItem> item, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var i in indexes)
        {
            ct.ThrowIfCancellationRequested();
            var values = item(i);
            await copy.StartRowAsync(ct);
            foreach (var column in Columns)
            {
                switch (column.Kind)
                {
                    case ColumnKind.Uuid:
                        if (column.UuidOf(values) is { } id) copy.Write(id, NpgsqlDbType.Uuid); else copy.WriteNull();
                        break;
                    case ColumnKind.Text: Text(copy, column.TextOf(values)); break;
                    case ColumnKind.Timestamp:
                        if (column.TimestampOf(values) is { } at) copy.Write(at, NpgsqlDbType.TimestampTz); else copy.WriteNull();
                        break;
                    case ColumnKind.Real: Number(copy, column.RealOf(values)); break;
                    case ColumnKind.Integer:
                        if (column.IntegerOf(values) is { } number) copy.Write(number, NpgsqlDbType.Bigint); else copy.WriteNull();
                        break;
                    case ColumnKind.Flag: copy.Write(column.FlagOf(values), NpgsqlDbType.Boolean); break;
                }
            }
        }
        await copy.CompleteAsync(ct);
    }

    private static void Text(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, NpgsqlDbType.Text);
    }

    private static void Number(NpgsqlBinaryImporter copy, double? value)
    {
        if (value is { } v) copy.Write(v, NpgsqlDbType.Double);
        else copy.WriteNull();
    }

    public override void Dispose() { }
}
