using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Analysis;
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

    public override async Task<long> InsertAsync(
        Import import, IReadOnlyList<MappedRow> rows, IReadOnlyList<StoredAnalysis>? analyses, IReadOnlyList<TouchpointMatch>? matches, DateTime now, CancellationToken ct)
    {
        if (rows.Count == 0) return 0;

        // New keys only, the first line of each, sorted the way COLLATE "C" sorts (ordinal).
        var stored = await StoredKeysAsync(import.WorkspaceId, rows, ct);
        var fresh = new List<int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
            if (stored.Add(rows[i].DedupKey)) fresh.Add(i);
        fresh.Sort((a, b) => string.CompareOrdinal(rows[a].DedupKey, rows[b].DedupKey));
        if (fresh.Count == 0) return 0;

        await ExecuteAsync("SAVEPOINT jf_copy", ct);
        try
        {
            await CopyAsync("\"FeedbackItems\"", fresh, import, rows, analyses, matches, now, ct);
            await ExecuteAsync("RELEASE SAVEPOINT jf_copy", ct);
            return fresh.Count;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT jf_copy", ct);
        }

        await ExecuteAsync(CreateStaging, ct);
        await CopyAsync(Staging, Enumerable.Range(0, rows.Count), import, rows, analyses, matches, now, ct);
        var inserted = await ExecuteAsync(Move, ct);
        await ExecuteAsync($"TRUNCATE {Staging}", ct);
        return inserted;
    }

    private async Task<HashSet<string>> StoredKeysAsync(Guid workspaceId, IReadOnlyList<MappedRow> rows, CancellationToken ct)
    {
        await using var query = new NpgsqlCommand(
            "SELECT \"DedupKey\" FROM \"FeedbackItems\" WHERE \"WorkspaceId\" = $1 AND \"DedupKey\" = ANY($2)", connection);
        query.Parameters.Add(new NpgsqlParameter<Guid> { Value = workspaceId });
        query.Parameters.Add(new NpgsqlParameter<string[]> { Value = rows.Select(r => r.DedupKey).Distinct().ToArray() });
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

    private async Task CopyAsync(string table, IEnumerable<int> indexes, Import import, IReadOnlyList<MappedRow> rows,
        IReadOnlyList<StoredAnalysis>? analyses, IReadOnlyList<TouchpointMatch>? matches, DateTime now, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        var ids = Version7Ids(rows.Count, now);
        foreach (var i in indexes)
        {
            ct.ThrowIfCancellationRequested();
            var r = rows[i];
            var a = analyses?[i];
            var m = matches?[i];
            // Same columns, same order as Columns (and as the SQLite binder).
            await copy.StartRowAsync(ct);
            copy.Write(ids[i], NpgsqlDbType.Uuid);
            copy.Write(import.WorkspaceId, NpgsqlDbType.Uuid);
            Text(copy, import.Kind);
            Text(copy, r.Text);
            Text(copy, r.CustomerId);
            Text(copy, r.ExternalId);
            copy.Write(r.OccurredAt, NpgsqlDbType.TimestampTz);
            Text(copy, r.Channel);
            Text(copy, r.Source);
            Number(copy, r.Rating);
            Number(copy, r.RatingScale);
            Text(copy, r.Title);
            Text(copy, r.Language);
            Text(copy, r.Participant);
            Text(copy, r.Question);
            Text(copy, r.MetadataJson);
            copy.Write(import.Id, NpgsqlDbType.Uuid);
            copy.Write(r.LineNumber, NpgsqlDbType.Bigint);
            Text(copy, r.ContentHash);
            Text(copy, r.DedupKey);
            if (import.MapId is { } map) copy.Write(map, NpgsqlDbType.Uuid); else copy.WriteNull();
            copy.Write(now, NpgsqlDbType.TimestampTz);
            Text(copy, a?.Sentiment);
            Number(copy, a?.Negative);
            Number(copy, a?.Neutral);
            Number(copy, a?.Positive);
            Text(copy, a?.Emotions);
            Text(copy, a?.PainPoint);
            Text(copy, a?.PainPoints);
            Text(copy, a?.KeyPhrases);
            Text(copy, a?.Language);
            copy.Write(a?.LowConfidence == true, NpgsqlDbType.Boolean);
            Text(copy, a?.ModelVersion);
            if (a is null) copy.WriteNull(); else copy.Write(now, NpgsqlDbType.TimestampTz);
            if (m?.TouchpointId is { } touchpoint) copy.Write(touchpoint, NpgsqlDbType.Uuid); else copy.WriteNull();
            Text(copy, m?.Reason);
            Number(copy, m?.Confidence);
            if (m is null) copy.WriteNull(); else copy.Write(now, NpgsqlDbType.TimestampTz);
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
