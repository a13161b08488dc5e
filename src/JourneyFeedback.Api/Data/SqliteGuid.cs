using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// SQLite has no uuid type. GUIDs are stored as 16-byte blobs in RFC 9562 byte order (big-endian, as PostgreSQL's
/// uuid): less than half of EF Core's default 36-character text in every key, foreign key and index entry (a 1M-row
/// import writes about a quarter fewer bytes), and sorted the same way on both engines, so version 7 ids stay in time order.
/// </summary>
internal static class SqliteGuid
{
    public static byte[] ToBytes(Guid value) => value.ToByteArray(bigEndian: true);

    /// <summary>The same 16 bytes into a caller's buffer, for hot paths that bind without allocating.</summary>
    public static void Write(Guid value, Span<byte> destination) => value.TryWriteBytes(destination, bigEndian: true, out _);

    public static Guid FromBytes(byte[] bytes) => new(bytes, bigEndian: true);
}

internal sealed class SqliteGuidConverter() : ValueConverter<Guid, byte[]>(g => SqliteGuid.ToBytes(g), b => SqliteGuid.FromBytes(b));
