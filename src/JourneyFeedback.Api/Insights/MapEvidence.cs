using System.Collections.Concurrent;
using System.Text.Json;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// Everything insights need about a map's feedback items, in compact columns (about 70 bytes an item), newest first
/// (OccurredAt descending, then id in storage order). Immutable once built and shared by every request: insights and
/// evidence pages are scans and binary searches over arrays instead of GROUP BYs over a million rows. A newer snapshot
/// is made from an older one by <see cref="CatchUpAsync"/>, which reads only the rows changed since its
/// <see cref="EvidenceVersion"/> (FeedbackItems.ChangeVersion) and splices them in; <see cref="LoadAsync"/> builds one
/// from scratch. Both give the same snapshot.
/// </summary>
internal sealed partial class MapEvidence
{
    public const short Pending = -2;
    public const short Inbox = -1;
    public const byte Unknown = 0, Negative = 1, Neutral = 2, Positive = 3;
    public const int NeutralEmotionBit = 16;

    public required int MapVersion { get; init; }
    /// <summary>Every change of the map's items up to this version is in the snapshot (and perhaps some later ones).</summary>
    public required long EvidenceVersion { get; init; }
    /// <summary>When the map's versions were read for this snapshot: what it shows is the evidence as of then.</summary>
    public DateTime AsOf { get; init; }
    /// <summary>How long reading the rows for this snapshot took (the rest of a refresh is proportional to the map's size).</summary>
    public long ReadMilliseconds { get; init; }
    /// <summary>Rows a catch-up took from what this instance committed instead of reading them back.</summary>
    public int RowsFromMemory { get; private init; }
    /// <summary>Quote texts and origins read so far, shared by the snapshots a catch-up makes from this one.</summary>
    public QuoteSources QuoteSources { get; private init; } = new();
    /// <summary>The theme refresh the stored themes come from (Maps.ThemesComputedAt).</summary>
    public DateTime? ThemesComputedAt { get; init; }
    public required Guid[] TouchpointIds { get; init; }
    public int Count => Ids.Length;

    // One entry per item, ordered by OccurredAt descending (then id).
    public required Guid[] Ids { get; init; }
    /// <summary>Index into <see cref="TouchpointIds"/>, <see cref="Inbox"/> or <see cref="Pending"/> (not matched yet).</summary>
    public required short[] Touchpoint { get; init; }
    public required long[] OccurredTicks { get; init; }
    public required byte[] Sentiment { get; init; }
    public required float[] NegativeScore { get; init; }
    public required float[] PositiveScore { get; init; }
    /// <summary>Bit i: EmotionLabels.All[i]; bit 16: neutral.</summary>
    public required int[] Emotions { get; init; }
    /// <summary>Index into PainPointTaxonomy.All; -1 when not analysed.</summary>
    public required sbyte[] PainPoint { get; init; }
    /// <summary>Up to three key-phrase ids per item (into <see cref="Phrases"/>), -1 for none.</summary>
    public required int[] Phrase1 { get; init; }
    public required int[] Phrase2 { get; init; }
    public required int[] Phrase3 { get; init; }
    public required bool[] LowConfidence { get; init; }
    public required bool[] IsQuestion { get; init; }
    public required short[] Kind { get; init; }
    public required short[] Source { get; init; }
    public required short[] Channel { get; init; }
    public required short[] Language { get; init; }
    /// <summary>The stored theme an item was grouped into (index into <see cref="ThemeRefIds"/>), -1 for none.</summary>
    public int[] ThemeRef { get; init; } = [];
    public Guid[] ThemeRefIds { get; init; } = [];
    /// <summary>The item's customer id (index into <see cref="CustomerIds"/>), -1 for none: segments on customer attributes read it.</summary>
    public int[] Customer { get; init; } = [];
    public string[] CustomerIds { get; init; } = [];

    public required string[] Phrases { get; init; }
    public required string[] Kinds { get; init; }
    public required string[] Sources { get; init; }
    public required string[] Channels { get; init; }
    public required string[] Languages { get; init; }

    /// <summary>
    /// The pain-point theme of each item (-1: not a pain point on a touchpoint): a theme found by meaning
    /// (<see cref="StoredThemes"/>, keys from <see cref="FirstStoredThemeKey"/> on) or, for items no refresh has grouped yet, the
    /// item's pain-point category on its touchpoint (key <see cref="ThemeIndex.KeyOf"/>).
    /// </summary>
    public required int[] Theme { get; init; }
    public required StoredTheme[] StoredThemes { get; init; }

    /// <summary>Keys below this are category themes; from it on, stored themes in catalogue order.</summary>
    public int FirstStoredThemeKey => TouchpointIds.Length * ThemeIndex.Slots;
    public int ThemeKeys => FirstStoredThemeKey + StoredThemes.Length;
    public StoredTheme? StoredThemeOf(int key) => key >= FirstStoredThemeKey ? StoredThemes[key - FirstStoredThemeKey] : null;

    /// <summary>The key responses name a theme by: a stored theme's id, or <c>touchpointId:category</c> for a category theme.</summary>
    public string ThemeKeyText(int key) => StoredThemeOf(key) is { } stored
        ? stored.Id.ToString("N")
        : $"{TouchpointIds[key / ThemeIndex.Slots]:N}:{PainPointTaxonomy.All[key % ThemeIndex.Slots].Name}";

    private ThemeIndex? _themes;

    /// <summary>Theme names and quote candidates over all of the map's evidence, built on first use.</summary>
    public ThemeIndex Themes => _themes ??= ThemeIndex.Build(this);

    /// <summary>Valence −1..+1 of an analysed item: P(positive) − P(negative).</summary>
    public double Valence(int i) => PositiveScore[i] - NegativeScore[i];

    public bool IsAnalysed(int i) => Sentiment[i] != Unknown;

    /// <summary>Items with OccurredAt in [from, to): a contiguous range of the newest-first arrays.</summary>
    public (int Start, int End) Range(DateTime? from, DateTime? to)
    {
        var start = to is { } t ? FirstOlderThan(t.Ticks) : 0;                // first index with ticks < to
        var end = from is { } f ? FirstOlderThan(f.Ticks) : Count;            // first index with ticks < from
        return (start, Math.Max(start, end));
    }

    private int FirstOlderThan(long ticks)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (OccurredTicks[mid] >= ticks) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>What a snapshot keeps of one stored item, as <see cref="RowColumns"/> reads it.</summary>
    internal sealed record Row(
        Guid Id, Guid? TouchpointId, bool NotMatched, DateTime OccurredAt, string? Sentiment, double? Negative, double? Positive,
        string? Emotions, string? PainPoint, string? KeyPhrases, bool LowConfidence, bool IsQuestion, string Kind, string? Source,
        string? Channel, string? Language, Guid? ThemeId, string? CustomerId)
    {
        /// <summary>The row <see cref="RowColumns"/> reads back for <paramref name="item"/> once it is stored (SQLite keeps every value as given).</summary>
        public static Row Of(FeedbackItem item) => new(
            item.Id, item.TouchpointId, item.MatchedAt is null, item.OccurredAt, item.Sentiment, item.SentimentNegative, item.SentimentPositive,
            item.Emotions, item.PainPoint, item.KeyPhrases, item.LowConfidence, item.Text.Contains('?'), item.Kind, item.Source,
            item.Channel, item.DetectedLanguage, item.ThemeId, item.CustomerId);
    }

    /// <summary>
    /// Rows this instance committed to the map in one transaction, which moved the map's evidence version from
    /// <paramref name="Before"/> to <paramref name="After"/> and changed nothing else on it: a catch-up takes them from
    /// memory instead of reading them back (<see cref="MapEvidenceCache.Committed"/>).
    /// </summary>
    internal sealed record CommittedRows(long Before, long After, Row[] Rows);

    /// <summary>
    /// The one query both the full build and the catch-up read rows with: only the columns a snapshot keeps, read by a
    /// raw reader with typed getters (no entity materialisation); <c>IsQuestion</c> is computed by the database.
    /// </summary>
    private const string RowColumns =
        """
        SELECT "Id", "TouchpointId", CASE WHEN "MatchedAt" IS NULL THEN 1 ELSE 0 END, "OccurredAt", "Sentiment", "SentimentNegative",
               "SentimentPositive", "Emotions", "PainPoint", "KeyPhrases", "LowConfidence", CASE WHEN "Text" LIKE '%?%' THEN 1 ELSE 0 END,
               "Kind", "Source", "Channel", "DetectedLanguage", "ThemeId", "CustomerId"
        FROM "FeedbackItems"
        """;

    /// <summary>
    /// The map's rows: all, newest first; or, with <paramref name="changedSince"/>, those whose change version is above it
    /// (and not above <paramref name="changedThrough"/>), in no order.
    /// </summary>
    private static async IAsyncEnumerable<Row> Rows(JourneyFeedbackDb db, Guid mapId, long? changedSince,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct, long changedThrough = long.MaxValue)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var sql = RowColumns + (changedSince is null
                ? """WHERE "MapId" = @map ORDER BY "OccurredAt" DESC, "Id" """
                : """WHERE "MapId" = @map AND "ChangeVersion" > @since AND "ChangeVersion" <= @through""");
            if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            {
                using var rows = new SqliteRawStatement(sqlite, sql);
                rows.Bind(1, mapId);
                if (changedSince is { } after)
                {
                    rows.Bind(2, after);
                    rows.Bind(3, changedThrough);
                }
                while (rows.Read())
                {
                    yield return new Row(
                        rows.Guid(0)!.Value, rows.Guid(1), rows.Int64(2) == 1, rows.DateTime(3), rows.Text(4), rows.Double(5), rows.Double(6),
                        rows.Text(7), rows.Text(8), rows.Text(9), rows.Int64(10) != 0, rows.Int64(11) == 1, rows.Text(12)!, rows.Text(13),
                        rows.Text(14), rows.Text(15), rows.Guid(16), rows.Text(17));
                }
                yield break;
            }
            // PostgreSQL (its uuids read as Guids).
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            RawReads.Parameter(command, "@map", mapId, blobs: false);
            if (changedSince is { } since)
            {
                RawReads.Parameter(command, "@since", since, blobs: false);
                RawReads.Parameter(command, "@through", changedThrough, blobs: false);
            }
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
            {
                yield return new Row(
                    reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetInt32(2) == 1, reader.GetDateTime(3),
                    RawReads.Text(reader, 4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                    RawReads.Text(reader, 7), RawReads.Text(reader, 8), RawReads.Text(reader, 9), reader.GetBoolean(10), reader.GetInt32(11) == 1,
                    reader.GetString(12), RawReads.Text(reader, 13), RawReads.Text(reader, 14), RawReads.Text(reader, 15),
                    reader.IsDBNull(16) ? null : reader.GetGuid(16), RawReads.Text(reader, 17));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

    }

    /// <summary>The map's numbers that say how current a snapshot is (one indexed row); null when the map is gone.</summary>
    internal sealed record MapState(int Version, long EvidenceVersion, long EvidenceResetVersion, DateTime? ThemesComputedAt);

    public static Task<MapState?> StateAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct) =>
        db.Maps.AsNoTracking().Where(m => m.Id == mapId)
            .Select(m => new MapState(m.Version, m.EvidenceVersion, m.EvidenceResetVersion, m.ThemesComputedAt)).FirstOrDefaultAsync(ct);

    /// <summary>Nothing on the map changed since this snapshot was read (another request may have made a newer one).</summary>
    public bool IsCurrentFor(MapState state) =>
        MapVersion >= state.Version && EvidenceVersion >= state.EvidenceVersion && ThemesComputedAt == state.ThemesComputedAt;

    /// <summary>
    /// Reading the changed rows can bring this snapshot up to <paramref name="state"/>: the map's structure is the same and
    /// no item left it or moved in time since (those need a rebuild).
    /// </summary>
    public bool CanCatchUpTo(MapState state) => CanCatchUp(MapVersion, EvidenceVersion, state);

    private static bool CanCatchUp(int mapVersion, long evidenceVersion, MapState state) =>
        state.Version == mapVersion && state.EvidenceResetVersion <= evidenceVersion;

    /// <summary>How many of the map's items changed since this snapshot's version (what it does not show yet).</summary>
    public Task<int> PendingAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct) =>
        db.FeedbackItems.CountAsync(f => f.MapId == mapId && f.ChangeVersion > EvidenceVersion, ct);

    /// <summary>
    /// A snapshot from scratch, as of <paramref name="state"/> (read just before, at <paramref name="asOf"/>).
    /// <paramref name="afterCount"/>: tests write between the count and the read.
    /// </summary>
    public static async Task<MapEvidence> LoadAsync(JourneyFeedbackDb db, Guid mapId, MapState state, DateTime asOf, CancellationToken ct,
        Func<Task>? afterCount = null)
    {
        var touchpointIds = await db.Touchpoints.AsNoTracking().Where(t => t.MapId == mapId)
            .Join(db.Stages, t => t.StageId, s => s.Id, (t, s) => new { t.Id, StagePosition = s.Position, t.Position })
            .OrderBy(t => t.StagePosition).ThenBy(t => t.Position).Select(t => t.Id).ToArrayAsync(ct);
        var storedThemes = await StoredThemesAsync(db, mapId, touchpointIds, ct);

        // Streamed into columns sized by a count first: the rows (with their JSON strings) are never all in memory.
        var items = db.FeedbackItems.AsNoTracking().Where(f => f.MapId == mapId);
        var reading = System.Diagnostics.Stopwatch.StartNew();
        var count = await items.CountAsync(ct);
        if (afterCount is not null) await afterCount();
        // Every row is kept, also those stored between the count and the read (the count and the read are two statements,
        // each with its own snapshot on PostgreSQL's read committed and SQLite alike): the rows come newest first, so
        // stopping at the count would drop the oldest rows, whose versions no catch-up reads again (the soak lost 7 items
        // for good with two instances writing). Late rows are rare: the columns grow for them, and are exact otherwise.
        var columns = new ItemColumns(count, touchpointIds, ItemTables.Empty);
        await foreach (var r in Rows(db, mapId, null, ct))
            columns.Add(r);
        columns.TrimToCount();
        return Create(state, asOf, touchpointIds, storedThemes, columns, reading.ElapsedMilliseconds);
    }

    /// <summary>
    /// This snapshot brought up to <paramref name="state"/> by reading only the rows changed since its version: new items
    /// are spliced in at their place in the order, changed ones replaced. Null when that cannot follow the change
    /// (<see cref="CanCatchUpTo"/>): the caller rebuilds.
    /// </summary>
    /// <remarks>
    /// <paramref name="committed"/>: rows this instance committed since this snapshot, with the versions their transactions
    /// used; only the versions they do not cover are read. A row read from the database is its latest state and wins
    /// over the same row in <paramref name="committed"/>.
    /// </remarks>
    public async Task<MapEvidence?> CatchUpAsync(JourneyFeedbackDb db, Guid mapId, MapState state, DateTime asOf, CancellationToken ct,
        IReadOnlyList<CommittedRows>? committed = null)
    {
        if (!CanCatchUpTo(state)) return null;
        var storedThemes = state.ThemesComputedAt == ThemesComputedAt ? StoredThemes : await StoredThemesAsync(db, mapId, TouchpointIds, ct);
        var changed = new ItemColumns(256, TouchpointIds, _tables);
        var reading = System.Diagnostics.Stopwatch.StartNew();
        var since = EvidenceVersion;
        var mine = (committed ?? []).Where(c => c.Before >= since).OrderBy(c => c.Before).ToList();
        var fromMemory = 0;
        if (mine.Count == 0)
        {
            await foreach (var r in Rows(db, mapId, since, ct))
                changed.Add(r);
        }
        else
        {
            // The versions between the committed ranges, then those after the last; a row read twice moved on between
            // the two reads (its version only grows), so the later read is its state.
            var read = new Dictionary<Guid, Row>();
            foreach (var range in mine)
            {
                if (range.Before > since)
                    await foreach (var r in Rows(db, mapId, since, ct, range.Before))
                        read[r.Id] = r;
                since = Math.Max(since, range.After);
            }
            await foreach (var r in Rows(db, mapId, since, ct))
                read[r.Id] = r;
            foreach (var r in mine.SelectMany(range => range.Rows))
                if (!read.ContainsKey(r.Id)) changed.Add(r);
            fromMemory = changed.Count;
            foreach (var r in read.Values) changed.Add(r);
        }
        changed.TrimToCount();
        var readMilliseconds = reading.ElapsedMilliseconds; // the splice below grows with the map: not reading
        return Create(state, asOf, TouchpointIds, storedThemes, Splice(changed), readMilliseconds, fromMemory, QuoteSources);
    }

    private static async Task<StoredTheme[]> StoredThemesAsync(JourneyFeedbackDb db, Guid mapId, Guid[] touchpointIds, CancellationToken ct) =>
        (await db.Themes.AsNoTracking().Where(t => t.MapId == mapId).OrderBy(t => t.TouchpointId).ThenBy(t => t.Id).ToListAsync(ct))
            .Select(t => new StoredTheme(t.Id, Array.IndexOf(touchpointIds, t.TouchpointId), t.Name, t.Category is { } c ? (sbyte)PainPointIndex(c) : (sbyte)-1,
                t.Phrases, t.ComputedAt))
            .Where(t => t.Touchpoint >= 0).ToArray();

    private ItemTables _tables = ItemTables.Empty;

    private static MapEvidence Create(MapState state, DateTime asOf, Guid[] touchpointIds, StoredTheme[] storedThemes, ItemColumns c, long readMilliseconds,
        int rowsFromMemory = 0, QuoteSources? quoteSources = null) => new()
    {
        ReadMilliseconds = readMilliseconds, RowsFromMemory = rowsFromMemory, QuoteSources = quoteSources ?? new(),
        MapVersion = state.Version, EvidenceVersion = state.EvidenceVersion, AsOf = asOf, ThemesComputedAt = state.ThemesComputedAt,
        TouchpointIds = touchpointIds,
        Ids = c.Ids, Touchpoint = c.Touchpoint, OccurredTicks = c.Ticks, Sentiment = c.Sentiment, NegativeScore = c.Negative, PositiveScore = c.Positive,
        Emotions = c.Emotions, PainPoint = c.PainPoint, Phrase1 = c.Phrase1, Phrase2 = c.Phrase2, Phrase3 = c.Phrase3,
        LowConfidence = c.LowConfidence, IsQuestion = c.IsQuestion, Kind = c.Kind, Source = c.Source, Channel = c.Channel, Language = c.Language,
        ThemeRef = c.ThemeRef, ThemeRefIds = c.Tables.ThemeIds.ToArray(), Customer = c.Customer, CustomerIds = c.Tables.Customers.ToArray(),
        Phrases = c.Tables.Phrases.ToArray(), Kinds = c.Tables.Kinds.ToArray(), Sources = c.Tables.Sources.ToArray(), Channels = c.Tables.Channels.ToArray(),
        Languages = c.Tables.Languages.ToArray(),
        Theme = ThemeKeysOf(c, touchpointIds.Length, storedThemes), StoredThemes = storedThemes,
        _tables = c.Tables,
    };

    /// <summary>Each item's theme key (see <see cref="Theme"/>), from its columns and the theme catalogue.</summary>
    private static int[] ThemeKeysOf(ItemColumns c, int touchpoints, StoredTheme[] storedThemes)
    {
        var catalogue = storedThemes.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var stored = c.Tables.ThemeIds.ToArray().Select(id => catalogue.TryGetValue(id, out var i) ? i : -1).ToArray();
        var first = touchpoints * ThemeIndex.Slots;
        var themes = new int[c.Count];
        for (var i = 0; i < themes.Length; i++)
        {
            var on = c.Touchpoint[i];
            var painPoint = c.Sentiment[i] == Negative && !c.LowConfidence[i] && c.PainPoint[i] >= 0 && c.PainPoint[i] != NoneCategory;
            themes[i] = on < 0 || !painPoint ? -1
                : c.ThemeRef[i] >= 0 && stored[c.ThemeRef[i]] is var k and >= 0 && storedThemes[k].Touchpoint == on ? first + k
                : ThemeIndex.KeyOf(on, c.PainPoint[i]);
        }
        return themes;
    }

    /// <summary>
    /// The columns of this snapshot with <paramref name="changed"/> applied: an item already here is replaced in place (an
    /// item's time never changes without a rebuild, so its place is found by binary search), a new one is inserted at its
    /// place in the order. One pass per column; this snapshot is left as it is for the readers still using it.
    /// </summary>
    private ItemColumns Splice(ItemColumns changed)
    {
        var inserts = new List<(int At, int Row)>();
        var replaces = new List<(int At, int Row)>();
        for (var r = 0; r < changed.Count; r++)
        {
            var at = Find(changed.Ticks[r], changed.Ids[r]);
            if (at >= 0) replaces.Add((at, r)); else inserts.Add((~at, r));
        }
        // Inserts in the snapshot's order (their places are then ascending); replaced items move by the inserts before them.
        inserts.Sort((a, b) => Compare(changed.Ticks[a.Row], changed.Ids[a.Row], changed.Ticks[b.Row], changed.Ids[b.Row]));
        replaces.Sort((a, b) => a.At.CompareTo(b.At));
        var moved = new (int At, int Row)[replaces.Count];
        for (int p = 0, k = 0; p < replaces.Count; p++)
        {
            while (k < inserts.Count && inserts[k].At <= replaces[p].At) k++;
            moved[p] = (replaces[p].At + k, replaces[p].Row);
        }
        var plan = new SplicePlan(Count, [.. inserts], moved);
        return new ItemColumns(changed.Tables, TouchpointIds)
        {
            Ids = plan.Apply(Ids, changed.Ids), Touchpoint = plan.Apply(Touchpoint, changed.Touchpoint), Ticks = plan.Apply(OccurredTicks, changed.Ticks),
            Sentiment = plan.Apply(Sentiment, changed.Sentiment), Negative = plan.Apply(NegativeScore, changed.Negative),
            Positive = plan.Apply(PositiveScore, changed.Positive), Emotions = plan.Apply(Emotions, changed.Emotions),
            PainPoint = plan.Apply(PainPoint, changed.PainPoint), Phrase1 = plan.Apply(Phrase1, changed.Phrase1), Phrase2 = plan.Apply(Phrase2, changed.Phrase2),
            Phrase3 = plan.Apply(Phrase3, changed.Phrase3), LowConfidence = plan.Apply(LowConfidence, changed.LowConfidence),
            IsQuestion = plan.Apply(IsQuestion, changed.IsQuestion), Kind = plan.Apply(Kind, changed.Kind), Source = plan.Apply(Source, changed.Source),
            Channel = plan.Apply(Channel, changed.Channel), Language = plan.Apply(Language, changed.Language), ThemeRef = plan.Apply(ThemeRef, changed.ThemeRef),
            Customer = plan.Apply(Customer, changed.Customer),
        };
    }

    private sealed record SplicePlan(int OldCount, (int At, int Row)[] Inserts, (int At, int Row)[] Replaces)
    {
        public T[] Apply<T>(T[] old, T[] changed)
        {
            // Every element is written below, so the array need not be zeroed first.
            var result = GC.AllocateUninitializedArray<T>(OldCount + Inserts.Length);
            int from = 0, to = 0;
            foreach (var (at, row) in Inserts)
            {
                Array.Copy(old, from, result, to, at - from);
                to += at - from;
                from = at;
                result[to++] = changed[row];
            }
            Array.Copy(old, from, result, to, OldCount - from);
            foreach (var (at, row) in Replaces) result[at] = changed[row];
            return result;
        }
    }

    /// <summary>The item's index, or the bitwise complement of where it would go (as Array.BinarySearch).</summary>
    private int Find(long ticks, Guid id)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = Compare(OccurredTicks[mid], Ids[mid], ticks, id);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }

    /// <summary>The snapshot's order: newest first, then by id as both engines sort a uuid (its big-endian bytes).</summary>
    private static int Compare(long ticksA, Guid idA, long ticksB, Guid idB)
    {
        if (ticksA != ticksB) return ticksB.CompareTo(ticksA);
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        idA.TryWriteBytes(a, bigEndian: true, out _);
        idB.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }

    private static byte SentimentCode(string? label) => label switch
    {
        SentimentLabels.Negative => Negative,
        SentimentLabels.Neutral => Neutral,
        SentimentLabels.Positive => Positive,
        _ => Unknown,
    };

    private static readonly Dictionary<string, int> PainPointIndexes =
        PainPointTaxonomy.All.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i);

    public static int PainPointIndex(string name) => PainPointIndexes.GetValueOrDefault(name, -1);

    private static readonly int NoneCategory = PainPointIndex(PainPointTaxonomy.None);

    /// <summary>
    /// The bit mask of the labels in an item's emotions JSON (as StoredAnalysis writes it: compact, plain label names),
    /// found by scanning for <c>"label":"</c> rather than parsing a document per row; anything else is parsed.
    /// </summary>
    private static int EmotionMask(string? json, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> bits)
    {
        const string Label = "\"label\":\"";
        if (json is not { Length: > 2 }) return 0;
        if (json.Contains('\\') || !json.Contains(Label, StringComparison.Ordinal)) return ParsedEmotionMask(json, bits);
        var mask = 0;
        var rest = json.AsSpan();
        for (var at = rest.IndexOf(Label); at >= 0; at = rest.IndexOf(Label))
        {
            rest = rest[(at + Label.Length)..];
            var end = rest.IndexOf('"');
            if (end < 0) break;
            mask |= Bit(rest[..end], bits);
        }
        return mask;
    }

    private static int ParsedEmotionMask(string json, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> bits)
    {
        var mask = 0;
        using var document = JsonDocument.Parse(json);
        foreach (var emotion in document.RootElement.EnumerateArray())
            if (emotion.TryGetProperty("label", out var label) && label.GetString() is { } name) mask |= Bit(name, bits);
        return mask;
    }

    private static int Bit(ReadOnlySpan<char> label, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> bits) =>
        label.SequenceEqual(EmotionLabels.NeutralName) ? 1 << NeutralEmotionBit : bits.TryGetValue(label, out var bit) ? 1 << bit : 0;

    /// <summary>
    /// The first three key phrases of an item's JSON array: split at the quotes when no phrase has an escape (the usual
    /// case), parsed otherwise.
    /// </summary>
    private static (string? First, string? Second, string? Third) KeyPhrases(string? json)
    {
        if (json is not { Length: > 2 }) return default;
        if (json.Contains('\\'))
        {
            var parsed = JsonSerializer.Deserialize<string[]>(json) ?? [];
            return (parsed.ElementAtOrDefault(0), parsed.ElementAtOrDefault(1), parsed.ElementAtOrDefault(2));
        }
        string? first = null, second = null, third = null;
        var count = 0;
        for (var i = json.IndexOf('"'); i >= 0 && count < 3; i = json.IndexOf('"', i + 1))
        {
            var end = json.IndexOf('"', i + 1);
            if (end < 0) break;
            var phrase = json.Substring(i + 1, end - i - 1);
            switch (count++)
            {
                case 0: first = phrase; break;
                case 1: second = phrase; break;
                default: third = phrase; break;
            }
            i = end;
        }
        return (first, second, third);
    }

    /// <summary>
    /// The strings items refer to by id. A snapshot made from another extends the same tables (ids stay valid, and they
    /// only grow); only the map's one running refresh adds to them, and each snapshot reads its own arrays of their values.
    /// </summary>
    private sealed record ItemTables(Interner<string> Phrases, Interner<string> Kinds, Interner<string> Sources, Interner<string> Channels,
        Interner<string> Languages, Interner<Guid> ThemeIds, Interner<string> Customers)
    {
        public static ItemTables Empty => new(new(), new(), new(), new(), new(), new(), new());

    }

    /// <summary>The per-item columns while they are filled row by row (strings become ids into the tables).</summary>
    private sealed class ItemColumns
    {
        private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> EmotionBits = EmotionLabels.All
            .Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        private readonly Dictionary<Guid, short> _touchpointIndex;

        public ItemColumns(ItemTables tables, Guid[] touchpointIds)
        {
            Tables = tables;
            _touchpointIndex = touchpointIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (short)p.i);
        }

        public ItemColumns(int capacity, Guid[] touchpointIds, ItemTables tables) : this(tables, touchpointIds) => Resize(capacity);

        public ItemTables Tables { get; }
        public Guid[] Ids = [];
        public short[] Touchpoint = [], Kind = [], Source = [], Channel = [], Language = [];
        public long[] Ticks = [];
        public byte[] Sentiment = [];
        public float[] Negative = [], Positive = [];
        public int[] Emotions = [], Phrase1 = [], Phrase2 = [], Phrase3 = [], ThemeRef = [], Customer = [];
        public sbyte[] PainPoint = [];
        public bool[] LowConfidence = [], IsQuestion = [];
        private int _count = -1;

        public int Count => _count < 0 ? Ids.Length : _count;
        public bool IsFull => Count == Ids.Length;

        public void Add(Row r)
        {
            if (IsFull) Resize(Math.Max(16, Ids.Length * 2));
            var i = _count++;
            Ids[i] = r.Id;
            Touchpoint[i] = r.TouchpointId is { } t ? _touchpointIndex.GetValueOrDefault(t, Inbox) : r.NotMatched ? Pending : Inbox;
            Ticks[i] = r.OccurredAt.Ticks;
            Sentiment[i] = SentimentCode(r.Sentiment);
            Negative[i] = (float)(r.Negative ?? 0);
            Positive[i] = (float)(r.Positive ?? 0);
            Emotions[i] = EmotionMask(r.Emotions, EmotionBits);
            PainPoint[i] = (sbyte)(r.PainPoint is { } p ? PainPointIndex(p) : -1);
            var (first, second, third) = KeyPhrases(r.KeyPhrases);
            Phrase1[i] = first is null ? -1 : Tables.Phrases.Id(first);
            Phrase2[i] = second is null ? -1 : Tables.Phrases.Id(second);
            Phrase3[i] = third is null ? -1 : Tables.Phrases.Id(third);
            LowConfidence[i] = r.LowConfidence;
            IsQuestion[i] = r.IsQuestion;
            Kind[i] = (short)Tables.Kinds.Id(r.Kind);
            Source[i] = (short)Tables.Sources.Id(r.Source ?? "");
            Channel[i] = (short)Tables.Channels.Id(r.Channel ?? "");
            Language[i] = (short)Tables.Languages.Id(r.Language ?? "");
            ThemeRef[i] = r.ThemeId is { } theme ? Tables.ThemeIds.Id(theme) : -1;
            Customer[i] = r.CustomerId is { } customer ? Tables.Customers.Id(customer) : -1;
        }

        /// <summary>Every column shrinks to the rows added (rows deleted between the count and the read, or a growing buffer).</summary>
        public void TrimToCount()
        {
            Resize(Count);
            _count = -1;
        }

        private void Resize(int n)
        {
            if (_count < 0) _count = Ids.Length;
            Array.Resize(ref Ids, n); Array.Resize(ref Touchpoint, n); Array.Resize(ref Kind, n); Array.Resize(ref Source, n);
            Array.Resize(ref Channel, n); Array.Resize(ref Language, n); Array.Resize(ref Ticks, n); Array.Resize(ref Sentiment, n);
            Array.Resize(ref Negative, n); Array.Resize(ref Positive, n); Array.Resize(ref Emotions, n); Array.Resize(ref Phrase1, n);
            Array.Resize(ref Phrase2, n); Array.Resize(ref Phrase3, n); Array.Resize(ref PainPoint, n); Array.Resize(ref LowConfidence, n);
            Array.Resize(ref IsQuestion, n); Array.Resize(ref ThemeRef, n); Array.Resize(ref Customer, n);
        }
    }
}

/// <summary>A pain-point theme found by meaning (Semantic.Theme), as insights show it.</summary>
internal sealed record StoredTheme(Guid Id, int Touchpoint, string Name, sbyte Category, IReadOnlyList<string> Phrases, DateTime ComputedAt);

/// <summary>
/// The current <see cref="MapEvidence"/> of each map, kept current by catching up on the rows changed since (a full
/// rebuild only when the map's structure changed or an item left it). Readers never wait for a slow refresh: a request
/// checks the map's versions (one indexed row); when they moved it waits only for a refresh expected to be quick (a small
/// delta on a map whose last refresh was quick), and otherwise gets the last consistent snapshot, with how current it is,
/// while one refresh per map runs in the background (spaced by <see cref="InsightsOptions.RefreshIntervalMilliseconds"/>
/// and <see cref="InsightsOptions.RefreshShare"/>).
/// </summary>
internal sealed class MapEvidenceCache(IServiceScopeFactory scopes, IOptions<InsightsOptions> options, IHostApplicationLifetime lifetime,
    StoragePaths paths, ILogger<MapEvidenceCache> logger)
{
    private sealed class Entry
    {
        public volatile MapEvidence? Current;
        public Task<MapEvidence?>? Refreshing;
        public long LastRefreshMilliseconds;
        public long LastFixedMilliseconds;
        public long LastRefreshEnded;
        public long LastRecordedRead;
        public long LastSaved;
        public int SaveNext;
        public DateTime SavedAsOf; // of the snapshot in the file: an older one never replaces it
        public readonly Lock Saving = new(); // not the entry's lock: a request starting a refresh does not wait for a file
        public List<MapEvidence.CommittedRows> Committed = []; // replaced, never changed, under the entry's lock
    }

    /// <summary>Rows committed by this instance kept for a map's next catch-up; beyond this the catch-up reads them back instead.</summary>
    internal const int MaxCommittedRows = 250_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>Counts of refreshes by kind since start (the tests and the logs read them).</summary>
    public long Rebuilds;
    public long CatchUps;
    public long LoadsFromFile;
    /// <summary>Rows catch-ups took from what this instance committed (<see cref="Committed"/>) instead of reading them back.</summary>
    public long RowsFromMemory;

    /// <summary>Waits before a refresh, for tests that hold one (null in the product).</summary>
    internal Func<Guid, Task>? BeforeRefresh { get; set; }

    /// <summary>Tests: runs in a full build between counting the map's rows and reading them.</summary>
    internal Func<Guid, Task>? AfterCount { get; set; }

    /// <summary>
    /// The map's snapshot for a request and how many changed items it does not show yet (0 when current); null when the
    /// map does not exist. Only a map without any snapshot yet makes the request wait for a full build.
    /// </summary>
    public async Task<(MapEvidence Evidence, int PendingItems)?> GetAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var state = await MapEvidence.StateAsync(db, mapId, ct);
        if (state is null) return null;
        var entry = _entries.GetOrAdd(mapId, _ => new Entry());
        RecordRead(mapId, entry);
        var current = entry.Current;
        if (current is not null && current.IsCurrentFor(state)) return (current, 0);
        if (current is null)
        {
            var built = await Refresh(mapId, entry).WaitAsync(ct);
            return built is null ? null : (built, 0);
        }

        var o = options.Value;
        var pending = await current.PendingAsync(db, mapId, ct);
        var rows = current.CanCatchUpTo(state) ? pending : current.Count + pending;
        var quick = rows <= o.QuickRefreshRows && Interlocked.Read(ref entry.LastRefreshMilliseconds) <= o.QuickRefreshMilliseconds;
        if (quick) await Task.WhenAny(Refresh(mapId, entry), Task.Delay(o.MaxWaitMilliseconds, ct)); // a failed refresh leaves the last snapshot
        else if (IsDue(entry, o)) _ = Refresh(mapId, entry);
        var latest = entry.Current ?? current;
        return (latest, latest.IsCurrentFor(state) ? 0 : pending);
    }

    /// <summary>Builds the map's snapshot if this instance has none (start-up warming); false when the map is gone.</summary>
    public async Task<bool> WarmAsync(Guid mapId, CancellationToken ct)
    {
        var entry = _entries.GetOrAdd(mapId, _ => new Entry());
        return entry.Current is not null || await Refresh(mapId, entry).WaitAsync(ct) is not null;
    }

    /// <summary>
    /// Brings every big snapshot this instance holds up to date and saves it when its map moved on since it was saved,
    /// one map at a time (<see cref="InsightsWarmer"/> calls this every SaveSnapshotSeconds): background writers (the
    /// semantic tier, rematches) change many rows without anyone reading, and a restart should not have to read them all.
    /// </summary>
    public async Task RefreshAndSaveStaleAsync(CancellationToken ct)
    {
        foreach (var (mapId, entry) in _entries)
        {
            if (entry.Current is not { } current || current.Count < options.Value.SaveSnapshotMinItems || options.Value.SaveSnapshotMinItems < 0) continue;
            await using var scope = scopes.CreateAsyncScope();
            var state = await MapEvidence.StateAsync(scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>(), mapId, ct);
            if (state is null || current.IsCurrentFor(state)) continue;
            Interlocked.Exchange(ref entry.SaveNext, 1);
            try { await Refresh(mapId, entry).WaitAsync(ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { } // logged by the refresh; the next round tries again
        }
    }

    /// <summary>
    /// After an import onto the map: brings its snapshot up to date in the background and saves it, so the next reader,
    /// on this instance or after a restart, neither waits for a full build nor reads every row again.
    /// </summary>
    public void PrepareAfterImport(Guid mapId) => RefreshAndSave(mapId, _entries.GetOrAdd(mapId, _ => new Entry()), "an import");

    /// <summary>Brings the map's snapshot up to date in the background after a bulk write, then saves it.</summary>
    private void RefreshAndSave(Guid mapId, Entry entry, string after)
    {
        Interlocked.Exchange(ref entry.SaveNext, 1);
        // A refresh already running may have read its rows before the write committed: one more follows it.
        _ = Refresh(mapId, entry).ContinueWith(_ => Refresh(mapId, entry), TaskScheduler.Default).Unwrap()
            .ContinueWith(t => logger.LogWarning(t.Exception, "Preparing the snapshot of map {MapId} after {Write} failed", mapId, after),
                TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>
    /// After a background worker rewrote many of the map's rows (the theme refresh regroups hundreds of thousands): a
    /// snapshot this instance holds is caught up and saved now, in the background, instead of by the next reader (who
    /// would otherwise start it in the middle of, say, an import, and lag seconds behind while it reads them all).
    /// </summary>
    public void CatchUpHeld(Guid mapId)
    {
        if (_entries.TryGetValue(mapId, out var entry) && entry.Current is not null) RefreshAndSave(mapId, entry, "a theme refresh");
    }

    /// <summary>The snapshot this instance holds of the map, as it is (tests).</summary>
    internal MapEvidence? Held(Guid mapId) => _entries.TryGetValue(mapId, out var entry) ? entry.Current : null;

    /// <summary>
    /// Whether <see cref="Committed"/> would keep rows for the map: only for a map this instance holds a snapshot of.
    /// </summary>
    public bool WantsCommitted(Guid mapId) => _entries.TryGetValue(mapId, out var entry) && entry.Current is not null;

    /// <summary>
    /// Rows this instance has just committed to the map in one transaction that moved its evidence version through
    /// exactly their range and changed nothing else on it (an import batch): the next
    /// catch-up applies them from memory and reads only the versions they do not cover. Reading a big import back cost
    /// the import about a tenth of its rate while someone kept the map open (docs/benchmarks.md).
    /// </summary>
    public void Committed(Guid mapId, MapEvidence.CommittedRows rows)
    {
        if (!_entries.TryGetValue(mapId, out var entry)) return;
        lock (entry)
        {
            if (entry.Current is not { } current || rows.After <= current.EvidenceVersion) return;
            var kept = entry.Committed.Where(c => c.After > current.EvidenceVersion).ToList();
            var count = kept.Sum(c => c.Rows.Length) + rows.Rows.Length;
            // Too many waiting (no reader for a long time): dropped, so the catch-up reads them all back.
            entry.Committed = count > MaxCommittedRows ? [] : [.. kept, rows];
        }
    }

    /// <summary>The committed rows a snapshot at <paramref name="version"/> does not show yet (those it shows are let go).</summary>
    private static List<MapEvidence.CommittedRows> CommittedSince(Entry entry, long version)
    {
        lock (entry) return entry.Committed = [.. entry.Committed.Where(c => c.Before >= version)];
    }

    /// <summary>
    /// A background refresh starts at most every RefreshIntervalMilliseconds, and further apart on a big map: the part of
    /// a refresh that grows with the map (splicing, themes) takes at most RefreshShare of a core. Reading the changed rows
    /// is not counted: that work is the same however often it is done.
    /// </summary>
    private static bool IsDue(Entry entry, InsightsOptions o) =>
        Environment.TickCount64 - Interlocked.Read(ref entry.LastRefreshEnded)
            >= Math.Max(o.RefreshIntervalMilliseconds, Interlocked.Read(ref entry.LastFixedMilliseconds) / o.RefreshShare);

    /// <summary>The running refresh of the map, or a new one: one at a time per map, whoever asked first.</summary>
    private Task<MapEvidence?> Refresh(Guid mapId, Entry entry)
    {
        lock (entry)
        {
            if (entry.Refreshing is { IsCompleted: false } running) return running;
            return entry.Refreshing = Task.Run(() => RefreshAsync(mapId, entry));
        }
    }

    private async Task<MapEvidence?> RefreshAsync(Guid mapId, Entry entry)
    {
        var ct = lifetime.ApplicationStopping;
        if (BeforeRefresh is { } hold) await hold(mapId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
            var asOf = DateTime.UtcNow;
            var state = await MapEvidence.StateAsync(db, mapId, ct);
            if (state is null)
            {
                _entries.TryRemove(mapId, out _);
                if (File.Exists(paths.SnapshotFile(mapId))) File.Delete(paths.SnapshotFile(mapId));
                return null;
            }
            var current = entry.Current;
            if (current is not null && current.IsCurrentFor(state))
            {
                SaveLater(mapId, entry, current, Interlocked.Exchange(ref entry.SaveNext, 0) == 1);
                return current;
            }
            var saved = current is null && options.Value.SaveSnapshotMinItems >= 0
                ? await MapEvidence.LoadSavedAsync(db, mapId, paths.SnapshotFile(mapId), state, ct) : null;
            if (saved is not null) Interlocked.Increment(ref LoadsFromFile);
            var next = (current ?? saved) is { } from
                ? await from.CatchUpAsync(db, mapId, state, asOf, ct, CommittedSince(entry, from.EvidenceVersion)) : null;
            var rebuilt = next is null;
            next ??= await MapEvidence.LoadAsync(db, mapId, state, asOf, ct, AfterCount is { } afterCount ? () => afterCount(mapId) : null);
            if (rebuilt) Interlocked.Increment(ref Rebuilds); else Interlocked.Increment(ref CatchUps);
            Interlocked.Add(ref RowsFromMemory, next.RowsFromMemory);
            // Theme names and quote candidates are made here, in the background, not by the first request that reads them.
            _ = next.Themes;
            entry.Current = next;
            var asked = Interlocked.Exchange(ref entry.SaveNext, 0) == 1;
            SaveLater(mapId, entry, next, rebuilt || saved is not null || asked);
            logger.Log(clock.ElapsedMilliseconds >= 1000 ? LogLevel.Information : LogLevel.Debug,
                "Evidence snapshot of map {MapId}: {Kind} to version {Version}, {Items} items, in {Milliseconds} ms",
                mapId, rebuilt ? "rebuilt" : "caught up", next.EvidenceVersion, next.Count, clock.ElapsedMilliseconds);
            return next;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Refreshing the evidence snapshot of map {MapId} failed; requests keep the last one", mapId);
            throw;
        }
        finally
        {
            Interlocked.Exchange(ref entry.LastFixedMilliseconds, clock.ElapsedMilliseconds - (entry.Current?.ReadMilliseconds ?? 0));
            Interlocked.Exchange(ref entry.LastRefreshMilliseconds, clock.ElapsedMilliseconds);
            Interlocked.Exchange(ref entry.LastRefreshEnded, Environment.TickCount64);
        }
    }

    /// <summary>
    /// On shutdown (a deploy, a restart): brings every big snapshot this instance holds up to date and saves it when the
    /// file is older, so the next process loads a current file instead of catching up on everything written since the
    /// last periodic save (after a semantic tier pass, hundreds of thousands of rows: seconds of a first request).
    /// Bounded by <paramref name="ct"/> (the host's shutdown timeout); what it does not reach is caught up as before.
    /// </summary>
    public async Task SaveBeforeStopAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (o.SaveSnapshotMinItems < 0) return;
        foreach (var (mapId, entry) in _entries)
        {
            // A running refresh stops with the application; its snapshot, if it finished, is taken below.
            try { if (entry.Refreshing is { } running) await running.WaitAsync(ct); }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested) { }
            if (entry.Current is not { } current || current.Count < o.SaveSnapshotMinItems) continue;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
                var state = await MapEvidence.StateAsync(db, mapId, ct);
                if (state is null) continue;
                // No catch-up when the map's structure changed: the file cannot follow that either, so it is not worth saving.
                var latest = current.IsCurrentFor(state) ? current
                    : await current.CatchUpAsync(db, mapId, state, DateTime.UtcNow, ct, CommittedSince(entry, current.EvidenceVersion));
                if (latest is not null) Save(mapId, entry, latest);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not save the evidence snapshot of map {MapId} before stopping; the next start catches up from the last file", mapId);
            }
        }
    }

    /// <summary>
    /// Saves a big map's snapshot in the background (<see cref="InsightsOptions.SaveSnapshotMinItems"/>), right after a
    /// full build or a load and otherwise at most every <see cref="InsightsOptions.SaveSnapshotSeconds"/>, so a restarted
    /// instance loads it and catches up instead of reading every row again.
    /// </summary>
    private void SaveLater(Guid mapId, Entry entry, MapEvidence snapshot, bool now)
    {
        var o = options.Value;
        if (o.SaveSnapshotMinItems < 0 || snapshot.Count < o.SaveSnapshotMinItems) return;
        var last = Interlocked.Read(ref entry.LastSaved);
        if (!now && Environment.TickCount64 - last < o.SaveSnapshotSeconds * 1000L) return;
        if (Interlocked.CompareExchange(ref entry.LastSaved, Environment.TickCount64, last) != last) return;
        _ = Task.Run(() => Save(mapId, entry, snapshot));
    }

    private void Save(Guid mapId, Entry entry, MapEvidence snapshot)
    {
        lock (entry.Saving)
        {
            if (snapshot.AsOf <= entry.SavedAsOf) return; // the file already holds this snapshot or a later one
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                snapshot.Save(paths.SnapshotFile(mapId));
                entry.SavedAsOf = snapshot.AsOf;
                logger.LogDebug("Saved the evidence snapshot of map {MapId} ({Items} items) in {Milliseconds} ms", mapId, snapshot.Count, clock.ElapsedMilliseconds);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not save the evidence snapshot of map {MapId}; a restart will build it from the database", mapId);
            }
        }
    }

    /// <summary>
    /// Remembers in the database that the map's insights were read (at most every few minutes per map and instance), so
    /// the next start warms the maps people use (<see cref="InsightsWarmer"/>).
    /// </summary>
    private void RecordRead(Guid mapId, Entry entry)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref entry.LastRecordedRead);
        if (last != 0 && now - last < 10 * 60_000) return;
        if (Interlocked.CompareExchange(ref entry.LastRecordedRead, now, last) != last) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
                var at = Data.Timestamps.Now();
                await db.Maps.Where(m => m.Id == mapId).ExecuteUpdateAsync(u => u.SetProperty(m => m.InsightsReadAt, at), lifetime.ApplicationStopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not record that map {MapId} was read", mapId);
            }
        });
    }
}
