using System.Threading.Channels;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Analysis.Serving;
using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Imports;

/// <summary>
/// Runs one import: a reader parses and maps rows on one core while a writer stores them on the other.
/// Each batch (items, rejections and the import's progress) is one transaction, so a crash loses no committed
/// row and leaves no half batch; a resumed run skips the rows up to the last committed one, and the per-workspace
/// unique dedup key makes any overlap harmless. Every write is fenced by the claim: a run whose import another instance has
/// taken over (its heartbeat went stale) stops at its next batch instead of counting rows twice.
/// </summary>
internal sealed class ImportProcessor(
    JourneyFeedbackDb db, StoragePaths paths, IOptions<ImportOptions> options, IOptions<AnalysisOptions> analysisOptions,
    IServiceProvider services, MatcherCache matchers, Insights.MapEvidenceCache evidence, Journeys.JourneyLogCache journeys, WriteActivity activity,
    WebhookOutbox webhooks, IOptions<WebhooksOptions> webhookOptions, StorageFull storageFull, ILogger<ImportProcessor> logger)
{
    /// <summary>
    /// Rows of one transaction, with their analysis (null when analysis runs after the import) and their touchpoint on
    /// the import's map (null without a map); customer attributes they carry (a customers file's rows, or feedback rows'
    /// metadata) are merged per customer while the batch is read.
    /// </summary>
    private sealed record Batch(
        List<MappedRow> Rows, IReadOnlyList<StoredAnalysis>? Analyses, IReadOnlyList<TouchpointMatch>? Matches, List<MappedEvent> Events,
        int Customers, Segments.CustomerAttributeChanges? Attributes, List<RowRejection> Rejections, long LastRow, long BytesRead)
    {
        public int Stored => Rows.Count + Events.Count + Customers;
    }

    /// <summary>Runs an import that <paramref name="claimedBy"/> (a worker instance, <see cref="Import.ClaimedBy"/>) has claimed.</summary>
    public async Task RunAsync(Guid importId, string claimedBy, CancellationToken ct)
    {
        var import = await db.Imports.AsNoTracking().FirstAsync(i => i.Id == importId, ct);
        await db.Database.OpenConnectionAsync(ct);
        activity.ImportStarted();
        try
        {
            var outcome = await Process(import, claimedBy, ct);
            if (outcome is null) logger.LogWarning("Import {ImportId} was taken over by another instance; {Instance} stopped", importId, claimedBy);
            else await Finish(importId, claimedBy, outcome, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: the heartbeat goes stale and the import is resumed later
        }
        catch (Exception ex) when (StorageFull.Is(ex))
        {
            // The failed batch was rolled back whole; the ones before it stay, and a re-run of the file skips them as duplicates.
            // A failed import is never resumed (the re-run is a new upload), so its file goes first: on a full data folder
            // that gives back the room needed to record the failure at all (SQLite's WAL cannot grow by a page otherwise).
            var description = storageFull.Describe(ex);
            try { File.Delete(paths.ImportFile(importId)); }
            catch (Exception deleteFailed) when (deleteFailed is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(deleteFailed, "Import {ImportId}: its file could not be deleted", importId);
            }
            var reason = $"{description} The batches committed before it stay stored (imported, rowsRead) and its uploaded file was " +
                "deleted to give space back; free space, then upload the same file again: rows already stored are skipped as duplicates.";
            logger.LogError(ex, "Import {ImportId} failed: {Reason}", importId, reason);
            await FinishWithoutRoom(importId, claimedBy, reason);
        }
        // After the full-disk case: Npgsql counts disk_full (53100) as transient too, and a full disk does not pass by itself.
        catch (Exception ex) when (DatabaseUnavailableExceptionHandler.IsTransient(ex))
        {
            // A PostgreSQL restart or failover is not the file's fault: the claim is left to go stale, as after a crash, and
            // the import is taken over and resumed after its last committed batch.
            logger.LogWarning(ex, "Import {ImportId} paused: the database was unavailable; it resumes after its last committed batch", importId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import {ImportId} failed", importId);
            await Finish(importId, claimedBy, ImportStatus.Failed, ex.Message);
        }
        finally
        {
            activity.ImportEnded();
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Runs the import; returns its final status, or null when another instance took it over.</summary>
    private async Task<string?> Process(Import import, string claimedBy, CancellationToken ct)
    {
        var path = paths.ImportFile(import.Id);
        if (!File.Exists(path)) throw new InvalidDataException("The uploaded file is no longer in the data folder; upload it again.");
        // The upload already sniffed the file; only an import without a stored verdict reads it again.
        var sniff = import.DetectedEncoding is { } encoding ? FileSniffer.FromName(encoding) : FileSniffer.Sniff(path);
        if (sniff.Problem is not null) throw new InvalidDataException(sniff.Problem);

        using var reader = new CsvRecordReader(path, sniff, import.DetectedDelimiter);
        if (!reader.Read(out _, out var header, out _)) throw new InvalidDataException("The file has no header row.");
        var mapping = ColumnMapper.Resolve(header, ColumnMapper.ParseMapping(import.MappingJson, out _), import.Kind, out var mappingError)
            ?? throw new InvalidDataException(mappingError);
        var mapper = new RowMapper(import.Kind, mapping, new DateParser(import.SlashDateOrder, import.DateFormat),
            import.RatingScale, import.RedactPersonalData, import.CreatedAt);

        var readBusy = new System.Diagnostics.Stopwatch();
        var writeBusy = new System.Diagnostics.Stopwatch();
        var total = System.Diagnostics.Stopwatch.StartNew();
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Analysis runs in the reading stage, batched over both cores, with the workspace's models (loaded on first use).
        var analyzer = analysisOptions.Value.AnalyzeDuringImport
            ? (await services.GetRequiredService<WorkspaceAnalyzers>().ForWorkspaceAsync(import.WorkspaceId, ct)).Analyzer
            : null;
        // Rows are attached to their touchpoint as they are read; a deleted map leaves them for the matching worker.
        // Events have no text: neither analysed nor matched (each map's event rules place them when journeys are read).
        // Customers files are attributes only: nothing to analyse, match or place.
        var events = import.Kind == ImportKinds.Events;
        var customers = import.Kind == ImportKinds.Customers;
        if (events || customers) analyzer = null;
        var matcher = import.MapId is { } mapId && !events && !customers ? await matchers.GetAsync(db, mapId, ct) : null;
        // Reading, analysis and matching run below the requests' priority (LowPriorityScheduler); writing stays on the pool.
        var produce = LowPriorityThread.Run($"import {import.Id}", () =>
        {
            Produce(reader, mapper, import.Kind, analyzer, matcher, import.LastCommittedRow, batches.Writer, readBusy, stop.Token);
            return true;
        }, LowPriorityThread.BulkNice);

        var heartbeat = KeepClaimAsync(import.Id, claimedBy, stop.Token);
        string? status = ImportStatus.Succeeded;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                writeBusy.Start();
                var stored = await WriteBatch(import, claimedBy, batch, stop.Token);
                writeBusy.Stop();
                if (stored) continue;
                status = await IsStillClaimedBy(import.Id, claimedBy, ct) ? ImportStatus.Cancelled : null;
                await stop.CancelAsync();
                break;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try { await produce; } catch (OperationCanceledException) { }
            await heartbeat;
        }
        // Which stage bounds the import: the busier one is the bottleneck.
        logger.LogInformation("Import {ImportId} {Status} in {Seconds:F1} s; reading and mapping busy {Read:F1} s, writing busy {Write:F1} s",
            import.Id, status ?? "taken over", total.Elapsed.TotalSeconds, readBusy.Elapsed.TotalSeconds, writeBusy.Elapsed.TotalSeconds);
        if (status == ImportStatus.Succeeded && import.MapId is { } map && !events && !customers) evidence.PrepareAfterImport(map);
        if (status == ImportStatus.Succeeded && !customers) journeys.PrepareAfterImport(import.WorkspaceId, import.MapId, events);
        return status;
    }

    private void Produce(CsvRecordReader reader, RowMapper mapper, string kind, FeedbackAnalyzer? analyzer, TouchpointMatcher? matcher, long skipRows,
        ChannelWriter<Batch> output, System.Diagnostics.Stopwatch busy, CancellationToken ct)
    {
        busy.Start();
        var events = kind == ImportKinds.Events;
        var customers = kind == ImportKinds.Customers;
        var batchSize = Math.Max(1, options.Value.BatchSize);
        var rows = new List<MappedRow>(events || customers ? 0 : batchSize);
        var mappedEvents = new List<MappedEvent>(events ? batchSize : 0);
        var mappedCustomers = 0;
        Segments.CustomerAttributeChanges? attributes = null;
        var rejections = new List<RowRejection>();
        long rowIndex = 0;
        try
        {
            while (reader.Read(out var line, out var record, out var badQuote))
            {
                if (++rowIndex <= skipRows) continue; // committed by an earlier run
                if (events)
                {
                    var (mapped, rejected) = mapper.MapEvent(line, record, badQuote);
                    if (mapped is not null) mappedEvents.Add(mapped);
                    else rejections.Add(rejected!);
                }
                else if (customers)
                {
                    var (customer, rejected) = mapper.MapCustomer(line, record, badQuote);
                    if (customer is not null)
                    {
                        (attributes ??= new()).Set(customer.CustomerId, customer.Attributes);
                        mappedCustomers++;
                    }
                    else rejections.Add(rejected!);
                }
                else
                {
                    var (row, rejection) = mapper.Map(line, record, badQuote);
                    if (row is not null)
                    {
                        rows.Add(row);
                        if (row is { CustomerId: { } customerId, CustomerAttributes: { } carried }) (attributes ??= new()).Set(customerId, carried);
                    }
                    else rejections.Add(rejection!);
                }
                if (rows.Count + mappedEvents.Count + mappedCustomers + rejections.Count < batchSize) continue;
                Send(new Batch(rows, Analyze(rows), Match(rows), mappedEvents, mappedCustomers, attributes, rejections, rowIndex, reader.BytesRead));
                rows = new List<MappedRow>(events || customers ? 0 : batchSize);
                mappedEvents = new List<MappedEvent>(events ? batchSize : 0);
                mappedCustomers = 0;
                attributes = null;
                rejections = [];
            }
            // The last batch may be empty: it still records the final position.
            Send(new Batch(rows, Analyze(rows), Match(rows), mappedEvents, mappedCustomers, attributes, rejections, Math.Max(rowIndex, skipRows),
                reader.BytesRead));
            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
        }

        IReadOnlyList<StoredAnalysis>? Analyze(List<MappedRow> batchRows) =>
            analyzer is null || batchRows.Count == 0 ? null
                : analyzer.Analyze(batchRows.Select(r => r.Text).ToList(), batchRows.Select(r => r.Language).ToList(),
                    LowPriorityScheduler.Bulk.Options(Environment.ProcessorCount))
                    .Select(StoredAnalysis.From).ToList();

        IReadOnlyList<TouchpointMatch>? Match(List<MappedRow> batchRows)
        {
            if (matcher is null || batchRows.Count == 0) return null;
            // The matcher is immutable: rows are matched on both cores, like the analysis.
            var matches = new TouchpointMatch[batchRows.Count];
            Parallel.For(0, batchRows.Count, LowPriorityScheduler.Bulk.Options(Environment.ProcessorCount), i => matches[i] = matcher.Match(new MatchInput(batchRows[i].Text, batchRows[i].Channel, batchRows[i].Source, batchRows[i].Title)));
            return matches;
        }

        void Send(Batch batch)
        {
            batch.Attributes?.ToRows(); // sorted and serialised here, off the writer
            busy.Stop();
            while (!output.TryWrite(batch))
                if (!output.WaitToWriteAsync(ct).AsTask().GetAwaiter().GetResult()) return;
            busy.Start();
        }
    }

    /// <summary>
    /// Stores one batch with the import's progress in one transaction; false (nothing stored) when the import was
    /// cancelled or is no longer claimed by this run.
    /// </summary>
    private async Task<bool> WriteBatch(Import import, string claimedBy, Batch batch, CancellationToken ct)
    {
        activity.Touch();
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var now = DateTime.UtcNow;
        long imported, attached = 0;
        Insights.MapEvidence.CommittedRows? committed = null;
        if (batch.Events.Count > 0)
        {
            using var events = new EventInserter(db, connection, transaction);
            imported = await events.InsertAsync(import, batch.Events, now, ct);
        }
        else
        {
            (imported, committed) = await InsertItems(import, batch, connection, transaction, now, ct);
            if (import.MapId is { } mapId && imported < batch.Rows.Count) attached = await AttachDuplicates(import, mapId, batch.Rows, transaction, ct);
        }
        // A customers file's rows are all stored (an upsert); feedback rows' attributes go with the rows, in this transaction.
        if (batch.Attributes is not null)
        {
            using var upserts = new Segments.CustomerUpserts(connection, transaction);
            await upserts.UpsertAsync(import.WorkspaceId, batch.Attributes, now, ct);
        }
        if (batch.Customers > 0) imported = batch.Customers;

        if (batch.Rejections.Count > 0)
        {
            using var insertRejection = new PreparedCommand(db, connection, transaction,
                """
                INSERT INTO "ImportRejections" ("Id", "WorkspaceId", "ImportId", "LineNumber", "Column", "Reason", "Excerpt")
                VALUES (@id, @workspace, @import, @line, @column, @reason, @excerpt)
                """,
                ("@id", typeof(Guid)), ("@workspace", typeof(Guid)), ("@import", typeof(Guid)), ("@line", typeof(long)),
                ("@column", typeof(string)), ("@reason", typeof(string)), ("@excerpt", typeof(string)));
            foreach (var r in batch.Rejections)
                await insertRejection.ExecuteAsync(ct, Guid.CreateVersion7(), import.WorkspaceId, import.Id, r.LineNumber, r.Column, r.Reason, r.Excerpt);
        }

        using var progress = new PreparedCommand(db, connection, transaction,
            """
            UPDATE "Imports" SET "RowsRead" = "RowsRead" + @rows, "Imported" = "Imported" + @imported, "SkippedDuplicates" = "SkippedDuplicates" + @skipped,
                "Attached" = "Attached" + @attached, "Rejected" = "Rejected" + @rejected, "LastCommittedRow" = @last, "BytesRead" = @bytes, "HeartbeatAt" = @now
            WHERE "Id" = @id AND "CancelRequested" = @false AND "ClaimedBy" = @claimedBy
            """,
            ("@rows", typeof(long)), ("@imported", typeof(long)), ("@skipped", typeof(long)), ("@attached", typeof(long)), ("@rejected", typeof(long)),
            ("@last", typeof(long)), ("@bytes", typeof(long)), ("@now", typeof(DateTime)), ("@id", typeof(Guid)), ("@false", typeof(bool)),
            ("@claimedBy", typeof(string)));
        var rowsInBatch = batch.Stored + batch.Rejections.Count;
        // The heartbeat is the moment of this update, not the batch's start: a batch that waited for its map's lock would
        // otherwise set the heartbeat back by the wait, and another instance took the live run over right after the commit.
        var stillWanted = await progress.ExecuteAsync(ct, (long)rowsInBatch, imported, batch.Stored - imported - attached, attached,
            (long)batch.Rejections.Count, batch.LastRow, batch.BytesRead, DateTime.UtcNow, import.Id, false, claimedBy) == 1;
        if (!stillWanted)
        {
            // Cancelled (or taken over) while this batch was being prepared: nothing of it is stored.
            await transaction.RollbackAsync(ct);
            return false;
        }
        await transaction.CommitAsync(ct);
        if (committed is not null) evidence.Committed(import.MapId!.Value, committed);
        return true;
    }

    /// <summary>
    /// Inserts the batch's items; on SQLite, when the map's snapshot is held here and every row was new, also the rows as
    /// the snapshot keeps them with the versions this transaction moved the map through (its catch-up then need not
    /// read them back). Each new row bumps the map's version once (a row trigger), so the range is exact only if the
    /// version moved by exactly the rows inserted.
    /// </summary>
    private async Task<(long Imported, Insights.MapEvidence.CommittedRows? Committed)> InsertItems(Import import, Batch batch,
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, DateTime now, CancellationToken ct)
    {
        if (batch.Rows.Count == 0) return (0, null);
        using var inserter = FeedbackItemInserter.Create(connection);
        var changeVersion = 0L;
        if (import.MapId is not { } mapId)
            return (await inserter.InsertAsync(import, batch.Rows, batch.Analyses, batch.Matches, now, changeVersion, ct), null);

        using var version = new PreparedCommand(db, connection, transaction,
            """SELECT "EvidenceVersion" FROM "Maps" WHERE "Id" = @map""", ("@map", typeof(Guid)));
        var before = await version.ScalarAsync<long>(ct, mapId);
        changeVersion = before + 1;
        var rows = connection is Microsoft.Data.Sqlite.SqliteConnection && evidence.WantsCommitted(mapId)
            ? new Insights.MapEvidence.Row[batch.Rows.Count] : null;
        var imported = await inserter.InsertAsync(import, batch.Rows, batch.Analyses, batch.Matches, now, changeVersion, ct,
            rows is null ? null : (i, item) => rows[i] = Insights.MapEvidence.Row.Of(item));
        if (rows is null || imported != rows.Length) return (imported, null);
        var after = await version.ScalarAsync<long>(ct, mapId);
        return (imported, after - before == imported ? new(before, after, rows) : null);
    }

    /// <summary>
    /// A re-import with a map: the batch's duplicates whose stored item is on no map go onto the import's map, queued for
    /// matching (<see cref="EvidenceAttach"/>), in the batch's transaction. Only batches that skipped rows pay for it.
    /// The rows this batch inserted carry the map already, so they are not counted.
    /// </summary>
    private async Task<long> AttachDuplicates(Import import, Guid mapId, List<MappedRow> rows, System.Data.Common.DbTransaction transaction,
        CancellationToken ct)
    {
        // One parameter for the whole batch (a JSON array on SQLite, an array on PostgreSQL), not one per key.
        var keys = rows.Select(r => r.DedupKey).Distinct(StringComparer.Ordinal).ToArray();
        await db.Database.UseTransactionAsync(transaction, ct);
        try
        {
            return await EvidenceAttach.ToMapAsync(db,
                db.FeedbackItems.Where(f => f.WorkspaceId == import.WorkspaceId && EF.Parameter(keys).Contains(f.DedupKey!)), mapId, ct);
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, ct);
        }
    }

    /// <summary>
    /// Keeps the claim fresh while this run is alive, besides the heartbeat each committed batch writes: a batch that waits
    /// longer than <see cref="ImportOptions.StaleAfterSeconds"/> for a lock (another transaction holding the import's map)
    /// is not a dead run, and taking it over only queued a second writer behind the same lock. A run that crashed or
    /// stopped (a database outage ends it too) beats no more, and is taken over as before.
    /// </summary>
    private async Task KeepClaimAsync(Guid importId, string claimedBy, CancellationToken ct)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.StaleAfterSeconds) / 3.0);
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var beats = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        try
        {
            while (true)
            {
                await Task.Delay(every, ct);
                try
                {
                    await beats.Imports.Where(i => i.Id == importId && i.ClaimedBy == claimedBy && i.Status == ImportStatus.Running)
                        .ExecuteUpdateAsync(u => u.SetProperty(i => i.HeartbeatAt, DateTime.UtcNow), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A missed beat is harmless: the next one comes soon, and the batches' own commits beat too.
                    logger.LogWarning(ex, "Import {ImportId}: heartbeat not recorded", importId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended (or the instance is stopping): no more beats.
        }
    }

    private Task<bool> IsStillClaimedBy(Guid importId, string claimedBy, CancellationToken ct) =>
        db.Imports.AnyAsync(i => i.Id == importId && i.ClaimedBy == claimedBy, ct);

    /// <summary>
    /// Marks the import failed when storage ran out. The full finish (with its webhook events) needs some room; if that
    /// does not fit, the status and reason alone are written, an update of one row that rarely needs a new page. Should
    /// that fail too, the import stays running until its heartbeat goes stale, and is then resumed (or fails again).
    /// </summary>
    private async Task FinishWithoutRoom(Guid importId, string claimedBy, string reason)
    {
        try
        {
            await Finish(importId, claimedBy, ImportStatus.Failed, reason);
        }
        catch (Exception ex) when (StorageFull.Is(ex))
        {
            logger.LogWarning(ex, "Import {ImportId}: no room for its webhook events; storing only its status", importId);
            db.ChangeTracker.Clear();
            var now = Timestamps.Now();
            await db.Imports.Where(i => i.Id == importId && i.ClaimedBy == claimedBy).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatus.Failed)
                .SetProperty(i => i.FailureReason, reason)
                .SetProperty(i => i.FinishedAt, now)
                .SetProperty(i => i.HeartbeatAt, now));
        }
    }

    /// <summary>
    /// The import's final status, and in the same transaction its webhook events: <c>import.completed</c> or
    /// <c>import.failed</c>, and <c>map.inbox.grew</c> when its rows pushed the map's inbox past the threshold.
    /// </summary>
    private async Task Finish(Guid importId, string claimedBy, string status, string? reason)
    {
        var now = Timestamps.Now();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var finished = await db.Imports.Where(i => i.Id == importId && i.ClaimedBy == claimedBy).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, status)
            .SetProperty(i => i.FailureReason, reason)
            .SetProperty(i => i.FinishedAt, now)
            .SetProperty(i => i.HeartbeatAt, now)
            .SetProperty(i => i.BytesRead, i => status == ImportStatus.Succeeded ? i.FileSize : i.BytesRead));
        var events = new List<OutboxEvent>();
        if (finished > 0)
        {
            var import = await db.Imports.AsNoTracking().FirstAsync(i => i.Id == importId);
            var links = new Dictionary<string, string> { ["import"] = $"/api/imports/{import.Id}", ["rejections"] = $"/api/imports/{import.Id}/rejections" };
            var failed = status == ImportStatus.Failed;
            events.Add(new OutboxEvent(import.WorkspaceId, failed ? WebhookEventTypes.ImportFailed : WebhookEventTypes.ImportCompleted,
                failed ? WebhookSeverity.High : WebhookSeverity.Low, now,
                new ImportFinishedData(import.Id, import.Kind, import.FileName, import.MapId, import.Status, import.RowsRead, import.Imported,
                    import.SkippedDuplicates, import.Attached, import.Rejected, import.FailureReason, import.StartedAt, now, links), MapId: import.MapId));
            if (import.MapId is { } mapId && import.Kind is not (ImportKinds.Events or ImportKinds.Customers))
                events.AddRange(await MapInboxWatch.CheckAsync(db, [mapId], webhookOptions.Value.InboxThreshold, now, CancellationToken.None));
        }
        var deliveries = await webhooks.WriteAsync(db, events, CancellationToken.None);
        await transaction.CommitAsync();
        webhooks.Committed(deliveries);
    }
}
