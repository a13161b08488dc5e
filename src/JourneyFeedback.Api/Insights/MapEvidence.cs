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
        string? Channel, string? Language);

    public static async Task<MapEvidence> LoadAsync(JourneyFeedbackDb db, Guid mapId, CancellationToken ct)
    {
        // Versions first: a write that lands while the items are read bumps them again, so the next request reloads.
        var versions = await db.Maps.AsNoTracking().Where(m => m.Id == mapId)
            .Select(m => new { m.Version, m.EvidenceVersion }).FirstAsync(ct);
        var touchpointIds = await db.Touchpoints.AsNoTracking().Where(t => t.MapId == mapId)
            .Join(db.Stages, t => t.StageId, s => s.Id, (t, s) => new { t.Id, StagePosition = s.Position, t.Position })
            .OrderBy(t => t.StagePosition).ThenBy(t => t.Position).Select(t => t.Id).ToArrayAsync(ct);
        var touchpointIndex = touchpointIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (short)p.i);

        // Streamed into columns sized by a count first: the rows (with their JSON strings) are never all in memory.
        var items = db.FeedbackItems.AsNoTracking().Where(f => f.MapId == mapId);
        var n = await items.CountAsync(ct);
        var rows = items.OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Id)
            .Select(f => new Row(f.Id, f.TouchpointId, f.MatchedAt, f.OccurredAt, f.Sentiment, f.SentimentNegative, f.SentimentPositive,
                f.Emotions, f.PainPoint, f.KeyPhrases, f.LowConfidence, f.Text.Contains('?'), f.Kind, f.Source, f.Channel, f.DetectedLanguage))
            .AsAsyncEnumerable();

        var phrases = new Interner();
        var kinds = new Interner();
        var sources = new Interner();
        var channels = new Interner();
        var languages = new Interner();
        var emotionBits = EmotionLabels.All.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i);
        Guid[] ids = new Guid[n];
        short[] touchpoint = new short[n], kind = new short[n], source = new short[n], channel = new short[n], language = new short[n];
        long[] ticks = new long[n];
        byte[] sentiment = new byte[n];
        float[] negative = new float[n], positive = new float[n];
        int[] emotions = new int[n], phrase1 = new int[n], phrase2 = new int[n], phrase3 = new int[n];
        sbyte[] painPoint = new sbyte[n];
        bool[] lowConfidence = new bool[n], isQuestion = new bool[n];
        var i = 0;
        await foreach (var r in rows.WithCancellation(ct))
        {
            // Rows stored between the count and the read would not fit: they are picked up by the next rebuild.
            if (i == n) break;
            ids[i] = r.Id;
            touchpoint[i] = r.TouchpointId is { } t ? touchpointIndex.GetValueOrDefault(t, Inbox) : r.MatchedAt is null ? Pending : Inbox;
            ticks[i] = r.OccurredAt.Ticks;
            sentiment[i] = r.Sentiment switch
            {
                SentimentLabels.Negative => Negative,
                SentimentLabels.Neutral => Neutral,
                SentimentLabels.Positive => Positive,
                _ => Unknown,
            };
            negative[i] = (float)(r.Negative ?? 0);
            positive[i] = (float)(r.Positive ?? 0);
            emotions[i] = EmotionMask(r.Emotions, emotionBits);
            painPoint[i] = (sbyte)(r.PainPoint is { } p ? PainPointIndex(p) : -1);
            var keyPhrases = r.KeyPhrases is { Length: > 2 } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
            phrase1[i] = keyPhrases.Length > 0 ? phrases.Id(keyPhrases[0]) : -1;
            phrase2[i] = keyPhrases.Length > 1 ? phrases.Id(keyPhrases[1]) : -1;
            phrase3[i] = keyPhrases.Length > 2 ? phrases.Id(keyPhrases[2]) : -1;
            lowConfidence[i] = r.LowConfidence;
            isQuestion[i] = r.IsQuestion;
            kind[i] = (short)kinds.Id(r.Kind);
            source[i] = (short)sources.Id(r.Source ?? "");
            channel[i] = (short)channels.Id(r.Channel ?? "");
            language[i] = (short)languages.Id(r.Language ?? "");
            i++;
        }
        if (i < n)
        {
            // Rows deleted between the count and the read: trim every column to what was read.
            n = i;
            Array.Resize(ref ids, n); Array.Resize(ref touchpoint, n); Array.Resize(ref kind, n); Array.Resize(ref source, n);
            Array.Resize(ref channel, n); Array.Resize(ref language, n); Array.Resize(ref ticks, n); Array.Resize(ref sentiment, n);
            Array.Resize(ref negative, n); Array.Resize(ref positive, n); Array.Resize(ref emotions, n); Array.Resize(ref phrase1, n);
            Array.Resize(ref phrase2, n); Array.Resize(ref phrase3, n); Array.Resize(ref painPoint, n); Array.Resize(ref lowConfidence, n);
            Array.Resize(ref isQuestion, n);
        }
        return new MapEvidence
        {
            MapVersion = versions.Version, EvidenceVersion = versions.EvidenceVersion, TouchpointIds = touchpointIds,
            Ids = ids, Touchpoint = touchpoint, OccurredTicks = ticks, Sentiment = sentiment, NegativeScore = negative, PositiveScore = positive,
            Emotions = emotions, PainPoint = painPoint, Phrase1 = phrase1, Phrase2 = phrase2, Phrase3 = phrase3,
            LowConfidence = lowConfidence, IsQuestion = isQuestion, Kind = kind, Source = source, Channel = channel, Language = language,
            Phrases = phrases.ToArray(), Kinds = kinds.ToArray(), Sources = sources.ToArray(), Channels = channels.ToArray(),
            Languages = languages.ToArray(),
        };
    }

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
