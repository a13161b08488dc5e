using System.Collections.Concurrent;
using System.Diagnostics;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Maps;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Journeys;

/// <summary>What makes a map's journey log current: any change of these rebuilds it.</summary>
internal sealed record JourneyStamp(int MapVersion, long EvidenceVersion, DateTime? ThemesComputedAt, long EventRulesVersion, long EventsVersion,
    int Surveys, DateTime? LastAnswerAt);

/// <summary>How a map's event rules placed the workspace's events when its journey log was built.</summary>
internal sealed record EventPlacement(int TotalEvents, int PlacedEvents, int[] MatchedPerRule, IReadOnlyList<UnmappedEvent> TopUnmapped, int UnmappedEvents);

/// <summary>
/// The workspace's events as a map's rules placed them: kept with the log, so a change of the map's evidence alone
/// (new tickets, re-matching, themes) rebuilds the log without reading the events again.
/// </summary>
internal sealed record PlacedEvents(
    (int MapVersion, long EventRulesVersion, long EventsVersion) Key, string[] Customer, long[] Ticks, short[] Touchpoint, Guid[] Id,
    EventPlacement Placement)
{
    public static (int, long, long) KeyOf(JourneyStamp stamp) => (stamp.MapVersion, stamp.EventRulesVersion, stamp.EventsVersion);
}

/// <summary>A map's journey log with what it was built from; answers computed on it are kept with it.</summary>
internal sealed class JourneyLogEntry(ContactLog log, PlacedEvents events, JourneyStamp stamp, DateTime builtAt, TimeSpan buildTime)
{
    public ContactLog Log { get; } = log;
    public PlacedEvents Events { get; } = events;
    public EventPlacement Placement => Events.Placement;
    public JourneyStamp Stamp { get; } = stamp;
    public DateTime BuiltAt { get; } = builtAt;
    public TimeSpan BuildTime { get; } = buildTime;

    /// <summary>Customer id → index in the log.</summary>
    public Dictionary<string, int> CustomerIndex { get; } = log.CustomerIds.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, object> _answers = new(StringComparer.Ordinal);

    /// <summary>
    /// An answer computed on this log for a query (its normalized text): the log never changes, so the answer stays right
    /// for as long as the log is current. A few hundred distinct queries at most are kept.
    /// </summary>
    public T Answer<T>(string query, Func<T> compute) where T : class
    {
        if (_answers.TryGetValue(query, out var known)) return (T)known;
        var answer = compute();
        if (_answers.Count < 256) _answers[query] = answer;
        return answer;
    }
}

/// <summary>
/// One journey log per map, in memory: every customer's contacts with the map's touchpoints from feedback items and
/// analytics events (placed by the map's event rules as the log is built). Each request reads the map's stamp (one
/// indexed row); when it moved, the log is rebuilt once (single flight) while readers wait, or, when the last build took
/// longer than <see cref="MaxWait"/>, get the previous log (the answer says <c>current: false</c> and its <c>asOf</c>).
/// </summary>
internal sealed class JourneyLogCache(IServiceScopeFactory scopes, ILogger<JourneyLogCache> logger)
{
    /// <summary>How long a reader waits for a rebuild when an older log exists.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private sealed class Slot
    {
        public JourneyLogEntry? Entry;
        public Task<JourneyLogEntry>? Building;
        public JourneyStamp? BuildingStamp;
    }

    private readonly ConcurrentDictionary<Guid, Slot> _slots = new();

    /// <summary>The map's stamp, or null when the map is not in the workspace.</summary>
    public static Task<JourneyStamp?> StampAsync(JourneyFeedbackDb db, Guid workspaceId, Guid mapId, CancellationToken ct) =>
        db.Maps.AsNoTracking().Where(m => m.Id == mapId && m.WorkspaceId == workspaceId)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) =>
                new JourneyStamp(m.Version, m.EvidenceVersion, m.ThemesComputedAt, m.EventRulesVersion, w.EventsVersion,
                    // Score-only answers write no feedback item, so the evidence version does not see them; the newest
                    // answer of each of the map's surveys is one seek in the (SurveyId, AnsweredAt) index.
                    db.Surveys.Count(s => s.MapId == m.Id && s.TouchpointId != null),
                    db.Surveys.Where(s => s.MapId == m.Id && s.TouchpointId != null)
                        .Max(s => db.SurveyAnswers.Where(a => a.SurveyId == s.Id).Max(a => (DateTime?)a.AnsweredAt))))
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// The map's journey log (null when the map is not in the workspace) and whether it is the current one;
    /// <paramref name="waitForCurrent"/> waits for a rebuild however long it takes (after the rules changed).
    /// </summary>
    public async Task<(JourneyLogEntry Entry, bool Current)?> GetAsync(JourneyFeedbackDb db, Guid workspaceId, Guid mapId, CancellationToken ct,
        bool waitForCurrent = false)
    {
        var stamp = await StampAsync(db, workspaceId, mapId, ct);
        if (stamp is null) return null;
        var slot = _slots.GetOrAdd(mapId, _ => new Slot());
        Task<JourneyLogEntry> building;
        JourneyLogEntry? previous;
        lock (slot)
        {
            previous = slot.Entry;
            if (previous is not null && previous.Stamp == stamp) return (previous, true);
            if (slot.Building is null || slot.BuildingStamp != stamp)
            {
                slot.BuildingStamp = stamp;
                slot.Building = Build(slot, workspaceId, mapId, stamp);
            }
            building = slot.Building;
        }
        if (previous is null || waitForCurrent) return (await building.WaitAsync(ct), true);
        var wait = previous.BuildTime <= MaxWait ? MaxWait * 2 : TimeSpan.Zero;
        try
        {
            return (await building.WaitAsync(wait, ct), true);
        }
        catch (TimeoutException)
        {
            return (previous, false);
        }
    }

    /// <summary>
    /// After an import: rebuilds, in the background, the logs readers will ask for next — every map of the workspace with
    /// event rules after an events import, or the one map of an items import when its log was used before — so the first
    /// journeys request after a big import does not wait for the build.
    /// </summary>
    public void PrepareAfterImport(Guid workspaceId, Guid? mapId, bool events) => _ = Task.Run(async () =>
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
            var maps = events
                ? await db.Maps.AsNoTracking().Where(m => m.WorkspaceId == workspaceId && m.EventRulesVersion > 0).Select(m => m.Id).ToListAsync()
                : mapId is { } id && _slots.ContainsKey(id) ? [id] : [];
            foreach (var map in maps) await GetAsync(db, workspaceId, map, CancellationToken.None, waitForCurrent: true);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Preparing the journey logs of workspace {WorkspaceId} failed; they are built on the next request", workspaceId);
        }
    });

    private Task<JourneyLogEntry> Build(Slot slot, Guid workspaceId, Guid mapId, JourneyStamp stamp) => Task.Run(async () =>
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
            var watch = Stopwatch.StartNew();
            JourneyLogEntry? previous;
            lock (slot) previous = slot.Entry;
            var (log, events) = await LoadAsync(db, workspaceId, mapId, stamp, previous?.Events, CancellationToken.None);
            var entry = new JourneyLogEntry(log, events, stamp, DateTime.UtcNow, watch.Elapsed);
            logger.LogInformation("Journey log of map {MapId}: {Contacts} contacts of {Customers} customers in {Ms} ms",
                mapId, log.Count, log.Customers, watch.ElapsedMilliseconds);
            lock (slot)
            {
                if (slot.Entry is null || slot.Entry.BuiltAt <= entry.BuiltAt) slot.Entry = entry;
                if (slot.BuildingStamp == stamp) { slot.Building = null; slot.BuildingStamp = null; }
            }
            return entry;
        }
        catch
        {
            lock (slot)
                if (slot.BuildingStamp == stamp) { slot.Building = null; slot.BuildingStamp = null; }
            throw;
        }
    });

    private sealed record ItemRow(Guid Id, string CustomerId, DateTime OccurredAt, Guid TouchpointId, string Kind, string? Sentiment, Guid? ThemeId,
        string? PainPoint, string? Source, string? Channel, Guid? SurveyAnswerId);

    private sealed record AnswerRow(Guid Id, string CustomerId, DateTime AnsweredAt, Guid TouchpointId, string SurveyName, string? Channel);

    /// <summary>Reads the map, its themes, its placed items with a customer and the workspace's events, and builds the log.</summary>
    internal static async Task<(ContactLog, PlacedEvents)> LoadAsync(JourneyFeedbackDb db, Guid workspaceId, Guid mapId, JourneyStamp stamp,
        PlacedEvents? known, CancellationToken ct)
    {
        var map = await MapQueries.LoadMap(db.Maps.AsNoTracking(), workspaceId, mapId, ct)
            ?? throw new InvalidOperationException($"Map {mapId} is gone.");
        var touchpoints = Touchpoints(map);
        var touchpointIndex = touchpoints.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var themes = await db.Themes.AsNoTracking().Where(t => t.MapId == mapId).Select(t => new JourneyTheme(t.Id, t.Name)).ToListAsync(ct);
        var themeIndex = themes.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i);
        // Items without a semantic theme count under their pain-point category, so drop-off has reasons before the
        // theme refresh has run (or with the semantic tier off).
        var categoryThemes = new Dictionary<string, int>(StringComparer.Ordinal);

        var items = await db.FeedbackItems.AsNoTracking()
            .Where(f => f.MapId == mapId && f.TouchpointId != null && f.CustomerId != null)
            .Select(f => new ItemRow(f.Id, f.CustomerId!, f.OccurredAt, f.TouchpointId!.Value, f.Kind, f.Sentiment, f.ThemeId, f.PainPoint, f.Source, f.Channel,
                f.SurveyAnswerId))
            .ToListAsync(ct);
        // A survey answer without a comment is a contact too (the customer answered at the survey's touchpoint); one with
        // a comment is already there as its feedback item.
        var answers = await db.SurveyAnswers.AsNoTracking()
            .Join(db.Surveys.Where(s => s.MapId == mapId && s.TouchpointId != null), a => a.SurveyId, s => s.Id, (a, s) => new { a, s })
            .Join(db.Invitations.Where(i => i.CustomerId != null), x => x.a.InvitationId, i => i.Id, (x, i) =>
                new AnswerRow(x.a.Id, i.CustomerId!, x.a.AnsweredAt, x.s.TouchpointId!.Value, x.s.Name, i.Channel))
            .ToListAsync(ct);

        var events = known is not null && known.Key == PlacedEvents.KeyOf(stamp) ? known : await PlaceEventsAsync(db, workspaceId, map, touchpointIndex, stamp, ct);
        var builder = new ContactLogBuilder(items.Count + events.Ticks.Length + answers.Count);
        for (var i = 0; i < events.Ticks.Length; i++)
            builder.Add(events.Customer[i], events.Ticks[i], events.Touchpoint[i], ContactKinds.Event, ContactLog.NoSentiment, -1, events.Id[i], null, null);

        var unmapped = new Dictionary<(string?, string?), int>();
        foreach (var item in items)
        {
            if (!touchpointIndex.TryGetValue(item.TouchpointId, out var touchpoint)) continue;
            var theme = item.ThemeId is { } id && themeIndex.TryGetValue(id, out var t) ? t : -1;
            if (theme < 0 && item.PainPoint is { } category && category != PainPointTaxonomy.None && item.Sentiment == "negative")
            {
                if (!categoryThemes.TryGetValue(category, out theme))
                {
                    theme = themes.Count;
                    themes.Add(new JourneyTheme(CategoryThemeId(category), category.Replace('-', ' ')));
                    categoryThemes[category] = theme;
                }
            }
            builder.Add(item.CustomerId, item.OccurredAt.Ticks, (short)touchpoint, ContactKinds.Of(item.Kind), SentimentCode(item.Sentiment), theme, item.Id,
                item.Source, item.Channel);
        }

        var withItem = items.Where(i => i.SurveyAnswerId is not null).Select(i => i.SurveyAnswerId!.Value).ToHashSet();
        foreach (var answer in answers)
        {
            if (withItem.Contains(answer.Id) || !touchpointIndex.TryGetValue(answer.TouchpointId, out var touchpoint)) continue;
            builder.Add(answer.CustomerId, answer.AnsweredAt.Ticks, (short)touchpoint, ContactKinds.Of("survey"), ContactLog.NoSentiment, -1, answer.Id,
                $"survey:{answer.SurveyName}", answer.Channel);
        }

        return (builder.Build(touchpoints, [.. themes]), events);
    }

    /// <summary>Reads the workspace's events and places each with the map's rules (first match wins).</summary>
    private static async Task<PlacedEvents> PlaceEventsAsync(JourneyFeedbackDb db, Guid workspaceId, JourneyMap map, Dictionary<Guid, int> touchpointIndex,
        JourneyStamp stamp, CancellationToken ct)
    {
        var rules = new CompiledEventRules(map.EventRules.Rules, id => touchpointIndex.TryGetValue(id, out var i) ? i : -1);
        var matched = new int[rules.RuleCount];
        var unmapped = new Dictionary<(string?, string?), int>();
        List<string> customers = [];
        var customerIds = new Dictionary<string, string>(StringComparer.Ordinal); // one string per customer, kept with the log
        List<long> ticks = [];
        List<short> touchpoints = [];
        List<Guid> ids = [];
        int total = 0, placed = 0;
        // A raw reader: the events of a big workspace are millions of rows, and entity materialisation was most of the build.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var blobs = connection is Microsoft.Data.Sqlite.SqliteConnection;
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT "Id", "CustomerId", "OccurredAt", "Name", "Path", {(rules.UsesProperties ? "\"Properties\"" : "NULL")}
                FROM "Events" WHERE "WorkspaceId" = @workspace
                """;
            RawReads.Parameter(command, "@workspace", workspaceId, blobs);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
            {
                total++;
                var id = RawReads.Id(reader, 0, blobs);
                var customerId = reader.GetString(1);
                var occurredAt = reader.GetDateTime(2);
                var name = RawReads.Text(reader, 3);
                var path = RawReads.Text(reader, 4);
                var rule = rules.FirstMatch(name, path, RawReads.Text(reader, 5));
                var touchpoint = rule < 0 ? -1 : rules.TouchpointOf(rule);
                if (touchpoint < 0)
                {
                    var key = (name, path);
                    unmapped[key] = unmapped.GetValueOrDefault(key) + 1;
                    continue;
                }
                matched[rule]++;
                placed++;
                if (!customerIds.TryGetValue(customerId, out var customer)) customerIds[customerId] = customer = customerId;
                customers.Add(customer);
                ticks.Add(occurredAt.Ticks);
                touchpoints.Add((short)touchpoint);
                ids.Add(id);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var top = unmapped.OrderByDescending(u => u.Value).ThenBy(u => u.Key.Item1, StringComparer.Ordinal).ThenBy(u => u.Key.Item2, StringComparer.Ordinal)
            .Take(20).Select(u => new UnmappedEvent(u.Key.Item1, u.Key.Item2, u.Value)).ToList();
        return new PlacedEvents(PlacedEvents.KeyOf(stamp), [.. customers], [.. ticks], [.. touchpoints], [.. ids],
            new EventPlacement(total, placed, matched, top, total - placed));
    }

    /// <summary>The map's touchpoints in map order: stage position, then touchpoint position.</summary>
    internal static JourneyTouchpoint[] Touchpoints(JourneyMap map) =>
        [.. map.Stages.OrderBy(s => s.Position).SelectMany((s, stageIndex) => s.Touchpoints.OrderBy(t => t.Position)
            .Select(t => new JourneyTouchpoint(t.Id, t.Name, s.Id, s.Name, stageIndex)))];

    /// <summary>A stable id for the pseudo-theme of a pain-point category (items the theme refresh has not grouped).</summary>
    internal static Guid CategoryThemeId(string category)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("pain-point-category:" + category));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static sbyte SentimentCode(string? sentiment) => sentiment switch
    {
        "negative" => -1,
        "neutral" => 0,
        "positive" => 1,
        _ => ContactLog.NoSentiment,
    };
}
