using System.Collections.Concurrent;
using System.Text.Json;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Segments;

/// <summary>
/// A workspace's customer attributes in memory, column by column: for each attribute key, the distinct values and each
/// customer's value id. A segment condition is decided once per distinct value, then each item is an array lookup, so a
/// filter over a million items and 200,000 customers is a few milliseconds. Immutable; replaced when the workspace's
/// CustomersVersion moves (every attribute write bumps it in its transaction, so every instance sees it).
/// </summary>
internal sealed class CustomerDirectory
{
    public static readonly CustomerDirectory Empty = new(0, new Dictionary<string, int>(StringComparer.Ordinal), []);

    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, AttributeColumn> _columns;

    public long Version { get; }
    public int Count => _index.Count;

    private CustomerDirectory(long version, Dictionary<string, int> index, Dictionary<string, AttributeColumn> columns) =>
        (Version, _index, _columns) = (version, index, columns);

    /// <summary>The customer's row, -1 when the workspace knows nothing about them.</summary>
    public int IndexOf(string customerId) => _index.GetValueOrDefault(customerId, -1);

    public AttributeColumn? Column(string key) => _columns.GetValueOrDefault(key);

    /// <summary>One customer's value of one attribute (null: unknown customer or no such attribute).</summary>
    public string? ValueOf(string? customerId, string key) =>
        customerId is not null && IndexOf(customerId) is var row and >= 0 && Column(key) is { } column && row < column.ValueOf.Length
            && column.ValueOf[row] is var id and >= 0 ? column.Values[id] : null;

    /// <summary>One attribute: its distinct values and, per customer row, the value id (-1: the customer does not have it).</summary>
    internal sealed class AttributeColumn(int customers)
    {
        public readonly List<string> Values = [];
        public int[] ValueOf = Enumerable.Repeat(-1, customers).ToArray();
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

        public void Set(int customer, string value)
        {
            if (!_ids.TryGetValue(value, out var id))
            {
                id = Values.Count;
                _ids[value] = id;
                Values.Add(value);
            }
            if (customer >= ValueOf.Length)
            {
                var grown = Enumerable.Repeat(-1, Math.Max(customer + 1, ValueOf.Length * 2)).ToArray();
                ValueOf.CopyTo(grown, 0);
                ValueOf = grown;
            }
            ValueOf[customer] = id;
        }

        /// <summary>Which of this column's values satisfy <paramref name="condition"/>.</summary>
        public bool[] Accepts(Condition condition) => Values.Select(condition.Holds).ToArray();
    }

    public static async Task<CustomerDirectory> LoadAsync(JourneyFeedbackDb db, Guid workspaceId, long version, CancellationToken ct)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = new Dictionary<string, AttributeColumn>(StringComparer.Ordinal);
        var expected = await db.Customers.CountAsync(c => c.WorkspaceId == workspaceId, ct);
        await foreach (var row in db.Customers.AsNoTracking().Where(c => c.WorkspaceId == workspaceId)
                           .Select(c => new { c.CustomerId, c.Attributes }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (index.ContainsKey(row.CustomerId)) continue;
            var customer = index.Count;
            index[row.CustomerId] = customer;
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(row.Attributes));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) continue;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                var value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => null,
                };
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                if (value is null) continue;
                if (!columns.TryGetValue(key, out var column)) columns[key] = column = new AttributeColumn(Math.Max(expected, 16));
                column.Set(customer, value);
            }
        }
        return new CustomerDirectory(version, index, columns);
    }
}

/// <summary>
/// The current <see cref="CustomerDirectory"/> of each workspace. A request reads the workspace's CustomersVersion (one
/// indexed row) and reloads only when it moved; one load per workspace at a time.
/// </summary>
internal sealed class CustomerDirectoryCache
{
    private readonly ConcurrentDictionary<Guid, CustomerDirectory> _current = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _loading = new();

    public async Task<CustomerDirectory> GetAsync(JourneyFeedbackDb db, Guid workspaceId, CancellationToken ct)
    {
        var version = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.CustomersVersion).FirstOrDefaultAsync(ct);
        if (version == 0) return CustomerDirectory.Empty;
        if (_current.TryGetValue(workspaceId, out var known) && known.Version >= version) return known;
        var gate = _loading.GetOrAdd(workspaceId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_current.TryGetValue(workspaceId, out known) && known.Version >= version) return known;
            var loaded = await CustomerDirectory.LoadAsync(db, workspaceId, version, ct);
            _current[workspaceId] = loaded;
            return loaded;
        }
        finally
        {
            gate.Release();
        }
    }
}
