using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// Delivers the outbox (docs/webhooks.md, "Delivery"). A loop claims due deliveries in the database (the claim moves
/// <c>NextAttemptAt</c> past the attempt's timeout: a lease), sends each on its own task, and writes the outcomes in
/// batches. While an attempt runs the delivery shows its <c>lastAttemptAt</c> with no outcome yet (no status code,
/// latency or error). Claims on PostgreSQL use <c>FOR UPDATE SKIP LOCKED</c>, so instances never claim the same attempt; an
/// outcome is written only while the delivery is still at the attempt that was claimed.
/// </summary>
internal sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSignal signal, IOptions<WebhooksOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private sealed record Claimed(Guid Id, int Attempt, string MessageId, string Body, Guid SubscriptionId, string Url,
        string Secret, string? PreviousSecret, DateTime? PreviousSecretExpiresAt);

    private sealed record Outcome(Claimed Delivery, DateTime At, int? StatusCode, int LatencyMs, string? Error, TimeSpan? RetryAfter)
    {
        public int WriteFailures { get; set; }
    }

    // Only while the delivery is still at the attempt that was claimed: after a lease ran out, the newer attempt's outcome counts.
    private const string RecordOutcomeSql = """
        UPDATE "WebhookDeliveries" SET "Status" = @status, "NextAttemptAt" = @next, "LastStatusCode" = @code, "LastLatencyMs" = @latency,
            "LastError" = @error, "DeliveredAt" = @delivered
        WHERE "Id" = @id AND "Attempts" = @attempt AND "Status" = 'pending'
        """;

    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly Dictionary<Guid, int> _inFlight = [];
    private int _inFlightTotal;
    private static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(50);
    private readonly SemaphoreSlim _wake = new(0);
    private HttpClient? _http;
    private DateTime _nextCleanup;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.DispatcherEnabled) return;
        var schedule = o.Schedule();
        using var http = new HttpClient(WebhookTargets.Handler(o), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("JourneyFeedback-Webhooks/1.0");
        _http = http;
        var sends = new List<Task>();
        _ = ForwardSignalsAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimedAll = false;
            try
            {
                await WriteOutcomesAsync(schedule, stoppingToken);
                var free = o.MaxConcurrentDeliveries - Volatile.Read(ref _inFlightTotal);
                if (free > 0)
                {
                    var limit = Math.Min(free, RoomPerSubscription(o));
                    var claimed = await ClaimAsync(limit, stoppingToken);
                    foreach (var delivery in claimed) sends.Add(SendAsync(delivery, o, stoppingToken));
                    claimedAll = claimed.Count > 0 && claimed.Count == limit;
                }
                sends.RemoveAll(t => t.IsCompleted);
                await CleanUpAsync(o, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Webhook dispatch round failed; retrying after the poll interval");
                await SleepAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
                continue;
            }
            // More may be due right now: claim again at once; otherwise wait for a commit, an outcome or the poll.
            if (!claimedAll) await SleepAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken);
        }
        // Shutting down: attempts in flight are abandoned (their lease runs out and they are retried) but finished ones are kept.
        try { await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None); } catch (Exception) { }
        try { await WriteOutcomesAsync(schedule, CancellationToken.None); } catch (Exception ex) { logger.LogWarning(ex, "Could not record the last webhook outcomes"); }
    }

    private async Task ForwardSignalsAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await signal.WaitAsync(ct);
                _wake.Release();
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task SleepAsync(TimeSpan interval, CancellationToken ct)
    {
        try
        {
            // Woken: a short pause gathers what else is finishing, so outcomes are written a batch per transaction.
            if (await _wake.WaitAsync(interval, ct)) await Task.Delay(CoalesceDelay, ct);
        }
        catch (OperationCanceledException) { }
        while (_wake.CurrentCount > 0 && _wake.Wait(0, CancellationToken.None)) { } // one wake-up covers every signal that came meanwhile
    }

    private DateTime Now() => Timestamps.ToMicroseconds(time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// How many one claim may take: all of them may belong to one subscription, so no more than the least room left
    /// by a subscription with attempts in flight (those at the limit are left out of the claim). Claiming more would
    /// park attempts behind the handler's per-server connection limit while their timeout runs.
    /// </summary>
    private int RoomPerSubscription(WebhooksOptions o)
    {
        lock (_inFlight)
            return o.MaxConcurrentPerSubscription - _inFlight.Values.Where(n => n < o.MaxConcurrentPerSubscription).DefaultIfEmpty(0).Max();
    }

    private async Task<List<Claimed>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var now = Now();
        var lease = now.AddSeconds(options.Value.TimeoutSeconds + options.Value.LeaseMarginSeconds);
        Guid[] busy;
        lock (_inFlight) busy = [.. _inFlight.Where(s => s.Value >= options.Value.MaxConcurrentPerSubscription).Select(s => s.Key)];

        List<Guid> ids;
        if (db.Database.IsNpgsql())
        {
            // 'pending' is written out, not a parameter: only then can a generic plan use the partial index IX_WebhookDeliveries_Due.
            ids = await db.Database.SqlQuery<Guid>($"""
                UPDATE "WebhookDeliveries" AS d SET "Attempts" = d."Attempts" + 1, "NextAttemptAt" = {lease}, "LastAttemptAt" = {now},
                    "LastStatusCode" = NULL, "LastLatencyMs" = NULL, "LastError" = NULL
                FROM (SELECT x."Id" FROM "WebhookDeliveries" x
                      WHERE x."Status" = 'pending' AND x."NextAttemptAt" <= {now} AND NOT (x."SubscriptionId" = ANY({busy}))
                        AND EXISTS (SELECT 1 FROM "WebhookSubscriptions" s WHERE s."Id" = x."SubscriptionId" AND s."Active")
                      ORDER BY x."NextAttemptAt"
                      LIMIT {limit}
                      FOR UPDATE OF x SKIP LOCKED) AS c
                WHERE d."Id" = c."Id"
                RETURNING d."Id" AS "Value"
                """).ToListAsync(ct);
        }
        else
        {
            // SQLite: one instance, and this loop is its only claimer; the update re-checks the condition all the same.
            ids = await db.WebhookDeliveries
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && !busy.Contains(d.SubscriptionId)
                    && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Active))
                .OrderBy(d => d.NextAttemptAt).Take(limit).Select(d => d.Id).ToListAsync(ct);
            if (ids.Count > 0)
                await db.WebhookDeliveries.Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.NextAttemptAt, lease)
                        .SetProperty(d => d.LastAttemptAt, now).SetProperty(d => d.LastStatusCode, (int?)null)
                        .SetProperty(d => d.LastLatencyMs, (int?)null).SetProperty(d => d.LastError, (string?)null), ct);
        }
        if (ids.Count == 0) return [];

        var claimed = await (
            from d in db.WebhookDeliveries.AsNoTracking()
            join m in db.WebhookMessages.AsNoTracking() on d.MessageId equals m.Id
            join s in db.WebhookSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
            where ids.Contains(d.Id) && d.LastAttemptAt == now
            select new Claimed(d.Id, d.Attempts, m.Id, m.Body, s.Id, s.Url, s.Secret, s.PreviousSecret, s.PreviousSecretExpiresAt))
            .ToListAsync(ct);
        lock (_inFlight)
            foreach (var c in claimed)
            {
                _inFlight[c.SubscriptionId] = _inFlight.GetValueOrDefault(c.SubscriptionId) + 1;
                _inFlightTotal++;
            }
        return claimed;
    }

    private async Task SendAsync(Claimed delivery, WebhooksOptions o, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        var at = Now();
        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        try
        {
            var timestamp = new DateTimeOffset(at).ToUnixTimeSeconds();
            var secrets = new List<string> { delivery.Secret };
            if (delivery.PreviousSecret is { } previous && delivery.PreviousSecretExpiresAt > at) secrets.Add(previous);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("webhook-id", delivery.MessageId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Header(secrets, delivery.MessageId, timestamp, delivery.Body));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
            try
            {
                using var response = await _http!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"{status} {response.ReasonPhrase}: {await ReadStartAsync(response, timeout.Token)}".TrimEnd(' ', ':');
                    retryAfter = response.Headers.RetryAfter is { } ra
                        ? ra.Delta ?? (ra.Date is { } date ? date - time.GetUtcNow() : null)
                        : null;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"No answer within {o.TimeoutSeconds} s.";
            }
            catch (HttpRequestException ex)
            {
                error = Describe(ex);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // shutting down: the lease runs out and another attempt follows
        }
        catch (Exception ex)
        {
            error = ex.Message;
        }
        finally
        {
            lock (_inFlight)
            {
                if (--_inFlight[delivery.SubscriptionId] == 0) _inFlight.Remove(delivery.SubscriptionId);
                _inFlightTotal--;
            }
        }
        var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (error?.Length > 1000) error = error[..1000];
        _outcomes.Enqueue(new Outcome(delivery, Now(), status, latency, error, retryAfter));
        _wake.Release();
    }

    private static string Describe(HttpRequestException ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is TargetRefusedException refused) return refused.Message;
        return ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
    }

    /// <summary>The start of a failed answer's body, for the delivery log (never more than 300 characters are read).</summary>
    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[300];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
            return Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return "";
        }
    }

    /// <summary>Writes the outcomes gathered so far in one transaction: the deliveries, and their subscriptions' health.</summary>
    private async Task WriteOutcomesAsync(IReadOnlyList<TimeSpan> schedule, CancellationToken ct)
    {
        if (_outcomes.IsEmpty) return;
        var outcomes = new List<Outcome>();
        while (outcomes.Count < 2000 && _outcomes.TryDequeue(out var outcome)) outcomes.Add(outcome);
        try
        {
            await WriteAsync(outcomes, schedule, ct);
        }
        catch
        {
            // Kept for the next rounds (the database may be restarting); their leases keep the deliveries from being re-sent
            // meanwhile. Given up after a few tries, so one that cannot be written never stalls the rest: its lease runs out
            // and the delivery is attempted again.
            foreach (var outcome in outcomes)
                if (++outcome.WriteFailures < 5) _outcomes.Enqueue(outcome);
            throw;
        }
    }

    private async Task WriteAsync(List<Outcome> outcomes, IReadOnlyList<TimeSpan> schedule, CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One prepared statement for the batch: this runs for every attempt, and EF's ExecuteUpdate costs more than the update.
        using var record = new PreparedCommand(db, db.Database.GetDbConnection(), transaction.GetDbTransaction(), RecordOutcomeSql,
            ("@status", typeof(string)), ("@next", typeof(DateTime)), ("@code", typeof(int)), ("@latency", typeof(int)), ("@error", typeof(string)),
            ("@delivered", typeof(DateTime)), ("@id", typeof(Guid)), ("@attempt", typeof(int)));
        var recorded = new List<(Outcome Outcome, bool Succeeded, bool Gone)>(outcomes.Count);
        // In subscription order, as every instance does: two instances' batches lock subscription rows in the same order.
        foreach (var outcome in outcomes.OrderBy(x => x.Delivery.SubscriptionId).ThenBy(x => x.At))
        {
            var (d, at) = (outcome.Delivery, outcome.At);
            var attempt = d.Attempt;
            var succeeded = outcome.StatusCode is >= 200 and < 300;
            var gone = outcome.StatusCode == (int)HttpStatusCode.Gone;
            DateTime? next = null;
            if (!succeeded && !gone && attempt < schedule.Count)
            {
                var delay = schedule[attempt] * (1 + o.RetryJitter * Random.Shared.NextDouble());
                if (outcome.RetryAfter is { } asked && asked > delay) delay = asked < o.MaxRetryAfter ? asked : o.MaxRetryAfter;
                next = at + delay;
            }
            var status = succeeded ? DeliveryStatus.Succeeded : next is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
            var written = await record.ExecuteAsync(ct,
                status, next, outcome.StatusCode, outcome.LatencyMs, outcome.Error, succeeded ? at : null, d.Id, attempt);
            // Nothing written: the lease ran out and another attempt owns the delivery now; its outcome counts.
            if (written > 0) recorded.Add((outcome, succeeded, gone));
        }

        // The subscriptions' health, once per subscription per batch.
        foreach (var group in recorded.GroupBy(r => r.Outcome.Delivery.SubscriptionId))
        {
            var subscription = db.WebhookSubscriptions.Where(s => s.Id == group.Key);
            if (group.Where(r => r.Gone).Select(r => r.Outcome).FirstOrDefault() is { } goneOutcome)
            {
                var reason = $"The receiver answered 410 Gone to {goneOutcome.Delivery.MessageId} at {goneOutcome.At:u}: it asked for no more deliveries.";
                await subscription.Where(s => s.Active).ExecuteUpdateAsync(u => u.SetProperty(s => s.Active, false)
                    .SetProperty(s => s.DisabledAt, goneOutcome.At).SetProperty(s => s.DisabledReason, reason), ct);
                continue;
            }
            var lastSuccess = group.Where(r => r.Succeeded).Select(r => (DateTime?)r.Outcome.At).Max();
            var failures = group.Where(r => !r.Succeeded && (lastSuccess is null || r.Outcome.At > lastSuccess)).Select(r => r.Outcome).ToList();
            DateTime? firstFailure = failures.Count > 0 ? failures[0].At : null;
            if (lastSuccess is { } success)
                await subscription.ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSuccessAt, success).SetProperty(s => s.FailingSince, firstFailure), ct);
            else if (firstFailure is { } first)
                await subscription.Where(s => s.FailingSince == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, first), ct);
            if (failures.Count == 0) continue;
            // Failing with no success for Webhooks:DisableAfter: turned off, and the admin sees why.
            var last = failures[^1];
            var failingBefore = last.At - o.DisableAfter;
            var why = $"No delivery succeeded for {o.DisableAfter.TotalHours:0.#} h; the last attempt ({last.Delivery.MessageId}) failed: {last.Error}";
            if (why.Length > 1000) why = why[..1000];
            await subscription.Where(s => s.Active && s.FailingSince <= failingBefore).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Active, false).SetProperty(s => s.DisabledAt, last.At).SetProperty(s => s.DisabledReason, why), ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Every ten minutes: finished deliveries older than Webhooks:KeepDeliveries go, and those still waiting for a disabled
    /// subscription, and the messages no delivery refers to.
    /// </summary>
    private async Task CleanUpAsync(WebhooksOptions o, CancellationToken ct)
    {
        var now = Now();
        if (now < _nextCleanup) return;
        _nextCleanup = now.AddMinutes(10);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var before = now - o.KeepDeliveries;
        await db.WebhookDeliveries.Where(d => d.CreatedAt < before && d.Status != DeliveryStatus.Pending).ExecuteDeleteAsync(ct);
        // Deliveries waiting for a disabled subscription to be re-enabled wait as long as the log keeps anything.
        await db.WebhookDeliveries.Where(d => d.CreatedAt < before && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && !s.Active))
            .ExecuteDeleteAsync(ct);
        await db.WebhookMessages.Where(m => m.CreatedAt < before && !db.WebhookDeliveries.Any(d => d.MessageId == m.Id)).ExecuteDeleteAsync(ct);
    }
}
