using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;

/// <summary>
/// The soak's invariants, checked against the database itself (SQLite file or PostgreSQL) once the load is over, each
/// printed as a figure with "ok" or "BROKEN".
/// </summary>
internal sealed class SoakChecks(SoakOptions options, SoakLedger ledger)
{
    private int _broken;

    // Unpooled: a pooled connection would outlive the PostgreSQL restart and fail on first use.
    public static DbConnection Open(SoakOptions options) => options.Postgres is { } postgres
        ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ToString())
        : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, "journeyfeedback.db") }.ToString());

    internal sealed record RunningImport(string FileName, long Committed, string? ClaimedBy);

    /// <summary>A running import, or null (also when the database cannot be reached right now).</summary>
    public static async Task<RunningImport?> RunningImportAsync(DbConnection db)
    {
        try
        {
            var rows = await QueryAsync(db, """SELECT "FileName", "LastCommittedRow", "ClaimedBy" FROM "Imports" WHERE "Status" = 'running'""",
                r => new RunningImport(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)));
            return rows.FirstOrDefault();
        }
        catch (DbException)
        {
            await db.CloseAsync();
            return null;
        }
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection db, string sql, Func<DbDataReader, T> read)
    {
        if (db.State != System.Data.ConnectionState.Open) await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    private static Guid Id(DbDataReader reader, int i) => reader.GetValue(i) switch
    {
        Guid guid => guid,
        byte[] bytes => new Guid(bytes, bigEndian: true), // the API stores SQLite GUIDs as big-endian blobs
        var other => Guid.Parse(Convert.ToString(other, CultureInfo.InvariantCulture)!),
    };

    private static long Long(DbDataReader reader, int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private void Check(bool holds, string figure)
    {
        Soak.Say($"{(holds ? "ok     " : "BROKEN ")}{figure}");
        if (!holds) _broken++;
    }

    public async Task<int> RunAsync(string[] tokens, Soak.LinkState[] links, List<(SoakFile File, int Status, string? ImportId)> uploaded,
        string mapId, string mapName, List<(DateTime At, long WalBytes, long ImportsBytes, long DataBytes)> disk, Func<int, Task<JsonNode?>> insights,
        DateTime? retrainEnded)
    {
        await using var db = Open(options);
        await AnswersAsync(db, tokens, links);
        await ImportsAsync(db, uploaded);
        Requests();
        await InsightsAsync(db, mapName, insights);
        Processes(retrainEnded);
        await DiskAsync(db, disk);
        return _broken;
    }

    /// <summary>Each link's rows: answers stored and feedback items made from them, against what the client was told.</summary>
    private async Task AnswersAsync(DbConnection db, string[] tokens, Soak.LinkState[] links)
    {
        var answers = (await QueryAsync(db, """
            SELECT i."Token", COUNT(*) FROM "Invitations" i JOIN "SurveyAnswers" a ON a."InvitationId" = i."Id" GROUP BY i."Token"
            """, r => (r.GetString(0), Long(r, 1)))).ToDictionary(r => r.Item1, r => r.Item2);
        var items = (await QueryAsync(db, """
            SELECT i."Token", COUNT(*) FROM "FeedbackItems" f JOIN "SurveyAnswers" a ON a."Id" = f."SurveyAnswerId"
            JOIN "Invitations" i ON i."Id" = a."InvitationId" GROUP BY i."Token"
            """, r => (r.GetString(0), Long(r, 1)))).ToDictionary(r => r.Item1, r => r.Item2);
        var orphanItems = (await QueryAsync(db, """
            SELECT COUNT(*) FROM "FeedbackItems" f WHERE f."Kind" = 'survey' AND NOT EXISTS (SELECT 1 FROM "SurveyAnswers" a WHERE a."Id" = f."SurveyAnswerId")
            """, r => Long(r, 0)))[0];

        var byState = links.Select((state, i) => (state, Stored: answers.GetValueOrDefault(tokens[i]), Items: items.GetValueOrDefault(tokens[i])))
            .GroupBy(l => l.state).ToDictionary(g => g.Key, g => g.ToList());
        List<(Soak.LinkState State, long Stored, long Items)> Of(params Soak.LinkState[] states) =>
            [.. states.SelectMany(s => byState.GetValueOrDefault(s) ?? [])];

        var acknowledged = Of(Soak.LinkState.Created, Soak.LinkState.CreatedOnRetry);
        Check(acknowledged.All(l => l.Stored == 1 && l.Items == 1),
            $"answers acknowledged 201: {acknowledged.Count} (after a retry: {Of(Soak.LinkState.CreatedOnRetry).Count}); stored exactly once: " +
            $"{acknowledged.Count(l => l.Stored == 1 && l.Items == 1)}, missing: {acknowledged.Count(l => l.Stored == 0)}, more than once: {acknowledged.Count(l => l.Stored > 1 || l.Items > 1)}");
        var lostResponses = Of(Soak.LinkState.ConflictAfterFailure);
        Check(lostResponses.All(l => l.Stored == 1 && l.Items == 1),
            $"links retried after a failure and answered 409 (stored by the attempt whose answer was lost): {lostResponses.Count}, stored exactly once: {lostResponses.Count(l => l.Stored == 1 && l.Items == 1)}");
        var unresolved = Of(Soak.LinkState.GaveUp, Soak.LinkState.Retrying);
        Check(unresolved.All(l => l.Stored <= 1), $"links still failing when the client gave up: {unresolved.Count}, stored twice: {unresolved.Count(l => l.Stored > 1)}");
        Check(Of(Soak.LinkState.ConflictFirst).Count == 0, $"first attempts answered 409 (link used before): {Of(Soak.LinkState.ConflictFirst).Count}");
        Check(Of(Soak.LinkState.Refused).Count == 0, $"answers refused with another 4xx: {Of(Soak.LinkState.Refused).Count}");
        Check(Of(Soak.LinkState.Unsent).All(l => l.Stored == 0), $"links never sent: {Of(Soak.LinkState.Unsent).Count}, stored anyway: {Of(Soak.LinkState.Unsent).Count(l => l.Stored > 0)}");
        var total = answers.Values.Sum();
        Check(total == acknowledged.Count + lostResponses.Count + unresolved.Sum(l => l.Stored) && orphanItems == 0,
            $"answers stored: {total} = 201s {acknowledged.Count} + 409-after-failure {lostResponses.Count} + stored unresolved {unresolved.Sum(l => l.Stored)}; " +
            $"survey items without an answer: {orphanItems}");
    }

    private sealed record ImportRow(Guid Id, string FileName, string Status, string? Reason, long RowsRead, long Imported, long Skipped, long Attached,
        long Rejected, long Items);

    /// <summary>Every accepted upload finished, its rows add up to the file's data rows, and the items stored match its counters.</summary>
    private async Task ImportsAsync(DbConnection db, List<(SoakFile File, int Status, string? ImportId)> uploaded)
    {
        var imports = await QueryAsync(db, """
            SELECT m."Id", m."FileName", m."Status", m."FailureReason", m."RowsRead", m."Imported", m."SkippedDuplicates", m."Attached", m."Rejected",
                   (SELECT COUNT(*) FROM "FeedbackItems" f WHERE f."ImportId" = m."Id")
            FROM "Imports" m
            """, r => new ImportRow(Id(r, 0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), Long(r, 4), Long(r, 5), Long(r, 6),
                Long(r, 7), Long(r, 8), Long(r, 9)));
        var files = uploaded.GroupBy(u => u.File.Name).ToDictionary(g => g.Key, g => g.First().File);
        var bad = new List<string>();
        foreach (var import in imports)
        {
            var expected = files.GetValueOrDefault(import.FileName)?.DataRows;
            var accounted = import.Imported + import.Skipped + import.Attached + import.Rejected;
            var problem = import.Status is "queued" or "running" ? "unfinished"
                : import.Status == "failed" && string.IsNullOrWhiteSpace(import.Reason) ? "failed without a reason"
                : accounted != import.RowsRead ? $"rows accounted {accounted} != rows read {import.RowsRead}"
                : expected is { } rows && accounted != rows ? $"rows accounted {accounted} != data rows {rows}"
                : import.Items != import.Imported ? $"items stored {import.Items} != imported {import.Imported}"
                : import.FileName.EndsWith("-support-log.csv", StringComparison.Ordinal) && import.Status != "succeeded" ? $"status {import.Status}"
                : null;
            if (problem is not null) bad.Add($"{import.FileName}: {problem} ({import.Status}{(import.Reason is null ? "" : ": " + import.Reason)})");
        }
        foreach (var line in bad) Soak.Say($"  import {line}");
        var accepted = uploaded.Where(u => u.Status == 202).ToList();
        var missing = accepted.Count(u => !imports.Any(i => i.Id.ToString() == u.ImportId));
        Check(bad.Count == 0 && missing == 0,
            $"imports: {imports.Count} finished ({imports.Count(i => i.Status == "succeeded")} succeeded, {imports.Count(i => i.Status == "failed")} failed with a reason), " +
            $"rows read {imports.Sum(i => i.RowsRead)} = imported {imports.Sum(i => i.Imported)} + skipped {imports.Sum(i => i.Skipped)} + attached " +
            $"{imports.Sum(i => i.Attached)} + rejected {imports.Sum(i => i.Rejected)}; not adding up: {bad.Count}; accepted uploads without an import: {missing}");
        var cut = uploaded.Where(u => Kind(u.File.Name) == "cut-multipart").ToList();
        var gone = uploaded.Where(u => Kind(u.File.Name) == "gone-mid-upload").ToList();
        var cutImports = cut.Concat(gone).Count(u => imports.Any(i => i.FileName == u.File.Name));
        // No answer at all, and a 503 (the database briefly unavailable), are the request checks' to judge.
        Check(cut.All(u => u.Status is 400 or 503 or 0) && cutImports == 0,
            $"multipart bodies cut off half-way: {cut.Count}, answered 400: {cut.Count(u => u.Status == 400)}, otherwise: " +
            $"{string.Join(" ", cut.Where(u => u.Status != 400).Select(u => u.Status == 0 ? "noanswer" : u.Status.ToString(CultureInfo.InvariantCulture)))}; " +
            $"clients gone mid-upload: {gone.Count}; imports made of either: {cutImports}");
        Soak.Say("  uploads: " + string.Join(", ", uploaded.GroupBy(u => Kind(u.File.Name)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {string.Join("/", g.GroupBy(u => u.Status).Select(s => $"{(s.Key == 0 ? "noanswer" : s.Key == -1 ? "disconnected" : s.Key)}×{s.Count()}"))}")));
        foreach (var group in imports.GroupBy(i => Kind(i.FileName)).OrderBy(g => g.Key, StringComparer.Ordinal))
            Soak.Say($"  import {group.Key}: " + string.Join(", ", group.GroupBy(i => $"{i.Status} imported={i.Imported} skipped={i.Skipped} rejected={i.Rejected}" +
                (i.Reason is null ? "" : $" \"{Shorten(i.Reason)}\"")).Select(g => g.Count() == 1 ? g.Key : $"{g.Count()}× {g.Key}")));

        var duplicateKeys = (await QueryAsync(db, """
            SELECT COUNT(*) FROM (SELECT "WorkspaceId", "DedupKey" FROM "FeedbackItems" WHERE "DedupKey" IS NOT NULL GROUP BY "WorkspaceId", "DedupKey" HAVING COUNT(*) > 1) d
            """, r => Long(r, 0)))[0];
        var duplicateLines = (await QueryAsync(db, """
            SELECT COUNT(*) FROM (SELECT "ImportId", "LineNumber" FROM "FeedbackItems" WHERE "ImportId" IS NOT NULL GROUP BY "ImportId", "LineNumber" HAVING COUNT(*) > 1) d
            """, r => Long(r, 0)))[0];
        Check(duplicateKeys == 0 && duplicateLines == 0, $"duplicate dedup keys: {duplicateKeys}; file lines stored twice: {duplicateLines}");
    }

    private static string Kind(string fileName) => fileName.Length > 10 && fileName.StartsWith("soak-r", StringComparison.Ordinal) ? fileName[10..^4] : fileName;
    private static string Shorten(string text) => text.Length > 90 ? text[..90] + "…" : text;

    /// <summary>Outside the fault windows every response is below 500 or a 503, and every 503 says when to retry.</summary>
    private void Requests()
    {
        var calls = ledger.Calls;
        var unexcused = ledger.Unexcused();
        foreach (var call in unexcused.Take(10))
            Soak.Say($"  unexcused {call.Kind} on instance {call.Instance}: {(call.Status == 0 ? "no answer" : call.Status)} at {call.Sent:HH:mm:ss.fff}");
        var inWindows = calls.Count(c => (c.Status == 0 || c.Status >= 500) && ledger.Windows.Any(w => w.Covers(c)));
        Check(unexcused.Count == 0, $"requests: {calls.Count}; 5xx other than 503 or no answer outside fault windows: {unexcused.Count}; " +
            $"failures inside the {ledger.Windows.Count} window(s): {inWindows}");
        var unavailable = calls.Where(c => c.Status == 503).ToList();
        Check(unavailable.All(c => c.RetryAfter), $"503 answers: {unavailable.Count}, without Retry-After: {unavailable.Count(c => !c.RetryAfter)}");
    }

    /// <summary>
    /// Once the workers are done, the map's insights (from every instance) equal a recount in SQL of the plain counts:
    /// items, inbox, waiting for matching, the sentiment mix and the items per touchpoint. Retried while they settle.
    /// </summary>
    private async Task InsightsAsync(DbConnection db, string mapName, Func<int, Task<JsonNode?>> fetch)
    {
        var started = DateTime.UtcNow;
        string? fromApi = null, recount = null, fromLast = null;
        var attempts = 0;
        while (DateTime.UtcNow - started < TimeSpan.FromMinutes(5))
        {
            attempts++;
            fromApi = await fetch(0) is { } a ? Counts(a) : null;
            recount = await RecountAsync(db, mapName);
            fromLast = await fetch(options.Apis.Length - 1) is { } b ? Counts(b) : null;
            if (fromApi == recount && fromLast == recount) break;
            await Task.Delay(3000);
        }
        Check(fromApi == recount && fromLast == recount,
            $"insights = SQL recount after {attempts} attempt(s) ({(DateTime.UtcNow - started).TotalSeconds:F0} s): {recount?.Split(" tp:")[0]}");
        if (fromApi != recount) Soak.Say($"  insights: {fromApi}\n  recount:  {recount}");
    }

    private static string Counts(JsonNode i)
    {
        var s = i["sentiment"]!;
        var touchpoints = i["stages"]!.AsArray().SelectMany(stage => stage!["touchpoints"]!.AsArray())
            .Where(t => t!["items"]!.GetValue<int>() > 0).Select(t => (Id: t!["id"]!.GetValue<string>(), Items: t["items"]!.GetValue<int>()))
            .OrderBy(t => t.Id, StringComparer.Ordinal);
        return $"items={i["items"]} unassigned={i["unassigned"]} pendingMatching={i["pendingMatching"]} analysed={s["analysed"]} negative={s["negative"]} " +
            $"neutral={s["neutral"]} positive={s["positive"]} lowConfidence={s["lowConfidence"]} tp:" + string.Join(",", touchpoints.Select(t => $"{t.Id}={t.Items}"));
    }

    private static async Task<string> RecountAsync(DbConnection db, string mapName)
    {
        var map = $"""(SELECT "Id" FROM "Maps" WHERE "Name" = '{mapName}')""";
        const string Confident = """ "Sentiment" IN ('negative', 'neutral', 'positive') AND NOT "LowConfidence" """;
        var totals = (await QueryAsync(db, $"""
            SELECT COUNT(*),
                   SUM(CASE WHEN "TouchpointId" IS NULL AND "MatchedAt" IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN "TouchpointId" IS NULL AND "MatchedAt" IS NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {Confident} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {Confident} AND "Sentiment" = 'negative' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {Confident} AND "Sentiment" = 'neutral' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {Confident} AND "Sentiment" = 'positive' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN "Sentiment" IN ('negative', 'neutral', 'positive') AND "LowConfidence" THEN 1 ELSE 0 END)
            FROM "FeedbackItems" WHERE "MapId" = {map}
            """, r => Enumerable.Range(0, 8).Select(c => Long(r, c)).ToArray()))[0];
        var touchpoints = await QueryAsync(db, $"""
            SELECT "TouchpointId", COUNT(*) FROM "FeedbackItems" WHERE "MapId" = {map} AND "TouchpointId" IS NOT NULL GROUP BY "TouchpointId"
            """, r => (Id: Id(r, 0).ToString(), Items: Long(r, 1)));
        return $"items={totals[0]} unassigned={totals[1]} pendingMatching={totals[2]} analysed={totals[3]} negative={totals[4]} neutral={totals[5]} " +
            $"positive={totals[6]} lowConfidence={totals[7]} tp:" + string.Join(",", touchpoints.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => $"{t.Id}={t.Items}"));
    }

    /// <summary>
    /// Per instance, its longest-lived process: after a warm-up (a quarter of its life, at least 2 minutes: models loaded,
    /// an import round seen; or until the retrain ended, when that is later), the peak RSS and open descriptors of the second half against the first half.
    /// </summary>
    private void Processes(DateTime? retrainEnded)
    {
        foreach (var instance in ledger.Processes.GroupBy(p => p.Key.Instance).OrderBy(g => g.Key))
        {
            var lives = instance.Select(p => p.Value).Where(s => s.Count > 0).ToList();
            var longest = lives.MaxBy(s => s[^1].At - s[0].At)!;
            var life = longest[^1].At - longest[0].At;
            var warm = longest[0].At + TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(2).Ticks, life.Ticks / 4));
            // Training holds its data sets once: memory it took is not growth of the serving process.
            if (retrainEnded is { } trained && trained > warm) warm = trained;
            var after = longest.Where(s => s.At >= warm).ToList();
            var head = $"instance {instance.Key}: {lives.Count} process(es), the longest lived {life.TotalSeconds:F0} s";
            if (after.Count < 15)
            {
                Soak.Say($"n/a    {head}: too short after the warm-up (2 min, or until the retrain ended) for RSS and descriptor trends; peak RSS " +
                    $"{longest.Max(s => s.RssKb) / 1024} MB, descriptors {longest.Min(s => s.OpenFiles)}–{longest.Max(s => s.OpenFiles)}");
                continue;
            }
            var middle = after[0].At + (after[^1].At - after[0].At) / 2;
            var (first, second) = (after.Where(s => s.At < middle).ToList(), after.Where(s => s.At >= middle).ToList());
            var growth = (double)second.Max(s => s.RssKb) / first.Max(s => s.RssKb) - 1;
            Check(growth <= 0.10, string.Create(CultureInfo.InvariantCulture,
                $"{head}; RSS after warm-up {after[0].RssKb / 1024} MB, peak first half {first.Max(s => s.RssKb) / 1024} MB, second half {second.Max(s => s.RssKb) / 1024} MB: growth {growth:P1} (≤ 10%)"));
            var (fdFirst, fdSecond) = (first.Max(s => s.OpenFiles), second.Max(s => s.OpenFiles));
            Check(fdSecond <= fdFirst * 1.1 + 10,
                $"instance {instance.Key}: open descriptors first half {first.Min(s => s.OpenFiles)}–{fdFirst}, second half {second.Min(s => s.OpenFiles)}–{fdSecond}");
        }
    }

    /// <summary>The WAL stays under its bound; the uploads folder holds only accepted imports' files (no orphaned partial uploads).</summary>
    private async Task DiskAsync(DbConnection db, List<(DateTime At, long WalBytes, long ImportsBytes, long DataBytes)> disk)
    {
        if (disk.Count == 0) return;
        if (options.Postgres is null)
        {
            var walPeak = disk.Max(d => d.WalBytes);
            Check(walPeak <= options.MaxWalBytes, $"SQLite WAL: peak {walPeak >> 20} MB, at the end {disk[^1].WalBytes >> 20} MB (bound {options.MaxWalBytes >> 20} MB)");
        }
        var imports = (await QueryAsync(db, """SELECT "Id", "FileSize" FROM "Imports" """, r => (Id: Id(r, 0), Size: Long(r, 1))))
            .ToDictionary(i => i.Id.ToString(), i => i.Size);
        var folder = Path.Combine(options.DataDirectory, "imports");
        var files = Directory.Exists(folder) ? new DirectoryInfo(folder).GetFiles() : [];
        // A body being received when its process was SIGKILLed stays as a partial .upload: no request is left to delete it,
        // and the retention sweep removes it once unwritten for Imports:OrphanUploadsAfter (docs/imports.md), longer than
        // a short soak. Excused when it was last written within a kill window; any other leftover is a leak.
        var killedMidUpload = files.Where(f => f.Extension == ".upload" && ledger.Windows.Any(w =>
            w.What.StartsWith("kill", StringComparison.Ordinal) && f.LastWriteTimeUtc >= w.Start.AddSeconds(-10) && f.LastWriteTimeUtc <= (w.End ?? DateTime.UtcNow))).ToList();
        var orphans = files.Where(f => (f.Extension != ".csv" || !imports.ContainsKey(Path.GetFileNameWithoutExtension(f.Name))) && !killedMidUpload.Contains(f)).ToList();
        foreach (var orphan in orphans.Take(5)) Soak.Say($"  orphaned upload file {orphan.Name} ({orphan.Length} bytes)");
        foreach (var partial in killedMidUpload) Soak.Say($"  partial upload of a request killed mid-body: {partial.Name} ({partial.Length} bytes), left to the retention sweep");
        var kept = files.Except(killedMidUpload).Sum(f => f.Length);
        Check(orphans.Count == 0 && kept <= imports.Values.Sum(),
            $"uploads folder: {files.Length} files, {kept >> 20} MB kept for {imports.Count} imports of {imports.Values.Sum() >> 20} MB; orphaned files: {orphans.Count}; " +
            $"partial uploads of killed requests: {killedMidUpload.Count}; " +
            $"data folder {disk[0].DataBytes >> 20} MB → {Soak.FolderBytes(options.DataDirectory) >> 20} MB");
    }
}
