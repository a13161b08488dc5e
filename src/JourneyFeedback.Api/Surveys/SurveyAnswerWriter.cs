using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Win32.SafeHandles;

namespace JourneyFeedback.Api.Surveys;

/// <summary>
/// A validated answer waiting to be committed. The link is named by its token only: the writer claims it and reads what the
/// stored answer, its feedback item and its webhook events need of it in one statement.
/// </summary>
internal sealed record PendingAnswer(string Token, Survey Survey, ParsedAnswer Answer, DateTime AnsweredAt)
{
    public Guid ResponseId { get; } = Guid.CreateVersion7();
    internal TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What an answer's claim read of its link (the invitation).</summary>
internal sealed record ClaimedLink(Guid InvitationId, string? CustomerId, string? ExternalRef, string? Channel, string MetadataJson)
{
    private Dictionary<string, string>? _metadata;

    /// <summary>Read on first use (most links carry none): the item and the webhook events both need it.</summary>
    public Dictionary<string, string> Metadata => _metadata ??= MetadataJson == "{}" ? [] : JsonColumn.Read<Dictionary<string, string>>(MetadataJson);
}

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

    /// <summary>True when stored; false when the link could not be claimed (answered before, expired, or not this survey's).</summary>
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
            var (claimed, durable, deliveries) = await WriteBatch(batch);
            // Not awaited: the next batch is written while this one's commit reaches the disk.
            _ = AnswerWhenDurable(batch, claimed, durable, deliveries);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writing {Count} survey answers failed; the transaction was rolled back", batch.Length);
            foreach (var answer in batch) answer.Stored.TrySetException(ex);
        }
    }

    private async Task AnswerWhenDurable(PendingAnswer[] batch, ClaimedLink?[] claimed, Task durable, int deliveries)
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
        for (var i = 0; i < batch.Length; i++) batch[i].Stored.TrySetResult(claimed[i] is not null);
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

    // One answer: claim the link (the single-use rule: unanswered, unexpired, of this survey) and read what the answer needs
    // of it, store the answer, store its text as a feedback item.
    private static readonly Statement Claim = new(
        """
        UPDATE "Invitations" SET "AnsweredAt" = @at
        WHERE "Token" = @token AND "SurveyId" = @survey AND "AnsweredAt" IS NULL AND "ExpiresAt" > @at
        RETURNING "Id", "CustomerId", "ExternalRef", "Channel", "Metadata"
        """,
        ("@at", typeof(DateTime)), ("@token", typeof(string)), ("@survey", typeof(Guid)));
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

    private const string MapVersion = """SELECT "EvidenceVersion" FROM "Maps" WHERE "Id" = ?1""";

    // Scores counted per survey, day and score (SurveyScoreDay), in the answers' transaction.
    private static readonly Statement AddScoreDays = new(
        """INSERT INTO "SurveyScoreDays" ("SurveyId", "Day", "Score", "Count") VALUES (@survey, @day, @score, @count)""",
        ("@survey", typeof(Guid)), ("@day", typeof(int)), ("@score", typeof(int)), ("@count", typeof(int)))
    {
        Then = """ ON CONFLICT ("SurveyId", "Day", "Score") DO UPDATE SET "Count" = "SurveyScoreDays"."Count" + excluded."Count" """,
    };

    private static object?[] ClaimValues(PendingAnswer a) => [a.AnsweredAt, a.Token, a.Survey.Id];

    private static object?[] AnswerValues(PendingAnswer a, ClaimedLink link) =>
        [a.ResponseId, a.Survey.WorkspaceId, a.Survey.Id, link.InvitationId, a.Answer.Score, a.Answer.OptionId, a.Answer.OtherText,
            a.Answer.Comment, a.AnsweredAt];

    /// <summary>The stored answers' scores counted per survey, day and score, in key order (two instances lock the rows alike).</summary>
    private static List<object?[]> ScoreDayValues(PendingAnswer[] batch, ClaimedLink?[] claimed) =>
    [
        .. Enumerable.Range(0, batch.Length).Where(i => claimed[i] is not null && batch[i].Answer.Score is not null)
            .GroupBy(i => (SurveyId: batch[i].Survey.Id, Day: SurveyScoreDay.DayOf(batch[i].AnsweredAt), Score: batch[i].Answer.Score!.Value))
            .OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.SurveyId, g.Key.Day, g.Key.Score, g.Count() }),
    ];

    /// <summary>The feedback item an answer's text becomes; null for an answer without text.</summary>
    /// <remarks><paramref name="changeVersion"/>: the survey's map's next change version read in this transaction, or 0
    /// (no map, or left to the trigger: FeedbackItem.ChangeVersion).</remarks>
    private static object?[]? FeedbackValues(PendingAnswer a, ClaimedLink link, long changeVersion)
    {
        if (a.Answer.FeedbackText is not { } text) return null;
        var survey = a.Survey;
        var metadata = new Dictionary<string, string>(link.Metadata) { ["surveyType"] = survey.Type };
        if (a.Answer.OptionId is { } option) metadata["option"] = option;
        // The survey's own touchpoint is explicit; a survey tied only to a map leaves the text to the matching worker.
        var explicitTouchpoint = survey.TouchpointId is not null;
        var item = new FeedbackItem
        {
            WorkspaceId = survey.WorkspaceId,
            Kind = "survey",
            Text = text,
            CustomerId = link.CustomerId,
            OccurredAt = a.AnsweredAt,
            Channel = link.Channel,
            Source = $"survey:{survey.Name}",
            Rating = a.Answer.Score,
            RatingScale = SurveyRules.Scale(survey.Type)?.Max,
            Metadata = JsonSerializer.Serialize(metadata),
            SurveyId = survey.Id,
            SurveyAnswerId = a.ResponseId,
            InvitationRef = link.ExternalRef,
            MapId = survey.MapId,
            TouchpointId = survey.TouchpointId,
            MatchReason = explicitTouchpoint ? MatchReasons.Survey : null,
            MatchConfidence = explicitTouchpoint ? 1.0 : null,
            MatchedAt = explicitTouchpoint ? a.AnsweredAt : null,
            CreatedAt = a.AnsweredAt,
            ChangeVersion = changeVersion,
        };
        return FeedbackItemColumns.Values(FeedbackItemColumns.SurveyAnswer, item);
    }

    /// <summary>
    /// Writes and commits a batch; returns each answer's claimed link (null: not stored), a task that ends when the commit is
    /// on disk, and the webhook deliveries it made.
    /// </summary>
    private async Task<(ClaimedLink?[] Claimed, Task Durable, int Deliveries)> WriteBatch(PendingAnswer[] batch)
    {
        // Links are claimed in token order, so batches of two instances lock rows in the same order and cannot deadlock
        // (the sort is stable: of two answers to one link in a batch, the first to arrive still wins).
        var order = Enumerable.Range(0, batch.Length).OrderBy(i => batch[i].Token, StringComparer.Ordinal).ToList();
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
        var claimed = await WriteInRoundTrips(connection, transaction, batch, order, ct);
        await db.Database.UseTransactionAsync(transaction, ct);
        var deliveries = await WriteWebhookEvents(db, webhooks, batch, order, claimed, ct);
        await transaction.CommitAsync(ct); // durable on return (synchronous_commit)
        return (claimed, Task.CompletedTask, deliveries);
    }

    /// <summary>survey.answered / survey.detractor, in the answers' transaction: sent exactly when the answers are stored.</summary>
    private static Task<int> WriteWebhookEvents(JourneyFeedbackDb db, WebhookOutbox webhooks, PendingAnswer[] batch, List<int> order,
        ClaimedLink?[] claimed, CancellationToken ct) =>
        webhooks.WriteAsync(db, [.. order.Where(i => claimed[i] is not null).SelectMany(i => WebhookEventsOf(batch[i], claimed[i]!))], ct);

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
        private readonly SqliteRawStatement _claim, _mapVersion;
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
            _mapVersion = new SqliteRawStatement(connection, MapVersion);
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

        public async Task<(ClaimedLink?[] Claimed, Task Durable, int Deliveries)> WriteAsync(PendingAnswer[] batch, List<int> order, WebhookOutbox webhooks,
            CancellationToken ct)
        {
            await _db.Database.BeginTransactionAsync(ct);
            try
            {
                var claimed = new ClaimedLink?[batch.Length];
                List<object?[]> answers = new(batch.Length), items = new(batch.Length);
                (Guid Map, long Next) version = default;
                foreach (var i in order)
                {
                    var a = batch[i];
                    _claim.Clear();
                    _claim.Bind(1, ClaimValues(a));
                    if (_claim.ReadOne(ReadClaimedLink) is not { } link) continue; // answered before (or earlier in this batch)
                    claimed[i] = link;
                    answers.Add(AnswerValues(a, link));
                    if (a.Survey.MapId is { } map && map != version.Map) version = (map, NextChangeVersion(map));
                    if (FeedbackValues(a, link, a.Survey.MapId is null ? 0 : version.Next) is { } item) items.Add(item);
                }
                _insertAnswers.Execute(answers);
                _insertItems.Execute(items);
                _addScoreDays.Execute(ScoreDayValues(batch, claimed));
                var deliveries = await WriteWebhookEvents(_db, webhooks, batch, order, claimed, ct);
                await _db.Database.CommitTransactionAsync(ct);
                return (claimed, _walPath is null ? Task.CompletedTask : SyncAsync(++_committed), deliveries);
            }
            finally
            {
                // Committed, or rolled back when anything above threw; either way the session is ready for the next batch.
                if (_db.Database.CurrentTransaction is { } open) await open.DisposeAsync();
                _db.ChangeTracker.Clear();
            }
        }

        /// <summary>
        /// The map's next change version, read in the batch's transaction (one writer at a time on SQLite, so it is above
        /// every version a reader has seen), as an import stamps its rows: the trigger then only moves the map on. Left at
        /// 0, each item cost the trigger an UPDATE of its row, which fired the update trigger and moved the map twice.
        /// </summary>
        private long NextChangeVersion(Guid map)
        {
            _mapVersion.Clear();
            _mapVersion.Bind(1, map);
            return _mapVersion.ReadInt64() + 1 ?? 0; // a map deleted meanwhile: the item's insert fails on its foreign key
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
            _mapVersion.Dispose();
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
    private static async Task<ClaimedLink?[]> WriteInRoundTrips(DbConnection connection, DbTransaction transaction, PendingAnswer[] batch,
        List<int> order, CancellationToken ct)
    {
        await using var claims = connection.CreateBatch();
        claims.Transaction = transaction;
        foreach (var i in order) Add(claims, Claim, ClaimValues(batch[i]));
        await claims.PrepareAsync(ct); // parsed and planned once per connection, not once per answer
        var claimed = new ClaimedLink?[batch.Length];
        await using (var rows = await claims.ExecuteReaderAsync(ct))
        {
            // One result per claim, empty when the link was answered before (or earlier in this batch).
            foreach (var i in order)
            {
                if (await rows.ReadAsync(ct))
                    claimed[i] = new ClaimedLink(rows.GetGuid(0), rows.IsDBNull(1) ? null : rows.GetString(1), rows.IsDBNull(2) ? null : rows.GetString(2),
                        rows.IsDBNull(3) ? null : rows.GetString(3), rows.GetString(4));
                await rows.NextResultAsync(ct);
            }
        }

        await using var inserts = connection.CreateBatch();
        inserts.Transaction = transaction;
        foreach (var i in order)
            if (claimed[i] is { } link) Add(inserts, InsertAnswer, AnswerValues(batch[i], link));
        // Feedback items after the answers, in map order: each insert bumps its map's evidence version (a trigger), and
        // instances that lock maps in the same order cannot deadlock.
        foreach (var i in order.Where(i => claimed[i] is not null).OrderBy(i => batch[i].Survey.MapId))
            if (FeedbackValues(batch[i], claimed[i]!, changeVersion: 0) is { } item) Add(inserts, InsertFeedback, item); // stamped by the statement trigger
        foreach (var values in ScoreDayValues(batch, claimed)) Add(inserts, AddScoreDays, values);
        if (inserts.BatchCommands.Count > 0)
        {
            await inserts.PrepareAsync(ct);
            await inserts.ExecuteNonQueryAsync(ct);
        }
        return claimed;
    }

    private static ClaimedLink ReadClaimedLink(SqliteRawStatement row) =>
        new(row.Guid(0)!.Value, row.Text(1), row.Text(2), row.Text(3), row.Text(4)!);

    private static IEnumerable<OutboxEvent> WebhookEventsOf(PendingAnswer a, ClaimedLink link)
    {
        var (s, answer) = (a.Survey, a.Answer);
        var detractor = SurveyRules.IsDetractor(s.Type, answer.Score);
        var links = new Dictionary<string, string> { ["survey"] = $"/api/surveys/{s.Id}", ["results"] = $"/api/surveys/{s.Id}/results" };
        var data = new SurveyAnswerData(a.ResponseId, s.Id, s.Name, s.Type, link.InvitationId, answer.Score, detractor, answer.OptionId,
            answer.OtherText, answer.Comment, link.CustomerId, link.ExternalRef, link.Channel, link.Metadata, s.MapId, s.TouchpointId, a.AnsweredAt, links);
        yield return new OutboxEvent(s.WorkspaceId, WebhookEventTypes.SurveyAnswered, WebhookSeverity.Low, a.AnsweredAt, data, s.Id, s.MapId, s.TouchpointId);
        if (detractor)
            yield return new OutboxEvent(s.WorkspaceId, WebhookEventTypes.SurveyDetractor,
                SurveyRules.IsStrongDetractor(s.Type, answer.Score) ? WebhookSeverity.High : WebhookSeverity.Medium, a.AnsweredAt, data,
                s.Id, s.MapId, s.TouchpointId);
    }

    private static readonly Dictionary<Type, DbType> DbTypes = new()
    {
        [typeof(Guid)] = DbType.Guid, [typeof(DateTime)] = DbType.DateTime, [typeof(string)] = DbType.String,
        [typeof(int)] = DbType.Int32, [typeof(long)] = DbType.Int64, [typeof(double)] = DbType.Double,
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
