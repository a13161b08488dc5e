using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Webhooks;
using Microsoft.EntityFrameworkCore;

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
/// after that transaction commits. One answer per invitation is enforced in the database by a conditional update
/// (<c>WHERE AnsweredAt IS NULL</c>), which also holds across several API instances.
/// </summary>
internal sealed class SurveyAnswerWriter(IServiceScopeFactory scopes, WriteActivity activity, WebhookOutbox webhooks, ILogger<SurveyAnswerWriter> logger)
    : BackgroundService
{
    private const int MaxBatch = 512;
    private const int GatherBelow = 48;
    private static readonly TimeSpan GatherWait = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan StreamingGap = TimeSpan.FromMilliseconds(5);
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
        var lastCommitEnded = 0L;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                TakeQueued(batch);
                // While answers stream in (the last commit has just ended), a moment's wait fills the batch: one commit and
                // one write of each touched page then serve several times as many answers (docs/benchmarks.md, "Survey
                // answers"). A lone answer is written at once.
                if (batch.Count < GatherBelow && Stopwatch.GetElapsedTime(lastCommitEnded) < StreamingGap)
                {
                    await Task.Delay(GatherWait, CancellationToken.None); // what was read is written, even at shutdown
                    TakeQueued(batch);
                }
                activity.Touch();
                await WriteBatchSafely(batch);
                lastCommitEnded = Stopwatch.GetTimestamp();
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: answer whoever is still waiting rather than leaving them hanging.
            while (_queue.Reader.TryRead(out var answer)) batch.Add(answer);
            foreach (var answer in batch) answer.Stored.TrySetCanceled(stoppingToken);
        }
    }

    private void TakeQueued(List<PendingAnswer> batch)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var answer)) batch.Add(answer);
    }

    private async Task WriteBatchSafely(List<PendingAnswer> batch)
    {
        try
        {
            var stored = await WriteBatch(batch);
            for (var i = 0; i < batch.Count; i++) batch[i].Stored.TrySetResult(stored[i]);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writing {Count} survey answers failed; the transaction was rolled back", batch.Count);
            foreach (var answer in batch) answer.Stored.TrySetException(ex);
        }
    }

    private sealed record Statement(string Sql, params (string Name, Type Type)[] Parameters);

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

    private static object?[] ClaimValues(PendingAnswer a) => [a.AnsweredAt, a.InvitationId];

    private static object?[] AnswerValues(PendingAnswer a) =>
        [a.ResponseId, a.WorkspaceId, a.SurveyId, a.InvitationId, a.Score, a.OptionId, a.OtherText, a.Comment, a.AnsweredAt];

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

    private async Task<bool[]> WriteBatch(List<PendingAnswer> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync();
        var ct = CancellationToken.None; // a started commit is finished even during shutdown

        // Invitations are claimed in id order, so batches of two instances lock rows in the same order and cannot deadlock
        // (the sort is stable: of two answers to one link in a batch, the first to arrive still wins).
        var order = Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].InvitationId).ToList();
        var stored = connection.CanCreateBatch
            ? await WriteInRoundTrips(connection, transaction, batch, order, ct)
            : await WriteOneByOne(db, connection, transaction, batch, order, ct);
        // survey.answered / survey.detractor, in the same transaction: sent exactly when the answers are stored.
        await db.Database.UseTransactionAsync(transaction, ct);
        var deliveries = await webhooks.WriteAsync(db, [.. order.Where(i => stored[i]).SelectMany(i => WebhookEventsOf(batch[i]))], ct);
        await transaction.CommitAsync(ct);
        webhooks.Committed(deliveries);
        return stored;
    }

    /// <summary>SQLite (in-process, nothing to save by batching): prepared statements, one answer after the other.</summary>
    private static async Task<bool[]> WriteOneByOne(JourneyFeedbackDb db, DbConnection connection, DbTransaction transaction,
        List<PendingAnswer> batch, List<int> order, CancellationToken ct)
    {
        using var claim = new PreparedCommand(db, connection, transaction, Claim.Sql, Claim.Parameters);
        using var insertAnswer = new PreparedCommand(db, connection, transaction, InsertAnswer.Sql, InsertAnswer.Parameters);
        using var insertFeedback = new PreparedCommand(db, connection, transaction, InsertFeedback.Sql, InsertFeedback.Parameters);
        var stored = new bool[batch.Count];
        foreach (var i in order)
        {
            var a = batch[i];
            if (await claim.ExecuteAsync(ct, ClaimValues(a)) == 0) continue; // answered before (or earlier in this batch)
            stored[i] = true;
            await insertAnswer.ExecuteAsync(ct, AnswerValues(a));
            if (a.Feedback is { } f) await insertFeedback.ExecuteAsync(ct, FeedbackValues(a, f));
        }
        return stored;
    }

    /// <summary>
    /// A database server (PostgreSQL): a round trip per statement would cost more than the statement, so all claims go
    /// in one batch and the inserts for the links that were claimed in a second; the statements are the same.
    /// </summary>
    private static async Task<bool[]> WriteInRoundTrips(DbConnection connection, DbTransaction transaction, List<PendingAnswer> batch,
        List<int> order, CancellationToken ct)
    {
        await using var claims = connection.CreateBatch();
        claims.Transaction = transaction;
        foreach (var i in order) Add(claims, Claim, ClaimValues(batch[i]));
        await claims.PrepareAsync(ct); // parsed and planned once per connection, not once per answer
        await claims.ExecuteNonQueryAsync(ct);

        var stored = new bool[batch.Count];
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
        command.CommandText = statement.Sql;
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
