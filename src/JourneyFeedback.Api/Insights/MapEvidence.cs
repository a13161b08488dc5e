using System.Collections.Concurrent;
using System.Text.Json;
using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// Everything insights need about a map's feedback items, in compact columns (about 60 bytes an item), newest first.
/// Built once per (map version, evidence version) and then shared by every request: insights and evidence pages are
/// scans and binary searches over arrays instead of GROUP BYs over a million rows. Immutable once built.
/// </summary>
internal sealed class MapEvidence
{
    public const short Pending = -2;
    public const short Inbox = -1;
    public const byte Unknown = 0, Negative = 1, Neutral = 2, Positive = 3;
    public const int NeutralEmotionBit = 16;

    public required int MapVersion { get; init; }
    public required long EvidenceVersion { get; init; }
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

    private sealed record Row(
        Guid Id, Guid? TouchpointId, DateTime? MatchedAt, DateTime OccurredAt, string? Sentiment, double? Negative, double? Positive,
        string? Emotions, string? PainPoint, string? KeyPhrases, bool LowConfidence, bool IsQuestion, string Kind, string? Source,
        string? Channel, string? Language, Guid? ThemeId);

    public static async Task<MapEvidence> LoadAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        // Versions first: a write that lands while the items are read bumps them again, so the next request reloads.
        var versions = await db.Maps.AsNoTracking().Where(m => m.Id == mapId)
            .Select(m => new { m.Version, m.EvidenceVersion }).FirstAsync(ct);
        var touchpointIds = await db.Touchpoints.AsNoTracking().Where(t => t.MapId == mapId)
            .Join(db.Stages, t => t.StageId, s => s.Id, (t, s) => new { t.Id, StagePosition = s.Position, t.Position })
            .OrderBy(t => t.StagePosition).ThenBy(t => t.Position).Select(t => t.Id).ToArrayAsync(ct);

        var storedThemes = (await db.Themes.AsNoTracking().Where(t => t.MapId == mapId).OrderBy(t => t.TouchpointId).ThenBy(t => t.Id).ToListAsync(ct))
            .Select(t => new StoredTheme(t.Id, Array.IndexOf(touchpointIds, t.TouchpointId), t.Name, t.Category is { } c ? (sbyte)PainPointIndex(c) : (sbyte)-1,
                t.Phrases, t.ComputedAt))
            .Where(t => t.Touchpoint >= 0).ToArray();

        // Streamed into columns sized by a count first: the rows (with their JSON strings) are never all in memory.
        var items = db.FeedbackItems.AsNoTracking().Where(f => f.MapId == mapId);
        var columns = new ColumnBuilder(await items.CountAsync(ct), touchpointIds, storedThemes);
        var rows = items.OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Id)
            .Select(f => new Row(f.Id, f.TouchpointId, f.MatchedAt, f.OccurredAt, f.Sentiment, f.SentimentNegative, f.SentimentPositive,
                f.Emotions, f.PainPoint, f.KeyPhrases, f.LowConfidence, f.Text.Contains('?'), f.Kind, f.Source, f.Channel, f.DetectedLanguage, f.ThemeId))
            .AsAsyncEnumerable();
        await foreach (var r in rows.WithCancellation(ct))
        {
            // Rows stored between the count and the read would not fit: they are picked up by the next rebuild.
            if (columns.IsFull) break;
            columns.Add(r);
        }
        return columns.Build(versions.Version, versions.EvidenceVersion);
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

    private static int EmotionMask(string? json, Dictionary<string, int> bits)
    {
        if (json is not { Length: > 2 }) return 0;
        var mask = 0;
        using var document = JsonDocument.Parse(json);
        foreach (var emotion in document.RootElement.EnumerateArray())
        {
            var label = emotion.GetProperty("label").GetString();
            if (label == EmotionLabels.NeutralName) mask |= 1 << NeutralEmotionBit;
            else if (label is not null && bits.TryGetValue(label, out var bit)) mask |= 1 << bit;
        }
        return mask;
    }

    /// <summary>Fills the columns row by row, up to the count read before; strings become ids into interned lists.</summary>
    private sealed class ColumnBuilder
    {
        private static readonly Dictionary<string, int> EmotionBits = EmotionLabels.All.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i);

        private static readonly int NoneCategory = PainPointIndex(PainPointTaxonomy.None);

        private readonly Guid[] _touchpointIds;
        private readonly Dictionary<Guid, short> _touchpointIndex;
        private readonly StoredTheme[] _storedThemes;
        private readonly Dictionary<Guid, int> _storedThemeIndex;
        private readonly Interner _phrases = new(), _kinds = new(), _sources = new(), _channels = new(), _languages = new();
        private Guid[] _ids;
        private short[] _touchpoint, _kind, _source, _channel, _language;
        private long[] _ticks;
        private byte[] _sentiment;
        private float[] _negative, _positive;
        private int[] _emotions, _phrase1, _phrase2, _phrase3, _theme;
        private sbyte[] _painPoint;
        private bool[] _lowConfidence, _isQuestion;
        private int _count;

        public ColumnBuilder(int capacity, Guid[] touchpointIds, StoredTheme[] storedThemes)
        {
            _touchpointIds = touchpointIds;
            _storedThemes = storedThemes;
            _storedThemeIndex = storedThemes.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i);
            _theme = new int[capacity];
            _touchpointIndex = touchpointIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (short)p.i);
            _ids = new Guid[capacity];
            _touchpoint = new short[capacity]; _kind = new short[capacity]; _source = new short[capacity];
            _channel = new short[capacity]; _language = new short[capacity];
            _ticks = new long[capacity];
            _sentiment = new byte[capacity];
            _negative = new float[capacity]; _positive = new float[capacity];
            _emotions = new int[capacity]; _phrase1 = new int[capacity]; _phrase2 = new int[capacity]; _phrase3 = new int[capacity];
            _painPoint = new sbyte[capacity];
            _lowConfidence = new bool[capacity]; _isQuestion = new bool[capacity];
        }

        public bool IsFull => _count == _ids.Length;

        public void Add(Row r)
        {
            var i = _count++;
            _ids[i] = r.Id;
            _touchpoint[i] = r.TouchpointId is { } t ? _touchpointIndex.GetValueOrDefault(t, Inbox) : r.MatchedAt is null ? Pending : Inbox;
            _ticks[i] = r.OccurredAt.Ticks;
            _sentiment[i] = SentimentCode(r.Sentiment);
            _negative[i] = (float)(r.Negative ?? 0);
            _positive[i] = (float)(r.Positive ?? 0);
            _emotions[i] = EmotionMask(r.Emotions, EmotionBits);
            _painPoint[i] = (sbyte)(r.PainPoint is { } p ? PainPointIndex(p) : -1);
            var keyPhrases = r.KeyPhrases is { Length: > 2 } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
            _phrase1[i] = keyPhrases.Length > 0 ? _phrases.Id(keyPhrases[0]) : -1;
            _phrase2[i] = keyPhrases.Length > 1 ? _phrases.Id(keyPhrases[1]) : -1;
            _phrase3[i] = keyPhrases.Length > 2 ? _phrases.Id(keyPhrases[2]) : -1;
            _lowConfidence[i] = r.LowConfidence;
            _isQuestion[i] = r.IsQuestion;
            _kind[i] = (short)_kinds.Id(r.Kind);
            _source[i] = (short)_sources.Id(r.Source ?? "");
            _channel[i] = (short)_channels.Id(r.Channel ?? "");
            _language[i] = (short)_languages.Id(r.Language ?? "");
            var on = _touchpoint[i];
            var painPoint = _sentiment[i] == Negative && !r.LowConfidence && _painPoint[i] >= 0 && _painPoint[i] != NoneCategory;
            _theme[i] = on < 0 || !painPoint ? -1
                : r.ThemeId is { } themeId && _storedThemeIndex.TryGetValue(themeId, out var stored) && _storedThemes[stored].Touchpoint == on
                    ? _touchpointIds.Length * ThemeIndex.Slots + stored
                    : ThemeIndex.KeyOf(on, _painPoint[i]);
        }

        public MapEvidence Build(int mapVersion, long evidenceVersion)
        {
            if (_count < _ids.Length) TrimToCount();
            return new MapEvidence
            {
                MapVersion = mapVersion, EvidenceVersion = evidenceVersion, TouchpointIds = _touchpointIds,
                Ids = _ids, Touchpoint = _touchpoint, OccurredTicks = _ticks, Sentiment = _sentiment, NegativeScore = _negative, PositiveScore = _positive,
                Emotions = _emotions, PainPoint = _painPoint, Phrase1 = _phrase1, Phrase2 = _phrase2, Phrase3 = _phrase3,
                LowConfidence = _lowConfidence, IsQuestion = _isQuestion, Kind = _kind, Source = _source, Channel = _channel, Language = _language,
                Phrases = _phrases.ToArray(), Kinds = _kinds.ToArray(), Sources = _sources.ToArray(), Channels = _channels.ToArray(),
                Languages = _languages.ToArray(), Theme = _theme, StoredThemes = _storedThemes,
            };
        }

        /// <summary>Rows deleted between the count and the read: every column shrinks to what was read.</summary>
        private void TrimToCount()
        {
            var n = _count;
            Array.Resize(ref _ids, n); Array.Resize(ref _touchpoint, n); Array.Resize(ref _kind, n); Array.Resize(ref _source, n);
            Array.Resize(ref _channel, n); Array.Resize(ref _language, n); Array.Resize(ref _ticks, n); Array.Resize(ref _sentiment, n);
            Array.Resize(ref _negative, n); Array.Resize(ref _positive, n); Array.Resize(ref _emotions, n); Array.Resize(ref _phrase1, n);
            Array.Resize(ref _phrase2, n); Array.Resize(ref _phrase3, n); Array.Resize(ref _painPoint, n); Array.Resize(ref _lowConfidence, n);
            Array.Resize(ref _isQuestion, n); Array.Resize(ref _theme, n);
        }
    }

    private sealed class Interner
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _values = [];

        public int Id(string value)
        {
            if (_ids.TryGetValue(value, out var id)) return id;
            _ids[value] = _values.Count;
            _values.Add(value);
            return _values.Count - 1;
        }

        public string[] ToArray() => [.. _values];
    }
}

/// <summary>A pain-point theme found by meaning (Semantic.Theme), as insights show it.</summary>
internal sealed record StoredTheme(Guid Id, int Touchpoint, string Name, sbyte Category, IReadOnlyList<string> Phrases, DateTime ComputedAt);

/// <summary>
/// The current <see cref="MapEvidence"/> of each map. A request checks the map's two version numbers (one indexed
/// read); when they moved, one rebuild runs and concurrent requests for that map wait for it instead of starting
/// their own.
/// </summary>
internal sealed class MapEvidenceCache(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<Guid, MapEvidence> _current = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<MapEvidence> GetAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        var versions = await db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => new { m.Version, m.EvidenceVersion }).FirstAsync(ct);
        if (IsCurrent(mapId, versions.Version, versions.EvidenceVersion, out var cached)) return cached!;

        var gate = _locks.GetOrAdd(mapId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (IsCurrent(mapId, versions.Version, versions.EvidenceVersion, out cached)) return cached!;
            await using var scope = scopes.CreateAsyncScope();
            var evidence = await MapEvidence.LoadAsync(scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>(), mapId, ct);
            _current[mapId] = evidence;
            return evidence;
        }
        finally
        {
            gate.Release();
        }
    }

    // A snapshot at least as new as the versions read is current (another request may already have rebuilt it).
    private bool IsCurrent(Guid mapId, int mapVersion, long evidenceVersion, out MapEvidence? evidence) =>
        _current.TryGetValue(mapId, out evidence) && evidence.MapVersion >= mapVersion && evidence.EvidenceVersion >= evidenceVersion;
}
