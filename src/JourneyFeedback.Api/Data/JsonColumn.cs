using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// Stores a small object graph that is always read and written whole (persona, lanes) as JSON text.
/// A plain text column keeps the schema identical on SQLite and PostgreSQL.
/// </summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The column's value as EF Core reads it, for raw readers on hot paths.</summary>
    public static T Read<T>(string json) where T : class, new() => JsonSerializer.Deserialize<T>(json, Options) ?? new T();

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class, new() =>
        property.HasConversion(
            value => JsonSerializer.Serialize(value, Options),
            json => Read<T>(json),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                value => JsonSerializer.Serialize(value, Options).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!));
}
