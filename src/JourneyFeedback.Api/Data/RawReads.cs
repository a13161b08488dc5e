using System.Data.Common;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// Typed getters for the raw readers of measured hot paths (a map's evidence snapshot, its journey log), which read
/// millions of rows without entity materialisation: GUIDs as SQLite stores them (<see cref="SqliteGuid"/>) or as uuid.
/// </summary>
internal static class RawReads
{
    public static Guid Id(DbDataReader reader, int i, bool blobs) =>
        blobs ? SqliteGuid.FromBytes(reader.GetFieldValue<byte[]>(i)) : reader.GetGuid(i);

    public static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    /// <summary>A parameter bound as the engine stores it (a GUID as a blob on SQLite).</summary>
    public static void Parameter(DbCommand command, string name, object value, bool blobs)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = blobs && value is Guid guid ? SqliteGuid.ToBytes(guid) : value;
        command.Parameters.Add(parameter);
    }
}
