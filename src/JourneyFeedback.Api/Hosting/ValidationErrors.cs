namespace JourneyFeedback.Api.Hosting;

/// <summary>Collects field errors keyed by the JSON path of the field (<c>stages[1].name</c>) for a ValidationProblem.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>Checks a text field: required (non-blank) when asked, and at most <paramref name="maxLength"/> characters.</summary>
    public void Text(string field, string? value, int maxLength, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, "Required; must not be empty.");
            return;
        }
        if (value.Length > maxLength) Add(field, $"At most {maxLength} characters (got {value.Length}).");
    }

    public void OneOf(string field, string? value, IReadOnlyCollection<string> allowed, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"Required; one of: {string.Join(", ", allowed)}.");
            return;
        }
        if (!allowed.Contains(value.Trim()))
            Add(field, $"Unknown value '{Truncate(value)}'; expected one of: {string.Join(", ", allowed)}.");
    }

    public void List(string field, IReadOnlyCollection<string>? items, int maxItems, int maxItemLength)
    {
        if (items is null) return;
        if (items.Count > maxItems) Add(field, $"At most {maxItems} entries (got {items.Count}).");
        var index = 0;
        foreach (var item in items)
        {
            if (item is null) Add($"{field}[{index}]", "Must be a string, not null.");
            else if (item.Length > maxItemLength) Add($"{field}[{index}]", $"At most {maxItemLength} characters (got {item.Length}).");
            index++;
        }
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
