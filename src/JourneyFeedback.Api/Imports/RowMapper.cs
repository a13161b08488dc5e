using System.Globalization;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace JourneyFeedback.Api.Imports;

/// <summary>A CSV record turned into the fields of a feedback item.</summary>
internal sealed record MappedRow(
    long LineNumber, string Text, string? ExternalId, string? CustomerId, DateTime OccurredAt, string? Channel, string? Source,
    double? Rating, double? RatingScale, string? Title, string? Language, string? Participant, string? Question,
    string? MetadataJson, string ContentHash, string DedupKey, KeyValuePair<string, string>[]? CustomerAttributes = null);

/// <summary>A CSV record of an analytics export turned into the fields of a customer event.</summary>
internal sealed record MappedEvent(
    long LineNumber, string CustomerId, DateTime OccurredAt, string? Name, string? Url, string? Path, string? SessionId, string? PropertiesJson,
    string DedupKey);

/// <summary>A row of a customers file: the customer and its attributes, keys and values normalised (empty cells left out).</summary>
internal sealed record MappedCustomer(long LineNumber, string CustomerId, KeyValuePair<string, string>[] Attributes);

internal sealed record RowRejection(long LineNumber, string? Column, string Reason, string? Excerpt);

/// <summary>Maps one record to a feedback item, or says exactly why it cannot be used. Pure, so it is unit-tested.</summary>
internal sealed class RowMapper(string kind, ResolvedMapping mapping, DateParser dates, double? ratingScale, bool redact, DateTime fallbackDate)
{
    public const int MaxTextLength = 50_000;

    /// <summary>Per column: not filled by a field (so metadata), and the attribute key its header makes (null: none).</summary>
    private readonly bool[] _unmapped = [.. mapping.Header.Select((_, i) => !mapping.FieldToColumn.Values.Contains(i))];
    private readonly string?[] _attributeKeys = [.. mapping.Header.Select((h, i) => mapping.AttributeColumns.Contains(i) ? Segments.CustomerAttributes.Key(h) : null)];

    /// <summary>A customers file's attribute columns (empty for other kinds).</summary>
    private readonly (int Column, string Key)[] _customerColumns =
        kind == ImportKinds.Customers ? CustomerFields.AttributeColumns(mapping, out _) ?? [] : [];

    public (MappedRow? Row, RowRejection? Rejection) Map(long lineNumber, string[] record, bool unterminatedQuote)
    {
        if (Malformed(lineNumber, record, unterminatedQuote) is { } malformed) return (null, malformed);
        var header = mapping.Header;

        var text = Field(record, ImportFields.Text);
        if (text is null) return Reject(lineNumber, header[mapping.Column(ImportFields.Text)!.Value], "No text: a feedback item needs text.", record);
        if (text.Length > MaxTextLength)
            return Reject(lineNumber, header[mapping.Column(ImportFields.Text)!.Value], $"The text has {text.Length} characters; at most {MaxTextLength}.", record);

        var occurredAt = fallbackDate;
        if (Field(record, ImportFields.OccurredAt) is { } date && !dates.TryParse(date, out occurredAt, out var dateProblem))
            return Reject(lineNumber, header[mapping.Column(ImportFields.OccurredAt)!.Value], dateProblem!, record);

        double? rating = null;
        if (Field(record, ImportFields.Rating) is { } ratingText)
        {
            if (!TryParseRating(ratingText, out var value) || value < 0)
                return Reject(lineNumber, header[mapping.Column(ImportFields.Rating)!.Value], $"'{ratingText}' is not a rating (a number).", record);
            rating = value;
        }

        var title = Limit(Field(record, ImportFields.Title), 500);
        if (redact)
        {
            text = PersonalDataRedactor.Redact(text);
            if (title is not null) title = PersonalDataRedactor.Redact(title);
        }
        var externalId = Limit(Field(record, ImportFields.ExternalId), 200);
        var customerId = Limit(Field(record, ImportFields.CustomerId), 200);
        var source = Limit(Field(record, ImportFields.Source), 100);
        var participant = Limit(Field(record, ImportFields.Participant), 200);
        var question = Limit(Field(record, ImportFields.Question), 2000);
        var hash = ContentHash(text, occurredAt, customerId, source, title, participant, question);
        // External ids usually arrive in order, so their keys append to the unique index cheaply; kind and source
        // keep ids of different systems apart. Without an id, a short form of the content hash is the key.
        var dedupKey = externalId is null ? "h:" + ShortHash(hash) : $"x:{kind}:{source}:{externalId}";

        return (new MappedRow(lineNumber, text, externalId, customerId, occurredAt, Limit(Field(record, ImportFields.Channel), 50), source,
            rating, rating is null ? null : ratingScale ?? GuessScale(rating.Value), title, Limit(Field(record, ImportFields.Language), 20),
            participant, question, Metadata(record, customerId, out var attributes), hash, dedupKey, attributes), null);
    }

    /// <summary>A row of a customers file: the id, and every non-empty other cell as an attribute (an empty cell changes nothing).</summary>
    public (MappedCustomer? Customer, RowRejection? Rejection) MapCustomer(long lineNumber, string[] record, bool unterminatedQuote)
    {
        if (Malformed(lineNumber, record, unterminatedQuote) is { } malformed) return (null, malformed);
        var idColumn = mapping.Header[mapping.Column(CustomerFields.CustomerId)!.Value];
        var customerId = Field(record, CustomerFields.CustomerId);
        if (customerId is null) return (null, Reject(lineNumber, idColumn, "No customer id: attributes belong to a customer.", record).Item2);
        if (customerId.Length > CustomerFields.MaxCustomerIdLength)
            return (null, Reject(lineNumber, idColumn,
                $"The customer id has {customerId.Length} characters; at most {CustomerFields.MaxCustomerIdLength}.", record).Item2);
        var attributes = new List<KeyValuePair<string, string>>(_customerColumns.Length);
        foreach (var (column, key) in _customerColumns)
        {
            if (string.IsNullOrWhiteSpace(record[column])) continue;
            var cell = record[column].Trim();
            if (Segments.CustomerAttributes.Value(redact ? PersonalDataRedactor.Redact(cell) : cell) is { } value) attributes.Add(new(key, value));
        }
        return (new MappedCustomer(lineNumber, customerId, [.. attributes]), null);
    }

    /// <summary>An analytics event: a customer, a time and an event name or URL; every other column is a property.</summary>
    public (MappedEvent? Event, RowRejection? Rejection) MapEvent(long lineNumber, string[] record, bool unterminatedQuote)
    {
        if (Malformed(lineNumber, record, unterminatedQuote) is { } malformed) return (null, malformed);
        var header = mapping.Header;
        var customerId = Field(record, EventFields.CustomerId);
        if (customerId is null) return RejectEvent(header[mapping.Column(EventFields.CustomerId)!.Value], "No customer id: an event belongs to a customer's journey.");
        var name = Limit(Field(record, EventFields.Event), 200);
        var url = Field(record, EventFields.Url);
        if (name is null && url is null)
        {
            var column = mapping.Column(EventFields.Event) ?? mapping.Column(EventFields.Url)!.Value;
            return RejectEvent(header[column], "No event name and no URL: rules need one of them to place the event.");
        }
        if (Field(record, EventFields.OccurredAt) is not { } date)
            return RejectEvent(header[mapping.Column(EventFields.OccurredAt)!.Value], "No time: an event needs one to take its place in a journey.");
        if (!dates.TryParse(date, out var occurredAt, out var dateProblem))
            return RejectEvent(header[mapping.Column(EventFields.OccurredAt)!.Value], dateProblem!);

        var path = Limit(Journeys.CompiledEventRules.PathOf(url), 1000);
        if (url is not null && redact && url.IndexOfAny(['?', '#']) is var query and >= 0)
            url = url[..query] + RedactQuery(url[query..]); // paths hold order numbers, queries hold e-mails
        url = Limit(url, 2000);
        customerId = Limit(customerId, 200)!;
        var sessionId = Limit(Field(record, EventFields.SessionId), 200);
        var eventId = Limit(Field(record, EventFields.EventId), 200);
        // The time leads the key: exports are written in time order, so keys arrive in index order and each batch
        // appends to the unique index instead of rewriting pages all over it (1M events: 29 s → 6 s of SQLite's own
        // time in a probe; docs/benchmarks.md). An event id then dedups together with its time, as exports repeat both.
        var dedupKey = occurredAt.Ticks.ToString("D18", CultureInfo.InvariantCulture) + (eventId is not null
            ? $"|x:{eventId}"
            : "|h:" + ShortHash(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
                customerId, name, url, sessionId))))));
        return (new MappedEvent(lineNumber, customerId, occurredAt, name, url, path, sessionId, Metadata(record, null, out _), dedupKey), null);

        (MappedEvent?, RowRejection?) RejectEvent(string column, string reason) => (null, Reject(lineNumber, column, reason, record).Item2);
    }

    /// <summary>
    /// A query string with personal data redacted; an encoded one ("q=jane%40example.com", "+" for spaces) is read decoded,
    /// so what it hides is found too (the query is then kept decoded).
    /// </summary>
    internal static string RedactQuery(string query)
    {
        var redacted = PersonalDataRedactor.Redact(query);
        if (!query.Contains('%')) return redacted;
        string decoded;
        try { decoded = Uri.UnescapeDataString(query.Replace('+', ' ')); }
        catch (UriFormatException) { return redacted; }
        var decodedRedacted = PersonalDataRedactor.Redact(decoded);
        return decodedRedacted == decoded ? redacted : decodedRedacted;
    }

    /// <summary>Why a record cannot be read as a row at all (quotes, field count, NUL), or null.</summary>
    private RowRejection? Malformed(long lineNumber, string[] record, bool unterminatedQuote)
    {
        var header = mapping.Header;
        if (unterminatedQuote)
            return Reject(lineNumber, null, "A quoted field is malformed or never closed (it may run to the end of the file); check the quotes on this line.", record).Item2;
        if (record.Length != header.Count)
            return Reject(lineNumber, null, $"The row has {record.Length} fields; the header has {header.Count}.", record).Item2;
        if (Array.FindIndex(record, f => !StorableText.IsStorable(f)) is var nul and >= 0)
            return Reject(lineNumber, header[nul], "The row contains a NUL character (U+0000), which cannot be stored; remove it from the file.", record).Item2;
        return null;
    }

    private string? Field(string[] record, string field) =>
        mapping.Column(field) is { } index && !string.IsNullOrWhiteSpace(record[index]) ? record[index].Trim() : null;

    /// <summary>
    /// Columns nobody mapped are kept as metadata, so nothing in the file is lost. A row with a customer id also gives
    /// those the mapping names in <c>customerAttributes</c>, normalised, as that customer's attributes
    /// (<paramref name="attributes"/>; docs/segments.md).
    /// </summary>
    private string? Metadata(string[] record, string? customerId, out KeyValuePair<string, string>[]? attributes)
    {
        Dictionary<string, string>? metadata = null;
        List<KeyValuePair<string, string>>? customer = null;
        for (var i = 0; i < record.Length; i++)
        {
            if (!_unmapped[i] || string.IsNullOrWhiteSpace(record[i])) continue;
            var value = record[i].Trim();
            if (redact) value = PersonalDataRedactor.Redact(value);
            (metadata ??= new Dictionary<string, string>(StringComparer.Ordinal))[mapping.Header[i].Trim()] = value;
            if (customerId is not null && _attributeKeys[i] is { } key && Segments.CustomerAttributes.Value(value) is { } normalised)
                (customer ??= []).Add(new(key, normalised));
        }
        attributes = customer?.ToArray();
        return metadata is null ? null : JsonSerializer.Serialize(metadata);
    }

    internal static string ContentHash(string text, DateTime occurredAt, string? customerId, string? source, string? title, string? participant, string? question)
    {
        var content = string.Join('\u001f', text, occurredAt.ToString("O", CultureInfo.InvariantCulture), customerId, source, title, participant, question);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>The first 128 bits of the hex content hash as base64url (22 characters), to keep the index small.</summary>
    private static string ShortHash(string hexHash) =>
        Convert.ToBase64String(Convert.FromHexString(hexHash.AsSpan(0, 32))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A number with a point or a decimal comma ("4,5"), in any culture.</summary>
    internal static bool TryParseRating(string text, out double rating) =>
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out rating);

    /// <summary>
    /// Without a stated scale, from the highest rating seen (a file's sample, or the row itself): up to 5 is a 5-star
    /// scale, up to 10 a 10-point scale, else 100.
    /// </summary>
    internal static double GuessScale(double highestRating) => highestRating <= 5 ? 5 : highestRating <= 10 ? 10 : 100;

    private static string? Limit(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private static (MappedRow?, RowRejection?) Reject(long line, string? column, string reason, string[] record)
    {
        var excerpt = StorableText.Printable(string.Join(',', record))!;
        return (null, new RowRejection(line, StorableText.Printable(column), reason, excerpt.Length <= 200 ? excerpt : excerpt[..200] + "…"));
    }
}
