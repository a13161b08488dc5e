using JourneyFeedback.Api.Hosting;
using System.Text.Json;

namespace JourneyFeedback.Api.Imports;

/// <summary>The fields of a feedback item a CSV column can fill.</summary>
internal static class ImportFields
{
    public const string Text = "text";
    public const string ExternalId = "externalId";
    public const string CustomerId = "customerId";
    public const string OccurredAt = "occurredAt";
    public const string Channel = "channel";
    public const string Source = "source";
    public const string Rating = "rating";
    public const string Title = "title";
    public const string Language = "language";
    public const string Participant = "participant";
    public const string Question = "question";

    /// <summary>Header synonyms per field, compared after lower-casing and removing everything but letters and digits.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Synonyms = new Dictionary<string, string[]>
    {
        [Text] = ["text", "body", "message", "description", "comment", "comments", "content", "review", "reviewtext", "reviewcontent", "reviewbody",
            "feedback", "complaint", "complainttext", "verbatim", "answer", "response", "transcript", "notes", "details", "messagebody", "chattext"],
        [ExternalId] = ["externalid", "id", "ticketid", "ticket", "ticketnumber", "caseid", "casenumber", "reviewid", "messageid", "conversationid",
            "chatid", "recordid", "complaintid", "referencenumber", "reviewlink"],
        [CustomerId] = ["customerid", "customer", "customernumber", "userid", "clientid", "accountid", "requesterid", "referenceid", "memberid"],
        [OccurredAt] = ["occurredat", "date", "datetime", "timestamp", "time", "created", "createdat", "createddate", "createdutc", "submittedat",
            "submitted", "reviewdate", "reviewcreatedutc", "reviewsubmitdateandtime", "receivedat", "received", "opened", "openedat", "interviewdate"],
        [Channel] = ["channel", "via", "medium", "contactchannel", "sourcechannel"],
        [Source] = ["source", "platform", "site", "store", "sourceofreview", "origin", "appstore"],
        [Rating] = ["rating", "stars", "starrating", "reviewstars", "score", "satisfactionscore", "csat", "reviewrating"],
        [Title] = ["title", "subject", "summary", "headline", "reviewtitle", "topic"],
        [Language] = ["language", "lang", "locale", "reviewerlanguage"],
        [Participant] = ["participant", "participantid", "interviewee", "respondent", "respondentid", "speaker"],
        [Question] = ["question", "prompt", "interviewquestion", "questiontext"],
    };

    public static readonly string[] All = [.. Synonyms.Keys];

    /// <summary>The fields of the kind's rows: analytics events and customers have their own (<see cref="EventFields"/>, <see cref="CustomerFields"/>).</summary>
    public static IReadOnlyDictionary<string, string[]> For(string kind) => kind switch
    {
        ImportKinds.Events => EventFields.Synonyms,
        ImportKinds.Customers => CustomerFields.Synonyms,
        _ => Synonyms,
    };

    public static string NormalizeHeader(string header) =>
        new(header.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}

/// <summary>
/// The fields of an analytics event (<c>kind=events</c>), with the column names GA4 (BigQuery export), PostHog, Mixpanel,
/// Amplitude and Segment exports use.
/// </summary>
internal static class EventFields
{
    public const string EventId = ImportFields.ExternalId;
    public const string CustomerId = ImportFields.CustomerId;
    public const string OccurredAt = ImportFields.OccurredAt;
    public const string Event = "event";
    public const string Url = "url";
    public const string SessionId = "sessionId";

    public static readonly IReadOnlyDictionary<string, string[]> Synonyms = new Dictionary<string, string[]>
    {
        [EventId] = ["eventid", "externalid", "id", "uuid", "insertid", "messageid", "eventuuid"],
        [CustomerId] = ["customerid", "userid", "distinctid", "personid", "userpseudoid", "clientid", "anonymousid", "customer", "accountid",
            "memberid", "deviceid"],
        [OccurredAt] = ["timestamp", "eventtimestamp", "time", "eventtime", "occurredat", "datetime", "date", "createdat", "receivedat", "sentat",
            "clienteventtime"],
        [Event] = ["event", "eventname", "eventtype", "action", "name", "type"],
        [Url] = ["url", "pageurl", "pagelocation", "currenturl", "page", "pagepath", "path", "pathname", "screenname", "screen", "pagetitle"],
        [SessionId] = ["sessionid", "gasessionid", "session"],
    };

    /// <summary>What an events file cannot do without; null when its columns have it.</summary>
    public static string? Missing(IReadOnlyDictionary<string, int> fields)
    {
        if (!fields.ContainsKey(CustomerId)) return "No column holds the customer id (user_id, distinct_id, customer_id, ...); map one to \"customerId\".";
        if (!fields.ContainsKey(OccurredAt)) return "No column holds the event time (timestamp, event_timestamp, time, ...); map one to \"occurredAt\".";
        if (!fields.ContainsKey(Event) && !fields.ContainsKey(Url)) return "No column holds the event name or the page URL; map one to \"event\" or \"url\".";
        return null;
    }
}

/// <summary>
/// A customers file (<c>kind=customers</c>): one column holds the customer id, every other column is an attribute named
/// by its header, normalised by <see cref="Segments.CustomerAttributes.Key"/> (docs/segments.md).
/// </summary>
internal static class CustomerFields
{
    public const string CustomerId = ImportFields.CustomerId;
    public const int MaxCustomerIdLength = 200;
    public const int MaxAttributeColumns = 100;

    public static readonly IReadOnlyDictionary<string, string[]> Synonyms = new Dictionary<string, string[]>
    {
        [CustomerId] = ["customerid", "customer", "clientid", "userid", "id", "customernumber", "accountid", "memberid", "distinctid", "externalid"],
    };

    /// <summary>
    /// Every column but the id, with its attribute key. Columns whose header has no letter or digit are left out (a
    /// trailing delimiter makes one). Null, with the reason, when two headers make the same key or there are too many.
    /// </summary>
    public static (int Column, string Key)[]? AttributeColumns(ResolvedMapping mapping, out string? error)
    {
        error = null;
        var idColumn = mapping.Column(CustomerId);
        var columns = new List<(int Column, string Key)>();
        var headerOfKey = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < mapping.Header.Count; i++)
        {
            if (i == idColumn || Segments.CustomerAttributes.Key(mapping.Header[i]) is not { } key) continue;
            if (headerOfKey.TryGetValue(key, out var other))
            {
                error = $"Columns '{other}' and '{mapping.Header[i]}' both name the attribute '{key}' (keys keep only letters and digits, "
                    + "lower-cased); rename or remove one of them.";
                return null;
            }
            headerOfKey[key] = mapping.Header[i];
            columns.Add((i, key));
        }
        if (columns.Count > MaxAttributeColumns)
        {
            error = $"The file has {columns.Count} attribute columns; at most {MaxAttributeColumns}. Split it into several files by columns "
                + "(each with the customer id): attributes a file does not name are kept.";
            return null;
        }
        return [.. columns];
    }
}

/// <summary>An explicit mapping sent with the upload: <c>{"Review Text": "text", ...}</c> or <c>{"columns": {...}, "dateFormat": "dd/MM/yyyy", "ratingScale": 5}</c>.</summary>
/// <summary>
/// An explicit mapping: column → field, the date format and rating scale, and <c>CustomerAttributes</c>: columns of a
/// feedback file whose values are also the row's customer's attributes (<c>["*"]</c>: every column no field takes); none
/// by default, because most extra columns describe the ticket (agent, priority), not the customer.
/// </summary>
internal sealed record MappingRequest(IReadOnlyDictionary<string, string> Columns, string? DateFormat, double? RatingScale,
    IReadOnlyList<string>? CustomerAttributes = null);

/// <summary>Which column fills which field; columns not mapped become metadata.</summary>
internal sealed record ResolvedMapping(IReadOnlyDictionary<string, int> FieldToColumn, IReadOnlyList<string> Header)
{
    /// <summary>Columns whose values become the row's customer's attributes (feedback files; see <see cref="MappingRequest"/>).</summary>
    public IReadOnlySet<int> AttributeColumns { get; init; } = new HashSet<int>();

    public int? Column(string field) => FieldToColumn.TryGetValue(field, out var index) ? index : null;

    /// <summary>For responses: field → header name.</summary>
    public Dictionary<string, string> Describe() => FieldToColumn.ToDictionary(f => f.Key, f => Header[f.Value]);
}

internal static class ColumnMapper
{
    public static MappingRequest? ParseMapping(string? json, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { error = "The mapping must be a JSON object."; return null; }
            var structured = root.TryGetProperty("columns", out var c) && c.ValueKind == JsonValueKind.Object;
            var columnsElement = structured ? c : root;
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in columnsElement.EnumerateObject())
            {
                if (!structured && property.Name is "dateFormat" or "ratingScale" or "customerAttributes") continue;
                if (property.Value.ValueKind != JsonValueKind.String) { error = $"Column '{property.Name}' must map to a field name."; return null; }
                columns[property.Name] = property.Value.GetString()!;
            }
            var dateFormat = root.TryGetProperty("dateFormat", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (!StorableText.IsStorable(dateFormat)) { error = $"dateFormat: {StorableText.Problem}"; return null; }
            double? scale = root.TryGetProperty("ratingScale", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null;
            List<string>? attributes = null;
            if (root.TryGetProperty("customerAttributes", out var a))
            {
                if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    error = "customerAttributes must be an array of column names (or [\"*\"] for every column no field takes).";
                    return null;
                }
                attributes = [.. a.EnumerateArray().Select(e => e.GetString()!)];
            }
            return new MappingRequest(columns, dateFormat, scale, attributes);
        }
        catch (JsonException ex)
        {
            error = $"The mapping is not valid JSON: {ex.Message}";
            return null;
        }
    }

    /// <summary>
    /// Explicit mappings win; every other field is found by header synonyms. Returns an error naming the problem
    /// when a mapped column or field does not exist or no column holds the text.
    /// </summary>
    public static ResolvedMapping? Resolve(IReadOnlyList<string> header, MappingRequest? explicitMapping, string kind, out string? error)
    {
        error = null;
        var synonymsOfFields = ImportFields.For(kind);
        var fieldNames = synonymsOfFields.Keys.ToArray();
        var fields = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = new HashSet<int>();
        foreach (var (column, field) in explicitMapping?.Columns ?? new Dictionary<string, string>())
        {
            var canonical = fieldNames.FirstOrDefault(f => string.Equals(f, field.Trim(), StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                error = $"Mapping '{column}' → '{field}': unknown field; fields are {string.Join(", ", fieldNames)}.";
                return null;
            }
            var index = IndexOf(header, column);
            if (index < 0)
            {
                error = $"Mapping '{column}' → '{field}': the file has no column '{column}'; its columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.";
                return null;
            }
            fields[canonical] = index;
            used.Add(index);
        }

        foreach (var (field, synonyms) in synonymsOfFields)
        {
            if (fields.ContainsKey(field)) continue;
            foreach (var synonym in synonyms)
            {
                var index = Enumerable.Range(0, header.Count).FirstOrDefault(i => !used.Contains(i) && ImportFields.NormalizeHeader(header[i]) == synonym, -1);
                if (index < 0) continue;
                fields[field] = index;
                used.Add(index);
                break;
            }
        }

        if (kind == ImportKinds.Customers)
        {
            if (!fields.ContainsKey(CustomerFields.CustomerId))
            {
                error = "No column holds the customer id (customer_id, customerId, customer, client_id, user_id, id, ...); map one to \"customerId\". "
                    + $"Columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.";
                return null;
            }
            var resolved = new ResolvedMapping(fields, header);
            return CustomerFields.AttributeColumns(resolved, out error) is null ? null : resolved;
        }
        if (kind == ImportKinds.Events)
        {
            error = EventFields.Missing(fields);
            if (error is not null) error += $" Columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.";
            return error is null ? new ResolvedMapping(fields, header) : null;
        }
        if (!fields.ContainsKey(ImportFields.Text))
        {
            error = $"No column holds the feedback text. Columns are {string.Join(", ", header.Select(h => $"'{h}'"))}; "
                + "name one in the mapping, e.g. {\"columns\": {\"Your column\": \"text\"}}.";
            return null;
        }
        var attributeColumns = new HashSet<int>();
        foreach (var column in explicitMapping?.CustomerAttributes ?? [])
        {
            if (column.Trim() == "*") { attributeColumns.UnionWith(Enumerable.Range(0, header.Count).Where(i => !used.Contains(i))); continue; }
            var index = IndexOf(header, column);
            if (index < 0 || used.Contains(index))
            {
                error = $"customerAttributes: '{column}' is {(index < 0 ? "not a column of the file" : "a mapped field, not an extra column")}; "
                    + $"columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.";
                return null;
            }
            attributeColumns.Add(index);
        }
        return new ResolvedMapping(fields, header) { AttributeColumns = attributeColumns };
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
            if (string.Equals(header[i].Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
