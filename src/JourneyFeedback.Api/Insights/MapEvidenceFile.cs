using System.Runtime.InteropServices;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Insights;

/// <summary>
/// A snapshot saved to disk and loaded back: its columns as raw arrays and its string tables. Only a cache: a loaded
/// snapshot is as of the version it was saved at and catches up on the rows changed since, like any other, and one
/// that cannot (the map's structure changed, an item left it, another format) is not used. Reading 1,000,000 items back
/// costs a file read instead of a query over every row of the map.
/// </summary>
internal sealed partial class MapEvidence
{
    private const int FileFormat = 2;
    private const long FileMagic = 0x4A46534E41505331; // "JFSNAPS1"

    /// <summary>Writes the snapshot to <paramref name="path"/> (a temporary file, then renamed over it: readers never see half a file).</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(FileMagic);
            w.Write(FileFormat);
            w.Write(MapVersion);
            w.Write(EvidenceVersion);
            w.Write(AsOf.Ticks);
            Write(w, TouchpointIds);
            Write(w, Ids); Write(w, Touchpoint); Write(w, OccurredTicks); Write(w, Sentiment); Write(w, NegativeScore); Write(w, PositiveScore);
            Write(w, Emotions); Write(w, PainPoint); Write(w, Phrase1); Write(w, Phrase2); Write(w, Phrase3); Write(w, LowConfidence);
            Write(w, IsQuestion); Write(w, Kind); Write(w, Source); Write(w, Channel); Write(w, Language); Write(w, ThemeRef); Write(w, ThemeRefIds);
            Write(w, Customer);
            foreach (var table in (string[][])[Phrases, Kinds, Sources, Channels, Languages, CustomerIds])
            {
                w.Write(table.Length);
                foreach (var value in table) w.Write(value);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The snapshot saved at <paramref name="path"/>, if there is one this map's <paramref name="state"/> can catch up
    /// from (same structure, no item left the map since); the caller then catches it up. Null otherwise.
    /// </summary>
    public static async Task<MapEvidence?> LoadSavedAsync(JourneyFeedbackDb db, Guid mapId, string path, MapState state, CancellationToken ct)
    {
        if (!File.Exists(path)) return null;
        var reading = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(stream);
            if (r.ReadInt64() != FileMagic || r.ReadInt32() != FileFormat) return null;
            var mapVersion = r.ReadInt32();
            var evidenceVersion = r.ReadInt64();
            var asOf = new DateTime(r.ReadInt64(), DateTimeKind.Utc);
            if (!CanCatchUp(mapVersion, evidenceVersion, state)) return null;
            var saved = new MapState(mapVersion, evidenceVersion, 0, state.ThemesComputedAt);

            var touchpointIds = Read<Guid>(r);
            var tables = ItemTables.Empty;
            var c = new ItemColumns(tables, touchpointIds)
            {
                Ids = Read<Guid>(r), Touchpoint = Read<short>(r), Ticks = Read<long>(r), Sentiment = Read<byte>(r), Negative = Read<float>(r),
                Positive = Read<float>(r), Emotions = Read<int>(r), PainPoint = Read<sbyte>(r), Phrase1 = Read<int>(r), Phrase2 = Read<int>(r),
                Phrase3 = Read<int>(r), LowConfidence = Read<bool>(r), IsQuestion = Read<bool>(r), Kind = Read<short>(r), Source = Read<short>(r),
                Channel = Read<short>(r), Language = Read<short>(r), ThemeRef = Read<int>(r),
            };
            foreach (var id in Read<Guid>(r)) tables.ThemeIds.Id(id);
            c.Customer = Read<int>(r);
            foreach (var table in (Interner<string>[])[tables.Phrases, tables.Kinds, tables.Sources, tables.Channels, tables.Languages, tables.Customers])
            {
                var count = r.ReadInt32();
                for (var k = 0; k < count; k++) table.Id(r.ReadString());
            }
            var storedThemes = await StoredThemesAsync(db, mapId, touchpointIds, ct);
            return Create(saved, asOf, touchpointIds, storedThemes, c, reading.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or InvalidDataException or OverflowException or OutOfMemoryException)
        {
            return null; // a damaged or partial file is only a missed shortcut
        }
    }

    private static void Write<T>(BinaryWriter w, T[] values) where T : unmanaged
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] Read<T>(BinaryReader r) where T : unmanaged
    {
        var length = r.ReadInt32();
        if (length < 0) throw new InvalidDataException("Negative length.");
        var values = GC.AllocateUninitializedArray<T>(length);
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
