using System.Data.Common;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Evidence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Inserts imported rows, skipping any whose dedup key the workspace already has. One small interface with each engine's
/// fast path: on SQLite a statement prepared once and bound by index (<see cref="SqliteInserter"/>); on PostgreSQL binary
/// COPY into a staging table (<see cref="PostgresFeedbackItemInserter"/>). Both run inside the caller's transaction and
/// report the same counts for the same rows.
/// </summary>
internal abstract class FeedbackItemInserter : IDisposable
{
    /// <summary>Every column an import writes, in the order of the SQL's column list, the SQLite binds and the COPY fields.</summary>
    protected static readonly FeedbackItemColumn[] Columns = FeedbackItemColumns.Imported;

    protected static string ColumnList { get; } = FeedbackItemColumns.Names(Columns);

    // ON CONFLICT on the per-workspace dedup key makes re-imports and resumed batches skip rows already stored.
    private static string SqliteSql(int rows) =>
        $"INSERT INTO \"FeedbackItems\" ({ColumnList}) VALUES {Data.SqliteRawStatement.Rows(rows, Columns.Length)}" +
        " ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING";

    /// <summary>
    /// Rows per SQLite INSERT. A table with triggers (<see cref="Data.EvidenceVersionTriggers"/>) makes SQLite keep a
    /// statement journal for every INSERT that may abort: with one row per statement that doubled the writer's time
    /// (1M rows: 26 s against 11 s); 64 rows share one journal (13 s). The rest of a batch goes one row at a time.
    /// </summary>
    internal const int SqliteRowsPerStatement = 64;

    public static FeedbackItemInserter Create(DbConnection connection) => connection switch
    {
        SqliteConnection sqlite => new SqliteInserter(sqlite),
        NpgsqlConnection postgres => new PostgresFeedbackItemInserter(postgres),
        _ => throw new NotSupportedException($"No bulk insert for {connection.GetType().Name}."),
    };

    /// <summary>
    /// Inserts an import's rows, with their analyses and matches when there are any; returns how many were new.
    /// <paramref name="changeVersion"/> is the map's next change version, read in this transaction (FeedbackItem.ChangeVersion).
    /// </summary>
    /// <paramref name="written"/> sees each row's item as it is written (the instance is refilled for the next row).
    public Task<long> InsertAsync(
        Import import, IReadOnlyList<MappedRow> rows, IReadOnlyList<StoredAnalysis>? analyses, IReadOnlyList<TouchpointMatch>? matches, DateTime now,
        long changeVersion, CancellationToken ct, Action<int, FeedbackItem>? written = null)
    {
        var ids = Version7Ids(rows.Count, now);
        // One item refilled for every row: the columns read their values from it, and a batch allocates nothing per row.
        var item = new FeedbackItem { Kind = import.Kind, Text = "" };
        return InsertAsync(import.WorkspaceId, rows.Count, i =>
        {
            var r = rows[i];
            item.Id = ids[i];
            item.WorkspaceId = import.WorkspaceId;
            item.Kind = import.Kind;
            item.Text = r.Text;
            item.CustomerId = r.CustomerId;
            item.ExternalId = r.ExternalId;
            item.OccurredAt = r.OccurredAt;
            item.Channel = r.Channel;
            item.Source = r.Source;
            item.Rating = r.Rating;
            item.RatingScale = r.RatingScale;
            item.Title = r.Title;
            item.Language = r.Language;
            item.Participant = r.Participant;
            item.Question = r.Question;
            item.Metadata = r.MetadataJson;
            item.ImportId = import.Id;
            item.LineNumber = r.LineNumber;
            item.ContentHash = r.ContentHash;
            item.DedupKey = r.DedupKey;
            item.MapId = import.MapId;
            item.ChangeVersion = changeVersion;
            item.CreatedAt = now;
            StoredAnalysis.Apply(analyses?[i], item, now);
            var m = matches?[i];
            item.TouchpointId = m?.TouchpointId;
            item.MatchReason = m?.Reason;
            item.MatchConfidence = m?.Confidence;
            item.MatchedAt = m is null ? null : now;
            written?.Invoke(i, item);
            return item;
        }, ct);
    }

    /// <summary>
    /// Inserts <paramref name="count"/> items of one workspace, skipping those whose dedup key it already has; returns
    /// how many were new. <paramref name="item"/> may hand out one instance refilled on every call: each item is
    /// used up before the next is asked for.
    /// </summary>
    public abstract Task<long> InsertAsync(Guid workspaceId, int count, Func<int, FeedbackItem> item, CancellationToken ct);

    public abstract void Dispose();

    /// <summary>
    /// RFC 9562 version 7 ids (what <see cref="Guid.CreateVersion7()"/> makes) from one random fill per batch:
    /// Guid.CreateVersion7 asks the kernel for randomness once per id, a system call per stored row.
    /// </summary>
    internal static Guid[] Version7Ids(int count, DateTime now)
    {
        var ids = new Guid[count];
        var random = System.Security.Cryptography.RandomNumberGenerator.GetBytes(count * 10);
        var milliseconds = new DateTimeOffset(now).ToUnixTimeMilliseconds();
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16); // 48-bit timestamp first
            random.AsSpan(i * 10, 10).CopyTo(bytes[6..]);
            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // RFC variant
            ids[i] = new Guid(bytes, bigEndian: true);
        }
        return ids;
    }

    /// <summary>SQLite's fast path: statements prepared once on the raw handle and bound by index (<see cref="Data.SqliteRawStatement"/>).</summary>
    private sealed class SqliteInserter(SqliteConnection connection) : FeedbackItemInserter
    {
        private readonly Data.SqliteRawStatement _many = new(connection, SqliteSql(SqliteRowsPerStatement));
        private readonly Data.SqliteRawStatement _one = new(connection, SqliteSql(1));

        public override Task<long> InsertAsync(Guid workspaceId, int count, Func<int, FeedbackItem> item, CancellationToken ct)
        {
            long inserted = 0;
            for (var first = 0; first < count;)
            {
                ct.ThrowIfCancellationRequested();
                var rows = count - first >= SqliteRowsPerStatement ? SqliteRowsPerStatement : 1;
                var statement = rows == SqliteRowsPerStatement ? _many : _one;
                statement.Clear();
                for (var r = 0; r < rows; r++) BindRow(statement, item(first + r), r * Columns.Length);
                inserted += statement.Execute();
                first += rows;
            }
            return Task.FromResult(inserted);
        }

        private static void BindRow(Data.SqliteRawStatement statement, FeedbackItem values, int offset)
        {
            for (var c = 0; c < Columns.Length; c++)
            {
                var column = Columns[c];
                var index = offset + c + 1;
                switch (column.Kind)
                {
                    case ColumnKind.Uuid: statement.Bind(index, column.UuidOf(values)); break;
                    case ColumnKind.Text: statement.Bind(index, column.TextOf(values)); break;
                    case ColumnKind.Timestamp: statement.BindTimestamp(index, column.TimestampOf(values)); break;
                    case ColumnKind.Real: statement.Bind(index, column.RealOf(values)); break;
                    case ColumnKind.Integer: statement.Bind(index, column.IntegerOf(values)); break;
                    case ColumnKind.Flag: statement.BindFlag(index, column.FlagOf(values)); break;
                }
            }
        }

        public override void Dispose()
        {
            _many.Dispose();
            _one.Dispose();
        }
    }
}
