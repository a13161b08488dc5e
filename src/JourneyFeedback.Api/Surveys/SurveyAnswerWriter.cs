using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Win32.SafeHandles;

namespace JourneyFeedback.Api.Surveys;

/// <summary>An answer waiting to be committed, with the feedback item its text becomes.</summary>
internal sealed record PendingAnswer(
    Guid WorkspaceId,
    Guid SurveyId,
    Guid InvitationId,
    int? Score,
    string? OptionId,
    string? OtherText,
    string? Comment,
    DateTime AnsweredAt,
    PendingFeedback? Feedback,
    AnswerContext? Context = null)
{
    public Guid ResponseId { get; } = Guid.CreateVersion7();
    internal TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What the webhook events of an answer tell besides the answer: the survey and the invitation it came through.</summary>
internal sealed record AnswerContext(
    string SurveyName, string SurveyType, string? CustomerId, string? ExternalRef, string? Channel, IReadOnlyDictionary<string, string> Metadata,
    Guid? MapId, Guid? TouchpointId);

internal sealed record PendingFeedback(
    string Text, string? CustomerId, string? Channel, string Source, double? Rating, double? RatingScale,
    string? MetadataJson, string? InvitationRef, Guid? MapId, Guid? TouchpointId);

/// <summary>
/// Group commit: answers that arrive together are written in one transaction, and each caller is answered only
/// after that transaction has committed and is on disk. One answer per invitation is enforced in the database by a conditional update
/// (<c>WHERE AnsweredAt IS NULL</c>), which also holds across several API instances.
/// </summary>
internal sealed class SurveyAnswerWriter(IServiceScopeFactory scopes, WriteActivity activity, WebhookOutbox webhooks, ILogger<SurveyAnswerWriter> logger)
    : BackgroundService
{
    private const int MaxBatch = 512;
    private SqliteSession? _sqlite;
    private bool? _onSqlite;
    private readonly Channel<PendingAnswer> _queue = Channel.CreateBounded<PendingAnswer>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>True when stored; false when the invitation had already been answered.</summary>
    public async Task<bool> SubmitAsync(PendingAnswer answer, CancellationToken ct)
    {
        await _queue.Writer.WriteAsync(answer, ct);
        return await answer.Stored.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingAnswer>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // What queued while the last batch was written goes in the next one: under load batches grow by themselves,
                // and a lone answer is written at once.
                TakeQueued(batch);
                activity.Touch();
                await WriteBatchSafely([.. batch]);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: answer whoever is still waiting rather than leaving them hanging.
            while (_queue.Reader.TryRead(out var answer)) batch.Add(answer);
            foreach (var answer in batch) answer.Stored.TrySetCanceled(stoppingToken);
        }
        finally
        {
            if (_sqlite is { } session) await session.DisposeAsync();
        }
    }

    private void TakeQueued(List<PendingAnswer> batch)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var answer)) batch.Add(answer);
    }

    private async Task WriteBatchSafely(PendingAnswer[] batch)
    {
        try
        {
            var (stored, durable, deliveries) = await WriteBatch(batch);
            // Not awaited: the next batch is written while this one's commit reaches the disk.
            _ = AnswerWhenDurable(batch, stored, durable, deliveries);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writing {Count} survey answers failed; the transaction was rolled back", batch.Length);
            foreach (var answer in batch) answer.Stored.TrySetException(ex);
        }
    }

    private async Task AnswerWhenDurable(PendingAnswer[] batch, bool[] stored, Task durable, int deliveries)
    {
        try
        {
            await durable;
        }
        catch (Exception ex)
        {
            // Committed but perhaps not on disk: the callers hear of a failure (a retry then answers 409 if it was kept).
            logger.LogError(ex, "Syncing the commit of {Count} survey answers to disk failed", batch.Length);
            foreach (var answer in batch) answer.Stored.TrySetException(ex);
            return;
        }
        webhooks.Committed(deliveries);
        for (var i = 0; i < batch.Length; i++) batch[i].Stored.TrySetResult(stored[i]);
    }

    private sealed record Statement(string Sql, params (string Name, Type Type)[] Parameters)
    {
        /// <summary>What follows an INSERT's VALUES (an ON CONFLICT clause).</summary>
        public string Then { get; init; } = "";

        public string Text => Sql + Then;

        /// <summary>This INSERT for <paramref name="rows"/> rows, its parameters numbered (?1, ?2, …) row after row.</summary>
        public string ForRows(int rows)
        {
            var values = Sql.IndexOf("VALUES", StringComparison.Ordinal) + "VALUES".Length;
            return Sql[..values] + " " + SqliteRawStatement.Rows(rows, Parameters.Length) + Then;
        }
    }

    // One answer: claim the link (the single-use rule), store the answer, store its text as a feedback item.
    private static readonly Statement Claim = new(
        """UPDATE "Invitations" SET "AnsweredAt" = @at WHERE "Id" = @id AND "AnsweredAt" IS NULL""",
        ("@at", typeof(DateTime)), ("@id", typeof(Guid)));
    private static readonly Statement InsertAnswer = new(
        """
        INSERT INTO "SurveyAnswers" ("Id", "WorkspaceId", "SurveyId", "InvitationId", "Score", "OptionId", "OtherText", "Comment", "AnsweredAt")
        VALUES (@id, @workspace, @survey, @invitation, @score, @option, @other, @comment, @at)
        """,
        ("@id", typeof(Guid)), ("@workspace", typeof(Guid)), ("@survey", typeof(Guid)), ("@invitation", typeof(Guid)),
        ("@score", typeof(int)), ("@option", typeof(string)), ("@other", typeof(string)), ("@comment", typeof(string)), ("@at", typeof(DateTime)));
    private static readonly Statement InsertFeedback = new(
        $"INSERT INTO \"FeedbackItems\" ({FeedbackItemColumns.Names(FeedbackItemColumns.SurveyAnswer)}) " +
        $"VALUES ({string.Join(", ", FeedbackItemColumns.SurveyAnswer.Select(c => c.Parameter))})",
        [.. FeedbackItemColumns.SurveyAnswer.Select(c => (c.Parameter, c.Type))]);

    // Scores counted per survey, day and score (SurveyScoreDay), in the answers' transaction.
    private static readonly Statement AddScoreDays = new(
        """INSERT INTO "SurveyScoreDays" ("SurveyId", "Day", "Score", "Count") VALUES (@survey, @day, @score, @count)""",
        ("@survey", typeof(Guid)), ("@day", typeof(int)), ("@score", typeof(int)), ("@count", typeof(int)))
    {
        Then = """ ON CONFLICT ("SurveyId", "Day", "Score") DO UPDATE SET "Count" = "SurveyScoreDays"."Count" + excluded."Count" """,
    };

    private static object?[] ClaimValues(PendingAnswer a) => [a.AnsweredAt, a.InvitationId];

    private static object?[] AnswerValues(PendingAnswer a) =>
        [a.ResponseId, a.WorkspaceId, a.SurveyId, a.InvitationId, a.Score, a.OptionId, a.OtherText, a.Comment, a.AnsweredAt];

    /// <summary>The stored answers' scores counted per survey, day and score, in key order (two instances lock the rows alike).</summary>
    private static List<object?[]> ScoreDayValues(PendingAnswer[] batch, bool[] stored) =>
    [
        .. Enumerable.Range(0, batch.Length).Where(i => stored[i] && batch[i].Score is not null)
            .GroupBy(i => (batch[i].SurveyId, Day: SurveyScoreDay.DayOf(batch[i].AnsweredAt), Score: batch[i].Score!.Value))
            .OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.SurveyId, g.Key.Day, g.Key.Score, g.Count() }),
    ];

    private static object?[] FeedbackValues(PendingAnswer a, PendingFeedback f)
    {
        // The survey's own touchpoint is explicit; a survey tied only to a map leaves the text to the matching worker.
        var explicitTouchpoint = f.TouchpointId is not null;
        var item = new FeedbackItem
        {
            WorkspaceId = a.WorkspaceId,
            Kind = "survey",
            Text = f.Text,
            CustomerId = f.CustomerId,
            OccurredAt = a.AnsweredAt,
            Channel = f.Channel,
            Source = f.Source,
            Rating = f.Rating,
            RatingScale = f.RatingScale,
            Metadata = f.MetadataJson,
            SurveyId = a.SurveyId,
            SurveyAnswerId = a.ResponseId,
            InvitationRef = f.InvitationRef,
            MapId = f.MapId,
            TouchpointId = f.TouchpointId,
            MatchReason = explicitTouchpoint ? MatchReasons.Survey : null,
            MatchConfidence = explicitTouchpoint ? 1.0 : null,
            MatchedAt = explicitTouchpoint ? a.AnsweredAt : null,
            CreatedAt = a.AnsweredAt,
        };
        return FeedbackItemColumns.Values(FeedbackItemColumns.SurveyAnswer, item);
    }

    /// <summary>Writes and commits a batch; returns which answers were stored, a task that ends when the commit is on disk, and the webhook deliveries it made.</summary>
    private async Task<(bool[] Stored, Task Durable, int Deliveries)> WriteBatch(PendingAnswer[] batch)
    {
        // Invitations are claimed in id order, so batches of two instances lock rows in the same order and cannot deadlock
        // (the sort is stable: of two answers to one link in a batch, the first to arrive still wins).
        var order = Enumerable.Range(0, batch.Length).OrderBy(i => batch[i].InvitationId).ToList();
        var ct = CancellationToken.None; // a started commit is finished even during shutdown
        if (_onSqlite is not false)
        {
            _sqlite ??= await SqliteSession.OpenAsync(scopes);
            _onSqlite = _sqlite is not null;
        }
        if (_sqlite is { } session)
        {
            try
            {
                return await session.WriteAsync(batch, order, webhooks, ct);
            }
            catch
            {
                // A failed batch may leave the connection in any state: the next one starts on a fresh connection.
                _sqlite = null;
                await session.DisposeAsync();
                throw;
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var stored = await WriteInRoundTrips(connection, transaction, batch, order, ct);
        await db.Database.UseTransactionAsync(transaction, ct);
        var deliveries = await WriteWebhookEvents(db, webhooks, batch, order, stored, ct);
        await transaction.CommitAsync(ct); // durable on return (synchronous_commit)
        return (stored, Task.CompletedTask, deliveries);
    }

    /// <summary>survey.answered / survey.detractor, in the answers' transaction: sent exactly when the answers are stored.</summary>
    private static Task<int> WriteWebhookEvents(JourneyFeedbackDb db, WebhookOutbox webhooks, PendingAnswer[] batch, List<int> order,
        bool[] stored, CancellationToken ct) =>
        webhooks.WriteAsync(db, [.. order.Where(i => stored[i]).SelectMany(i => WebhookEventsOf(batch[i]))], ct);

    /// <summary>
    /// SQLite: the writer keeps one connection open with its statements prepared on the raw handle and bound by index; it
    /// claims the links one by one and inserts the answers and items several rows per statement. The commit does not
    /// wait for the disk while it holds the write lock: the session syncs the write-ahead log itself after the commit,
    /// and the answers are acknowledged only then, while the next batch is already being written. Preparing statements
    /// for every batch, binding by name, and syncing inside the commit made the writer the answer path's bottleneck
    /// (docs/benchmarks.md, "Survey answers").
    /// </summary>
    private sealed class SqliteSession : IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope;
        private readonly JourneyFeedbackDb _db;
        private readonly SqliteRawStatement _claim;
        private readonly RowsInsert _insertAnswers, _insertItems, _addScoreDays;
        private readonly string? _walPath; // null when the database is not in WAL mode: its commits sync themselves
        private readonly SemaphoreSlim _syncing = new(1, 1);
        private SafeFileHandle? _wal;
        private long _committed, _synced;

        private SqliteSession(AsyncServiceScope scope, JourneyFeedbackDb db, SqliteConnection connection, bool syncsLog)
        {
            (_scope, _db) = (scope, db);
            _walPath = syncsLog ? connection.DataSource + "-wal" : null;
            _claim = new SqliteRawStatement(connection, Claim.Sql);
            _insertAnswers = new RowsInsert(connection, InsertAnswer);
            _insertItems = new RowsInsert(connection, InsertFeedback);
            _addScoreDays = new RowsInsert(connection, AddScoreDays);
        }

        /// <summary>A session on SQLite; null on a database server, whose connections go back to their pool after each batch.</summary>
        public static async Task<SqliteSession?> OpenAsync(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateAsyncScope();
            try
            {
                var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
                if (!db.Database.IsSqlite())
                {
                    await scope.DisposeAsync();
                    return null;
                }
                await db.Database.OpenConnectionAsync();
                // synchronous=NORMAL: in WAL mode a commit then writes the log without syncing it (SyncAsync does, outside the
                // lock). temp_store=MEMORY: an item's insert touches a dozen pages of its table and indexes, and SQLite kept that
                // statement journal in a temporary file (created and deleted in every batch).
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                using (var mode = connection.CreateCommand())
                {
                    mode.CommandText = "PRAGMA journal_mode";
                    var inWal = await mode.ExecuteScalarAsync() is "wal";
                    mode.CommandText = inWal ? "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;" : "PRAGMA temp_store = MEMORY;";
                    await mode.ExecuteNonQueryAsync();
                    return new SqliteSession(scope, db, connection, syncsLog: inWal);
                }
            }
            catch
            {
                await scope.DisposeAsync();
                throw;
            }
        }

        public async Task<(bool[] Stored, Task Durable, int Deliveries)> WriteAsync(PendingAnswer[] batch, List<int> order, WebhookOutbox webhooks,
            CancellationToken ct)
        {
            await _db.Database.BeginTransactionAsync(ct);
            try
            {
                var stored = new bool[batch.Length];
                List<object?[]> answers = new(batch.Length), items = new(batch.Length);
                foreach (var i in order)
                {
                    var a = batch[i];
                    _claim.Clear();
                    _claim.Bind(1, ClaimValues(a));
                    if (_claim.Execute() == 0) continue; // answered before (or earlier in this batch)
                    stored[i] = true;
                    answers.Add(AnswerValues(a));
                    if (a.Feedback is { } f) items.Add(FeedbackValues(a, f));
                }
                _insertAnswers.Execute(answers);
                _insertItems.Execute(items);
                _addScoreDays.Execute(ScoreDayValues(batch, stored));
                var deliveries = await WriteWebhookEvents(_db, webhooks, batch, order, stored, ct);
                await _db.Database.CommitTransactionAsync(ct);
                return (stored, _walPath is null ? Task.CompletedTask : SyncAsync(++_committed), deliveries);
            }
            finally
            {
                // Committed, or rolled back when anything above threw; either way the session is ready for the next batch.
                if (_db.Database.CurrentTransaction is { } open) await open.DisposeAsync();
                _db.ChangeTracker.Clear();
            }
        }

        /// <summary>
        /// Ends when commit number <paramref name="commit"/> is on disk. One fsync of the log covers every commit before
        /// it, so batches that commit while a sync runs share the next one. (A checkpoint that copies the log into the
        /// database syncs both first, so frames the log later reuses were already durable.)
        /// </summary>
        private async Task SyncAsync(long commit)
        {
            await _syncing.WaitAsync();
            try
            {
                if (_synced >= commit) return;
                var through = Volatile.Read(ref _committed);
                // The log exists from the first commit on, and stays while this session's connection is open.
                _wal ??= File.OpenHandle(_walPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await Task.Run(() => RandomAccess.FlushToDisk(_wal));
                _synced = through;
            }
            finally
            {
                _syncing.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_walPath is not null) await SyncAsync(Volatile.Read(ref _committed)); // what was committed is acknowledged before the log's handle closes
            }
            catch (IOException)
            {
                // The waiting batches hear of it themselves.
            }
            _wal?.Dispose();
            _claim.Dispose();
            _insertAnswers.Dispose();
            _insertItems.Dispose();
            _addScoreDays.Dispose();
            await _scope.DisposeAsync();
        }
    }

    /// <summary>
    /// An INSERT prepared for 1, 2, 4 … 64 rows, so n rows take at most seven statements. Each statement on a table with
    /// unique indexes keeps a statement journal of the pages it touches; many rows share one.
    /// </summary>
    private sealed class RowsInsert(SqliteConnection connection, Statement insert) : IDisposable
    {
        private const int MostRowsPower = 6;
        private readonly SqliteRawStatement?[] _prepared = new SqliteRawStatement?[MostRowsPower + 1];

        public void Execute(List<object?[]> rows)
        {
            for (var first = 0; first < rows.Count;)
            {
                var power = Math.Min(MostRowsPower, System.Numerics.BitOperations.Log2((uint)(rows.Count - first)));
                var statement = _prepared[power] ??= new SqliteRawStatement(connection, insert.ForRows(1 << power));
                statement.Clear();
                for (var r = 0; r < 1 << power; r++) statement.Bind(r * insert.Parameters.Length + 1, rows[first + r]);
                statement.Execute();
                first += 1 << power;
            }
        }

        public void Dispose()
        {
            foreach (var statement in _prepared) statement?.Dispose();
        }
    }

    /// <summary>
    /// A database server (PostgreSQL): a round trip per statement would cost more than the statement, so all claims go
    /// in one batch and the inserts for the links that were claimed in a second; the statements are the same.
    /// </summary>
    private static async Task<bool[]> WriteInRoundTrips(DbConnection connection, DbTransaction transaction, PendingAnswer[] batch,
        List<int> order, CancellationToken ct)
    {
        await using var claims = connection.CreateBatch();
        claims.Transaction = transaction;
        foreach (var i in order) Add(claims, Claim, ClaimValues(batch[i]));
        await claims.PrepareAsync(ct); // parsed and planned once per connection, not once per answer
        await claims.ExecuteNonQueryAsync(ct);

        var stored = new bool[batch.Length];
        await using var inserts = connection.CreateBatch();
        inserts.Transaction = transaction;
        for (var k = 0; k < order.Count; k++)
        {
            if (claims.BatchCommands[k].RecordsAffected == 0) continue; // answered before (or earlier in this batch)
            stored[order[k]] = true;
            Add(inserts, InsertAnswer, AnswerValues(batch[order[k]]));
        }
        // Feedback items after the answers, in map order: each insert bumps its map's evidence version (a trigger), and
        // instances that lock maps in the same order cannot deadlock.
        foreach (var i in order.Where(i => stored[i] && batch[i].Feedback is not null).OrderBy(i => batch[i].Feedback!.MapId))
            Add(inserts, InsertFeedback, FeedbackValues(batch[i], batch[i].Feedback!));
        foreach (var values in ScoreDayValues(batch, stored)) Add(inserts, AddScoreDays, values);
        if (inserts.BatchCommands.Count > 0)
        {
            await inserts.PrepareAsync(ct);
            await inserts.ExecuteNonQueryAsync(ct);
        }
        return stored;
    }

    private static IEnumerable<OutboxEvent> WebhookEventsOf(PendingAnswer a)
    {
        if (a.Context is not { } c) yield break;
        var detractor = SurveyRules.IsDetractor(c.SurveyType, a.Score);
        var links = new Dictionary<string, string> { ["survey"] = $"/api/surveys/{a.SurveyId}", ["results"] = $"/api/surveys/{a.SurveyId}/results" };
        var data = new SurveyAnswerData(a.ResponseId, a.SurveyId, c.SurveyName, c.SurveyType, a.InvitationId, a.Score, detractor, a.OptionId, a.OtherText,
            a.Comment, c.CustomerId, c.ExternalRef, c.Channel, c.Metadata, c.MapId, c.TouchpointId, a.AnsweredAt, links);
        yield return new OutboxEvent(a.WorkspaceId, WebhookEventTypes.SurveyAnswered, WebhookSeverity.Low, a.AnsweredAt, data, a.SurveyId, c.MapId, c.TouchpointId);
        if (detractor)
            yield return new OutboxEvent(a.WorkspaceId, WebhookEventTypes.SurveyDetractor,
                SurveyRules.IsStrongDetractor(c.SurveyType, a.Score) ? WebhookSeverity.High : WebhookSeverity.Medium, a.AnsweredAt, data,
                a.SurveyId, c.MapId, c.TouchpointId);
    }

    private static readonly Dictionary<Type, DbType> DbTypes = new()
    {
        [typeof(Guid)] = DbType.Guid, [typeof(DateTime)] = DbType.DateTime, [typeof(string)] = DbType.String,
        [typeof(int)] = DbType.Int32, [typeof(double)] = DbType.Double,
    };

    private static void Add(DbBatch batch, Statement statement, object?[] values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = statement.Text;
        for (var p = 0; p < values.Length; p++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = statement.Parameters[p].Name;
            parameter.DbType = DbTypes[statement.Parameters[p].Type]; // typed even when null, so one prepared statement fits all
            parameter.Value = values[p] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        batch.BatchCommands.Add(command);
    }
}
