using System.Text.Json;
using System.Text.Json.Serialization;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// PostgreSQL cannot store U+0000 in text; SQLite can. Input carrying it is refused where it enters (JSON bodies, query
/// strings, survey answers, CSV rows), on both engines alike, so they accept exactly the same data and neither answers 500.
/// </summary>
internal static class StorableText
{
    public const string Problem = "Must not contain NUL (U+0000) characters.";

    public static bool IsStorable(string? value) => value is null || !value.Contains('\0');

    /// <summary>For echoing input back (rejection excerpts, column names): NUL shown as the replacement character.</summary>
    public static string? Printable(string? value) => value?.Replace('\0', '\uFFFD');

    /// <summary>Query strings and paths: 400 before any handler (or the database) sees the value.</summary>
    public static Task RefuseNulInUrl(HttpContext context, RequestDelegate next)
    {
        var query = context.Request.QueryString.Value;
        if ((query is not null && query.Contains("%00", StringComparison.Ordinal)) || context.Request.Path.Value?.Contains('\0') == true)
            throw new BadHttpRequestException("The URL contains a NUL (%00) character.", StatusCodes.Status400BadRequest);
        return next(context);
    }
}

/// <summary>Every string in a JSON request body (values and dictionary keys) goes through here.</summary>
internal sealed class StorableStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? Check(reader.GetString())
            : throw new JsonException("The JSON value could not be converted to System.String."); // the built-in converter's words

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Check(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string? Check(string? value) => StorableText.IsStorable(value) ? value : throw new JsonException(StorableText.Problem);
}
