using System.Globalization;
using System.Text;

namespace JourneyFeedback.Api.Segments;

/// <summary>
/// What the workspace knows about one customer (plan, country, tenure, persona label…), keyed by the customer id that
/// feedback items, survey invitations and events carry. Written by <c>kind=customers</c> imports, by survey invitations'
/// metadata and by imported rows' metadata columns; segments filter on it.
/// </summary>
internal sealed class Customer
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }

    /// <summary>The id as the sources give it (trimmed); unique per workspace.</summary>
    public required string CustomerId { get; set; }

    /// <summary>JSON object: normalised key (<see cref="CustomerAttributes.Key"/>) → normalised value (<see cref="CustomerAttributes.Value"/>).</summary>
    public string Attributes { get; set; } = "{}";
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>
/// How attribute keys and values are normalised, once, where they are written, so a filter compares like with like
/// (docs/segments.md, "Attributes").
/// </summary>
internal static class CustomerAttributes
{
    public const int MaxKeyLength = 64, MaxValueLength = 200;

    /// <summary>
    /// A key keeps only its letters and digits, lower-cased: "Tenure Months", "tenure_months" and "tenureMonths" are all
    /// <c>tenuremonths</c>. Null when nothing is left.
    /// </summary>
    public static string? Key(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var key = new StringBuilder(raw.Length);
        foreach (var c in raw.Normalize(NormalizationForm.FormC))
            if (char.IsLetterOrDigit(c)) key.Append(char.ToLowerInvariant(c));
        return key.Length == 0 ? null : key.Length > MaxKeyLength ? key.ToString(0, MaxKeyLength) : key.ToString();
    }

    /// <summary>
    /// A value is trimmed, Unicode-composed (NFC), its inner runs of white space become one space and it is cut at
    /// <see cref="MaxValueLength"/> characters. Case is kept for display; filters compare it ignoring case. Null when empty.
    /// </summary>
    public static string? Value(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (IsNormalAscii(raw)) return raw; // most cells ("pro", "PL", "12"): the loop below would return them unchanged
        var value = new StringBuilder(Math.Min(raw.Length, MaxValueLength));
        var space = false;
        foreach (var c in raw.Trim().Normalize(NormalizationForm.FormC))
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { space = true; continue; }
            if (space && value.Length > 0) value.Append(' ');
            space = false;
            value.Append(c);
            if (value.Length >= MaxValueLength) break;
        }
        return value.Length == 0 ? null : value.ToString();
    }

    /// <summary>Printable ASCII (composed by definition), no leading, trailing or repeated space, not over the length limit.</summary>
    private static bool IsNormalAscii(string raw)
    {
        if (raw.Length > MaxValueLength || raw[0] == ' ' || raw[^1] == ' ') return false;
        for (var i = 0; i < raw.Length; i++)
            if (raw[i] is < ' ' or > '~' || (raw[i] == ' ' && raw[i - 1] == ' ')) return false;
        return true;
    }

    /// <summary>A value read as a number (invariant culture, or with a decimal comma), for &lt; and &gt; filters.</summary>
    public static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n
        : value.Count(c => c == ',') == 1 && !value.Contains('.') &&
          double.TryParse(value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out n) && double.IsFinite(n) ? n : null;
}
