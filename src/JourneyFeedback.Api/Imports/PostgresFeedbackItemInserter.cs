using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Analysis;
using Npgsql;
using NpgsqlTypes;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// PostgreSQL's fast path: the batch goes into a session-local staging table with binary COPY (one round trip, no
/// per-row statements), then one <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> moves it into FeedbackItems. COPY itself
/// cannot skip conflicting rows, hence the staging table. Rows are moved in dedup-key order: two instances importing
/// overlapping files into one workspace then wait for each other's keys in the same order and cannot deadlock; among
/// duplicates inside one batch the earliest line wins, as it does on SQLite.
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

    private bool _staged;

    public override async Task<long> InsertAsync(
        Import import, IReadOnlyList<MappedRow> rows, IReadOnlyList<StoredAnalysis>? analyses, IReadOnlyList<TouchpointMatch>? matches, DateTime now, CancellationToken ct)
    {
        if (rows.Count == 0) return 0;
        await using (var create = new NpgsqlCommand(_staged ? $"TRUNCATE {Staging}" : CreateStaging, connection))
            await create.ExecuteNonQueryAsync(ct);
        _staged = true;

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {Staging} ({ColumnList}) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var r = rows[i];
                var a = analyses?[i];
                var m = matches?[i];
                // Same columns, same order as Columns (and as the SQLite binder).
                await copy.StartRowAsync(ct);
                copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
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

        await using var move = new NpgsqlCommand(Move, connection);
        return await move.ExecuteNonQueryAsync(ct);
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
