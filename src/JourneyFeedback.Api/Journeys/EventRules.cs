using System.Text.Json;

namespace JourneyFeedback.Api.Journeys;

/// <summary>
/// One rule of a map's event rules: the conditions it names must all hold (event name equals, URL path matches a
/// pattern where <c>*</c> is any run of characters, a property equals a value; all case-insensitive), and then the event
/// is a contact with the touchpoint. Stored as JSON on the map.
/// </summary>
internal sealed class EventRule
{
    public Guid TouchpointId { get; set; }
    public string? EventName { get; set; }
    public string? UrlPath { get; set; }
    public string? Property { get; set; }
    public string? Value { get; set; }
}

/// <summary>A map's event rules, in order: the first rule that matches an event places it.</summary>
internal sealed class EventRuleList
{
    public List<EventRule> Rules { get; set; } = [];
}

/// <summary>
/// The rules ready to apply: evaluated once per distinct (name, path) when no rule looks at properties, so placing a
/// million events costs a dictionary lookup each.
/// </summary>
internal sealed class CompiledEventRules
{
    private readonly EventRule[] _rules;
    private readonly int[] _target; // per rule: the touchpoint's index in the log, or -1 when it is gone
    private readonly Dictionary<(string?, string?), int> _byNameAndPath = [];

    public CompiledEventRules(IReadOnlyList<EventRule> rules, Func<Guid, int> touchpointIndex)
    {
        _rules = [.. rules];
        _target = [.. rules.Select(r => touchpointIndex(r.TouchpointId))];
        UsesProperties = _rules.Any(r => r.Property is not null);
    }

    /// <summary>A rule looks at properties: events must be read with theirs.</summary>
    public bool UsesProperties { get; }

    public int RuleCount => _rules.Length;

    /// <summary>The index of the first rule that matches, or -1.</summary>
    public int FirstMatch(string? name, string? path, string? propertiesJson)
    {
        if (!UsesProperties)
        {
            if (_byNameAndPath.TryGetValue((name, path), out var known)) return known;
            return _byNameAndPath[(name, path)] = Evaluate(name, path, null);
        }
        // Exports repeat the same few property sets (device, campaign, utm_*): each distinct one is parsed once.
        if (_byAll.TryGetValue((name, path, propertiesJson), out var seen)) return seen;
        var rule = Evaluate(name, path, propertiesJson);
        if (_byAll.Count < MaxRemembered) _byAll[(name, path, propertiesJson)] = rule;
        return rule;
    }

    private const int MaxRemembered = 200_000;
    private readonly Dictionary<(string?, string?, string?), int> _byAll = [];

    /// <summary>The touchpoint index the rule places its events on (-1: its touchpoint was deleted, so it places nothing).</summary>
    public int TouchpointOf(int rule) => _target[rule];

    private int Evaluate(string? name, string? path, string? propertiesJson)
    {
        Dictionary<string, string>? properties = null;
        for (var r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (rule.EventName is not null && !string.Equals(rule.EventName, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (rule.UrlPath is not null && (path is null || !PathMatches(rule.UrlPath, path))) continue;
            if (rule.Property is not null)
            {
                properties ??= ParseProperties(propertiesJson);
                if (!properties.TryGetValue(rule.Property, out var value) || !string.Equals(value, rule.Value, StringComparison.OrdinalIgnoreCase)) continue;
            }
            return r;
        }
        return -1;
    }

    private static Dictionary<string, string> ParseProperties(string? json)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(json)) return properties;
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var p in document.RootElement.EnumerateObject())
                properties[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }
        catch (JsonException)
        {
            // Properties are written by the import as a JSON object; anything else matches no property rule.
        }
        return properties;
    }

    /// <summary>
    /// A glob over the whole path, case-insensitive: <c>*</c> matches any run of characters (slashes too); a trailing
    /// slash on either side is ignored, so "/help" and "/help/" are one page.
    /// </summary>
    public static bool PathMatches(string pattern, string path)
    {
        var p = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        var s = path.Length > 1 ? path.TrimEnd('/') : path;
        int pi = 0, si = 0, star = -1, resume = 0;
        while (si < s.Length)
        {
            if (pi < p.Length && p[pi] == '*') { star = pi++; resume = si; }
            else if (pi < p.Length && char.ToLowerInvariant(p[pi]) == char.ToLowerInvariant(s[si])) { pi++; si++; }
            else if (star >= 0) { pi = star + 1; si = ++resume; }
            else return false;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    /// <summary>The path of a URL or of a bare path ("/help?x=1" → "/help"); a screen name ("Checkout") is a path of one segment.</summary>
    public static string? PathOf(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var text = url.AsSpan().Trim();
        // Parsed by hand: System.Uri costs more than the rest of mapping an event, and exports hold millions of URLs.
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && scheme < 20)
        {
            var afterHost = text[(scheme + 3)..].IndexOfAny('/', '?', '#');
            text = afterHost < 0 ? "/" : text[(scheme + 3 + afterHost)..];
        }
        var end = text.IndexOfAny('?', '#');
        var path = end < 0 ? text : text[..end];
        if (path.Length == 0) return "/";
        var result = path[0] == '/' ? path.ToString() : "/" + path.ToString();
        return result.Contains('%') ? Uri.UnescapeDataString(result) : result;
    }
}
