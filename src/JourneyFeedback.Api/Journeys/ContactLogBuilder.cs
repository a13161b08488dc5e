using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Journeys;

/// <summary>Collects contacts in any order and builds the <see cref="ContactLog"/>: grouped by customer, each customer's in time order.</summary>
internal sealed class ContactLogBuilder(int capacity)
{
    private readonly Interner<string> _customers = new(StringComparer.Ordinal);
    private readonly Interner<string> _sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Interner<string> _channels = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<int> _customer = new(capacity);
    private readonly List<long> _ticks = new(capacity);
    private readonly List<short> _touchpoint = new(capacity);
    private readonly List<byte> _kind = new(capacity);
    private readonly List<sbyte> _sentiment = new(capacity);
    private readonly List<int> _theme = new(capacity);
    private readonly List<Guid> _id = new(capacity);
    private readonly List<int> _source = new(capacity);
    private readonly List<int> _channel = new(capacity);

    public void Add(string customerId, long ticks, short touchpoint, byte kind, sbyte sentiment, int theme, Guid id, string? source, string? channel)
    {
        _customer.Add(_customers.Id(customerId));
        _ticks.Add(ticks);
        _touchpoint.Add(touchpoint);
        _kind.Add(kind);
        _sentiment.Add(sentiment);
        _theme.Add(theme);
        _id.Add(id);
        _source.Add(source is null ? -1 : _sources.Id(source));
        _channel.Add(channel is null ? -1 : _channels.Id(channel));
    }

    public ContactLog Build(JourneyTouchpoint[] touchpoints, JourneyTheme[] themes)
    {
        var count = _customer.Count;
        var customers = _customers.Count;
        // Counting sort by customer, then each customer's few contacts by time (events first on a tie, then by id).
        var start = new int[customers + 1];
        foreach (var c in _customer) start[c + 1]++;
        for (var c = 0; c < customers; c++) start[c + 1] += start[c];
        var next = (int[])start.Clone();
        var order = new int[count];
        for (var i = 0; i < count; i++) order[next[_customer[i]]++] = i;
        var comparer = Comparer<int>.Create((a, b) =>
        {
            var byTime = _ticks[a].CompareTo(_ticks[b]);
            if (byTime != 0) return byTime;
            var byKind = (_kind[a] == ContactKinds.Event ? 0 : 1).CompareTo(_kind[b] == ContactKinds.Event ? 0 : 1);
            return byKind != 0 ? byKind : _id[a].CompareTo(_id[b]);
        });
        for (var c = 0; c < customers; c++)
            if (start[c + 1] - start[c] > 1) Array.Sort(order, start[c], start[c + 1] - start[c], comparer);

        return new ContactLog
        {
            Touchpoints = touchpoints,
            Themes = themes,
            CustomerStart = start,
            CustomerIds = _customers.ToArray(),
            Ticks = Gather(_ticks, order),
            Touchpoint = Gather(_touchpoint, order),
            Kind = Gather(_kind, order),
            Sentiment = Gather(_sentiment, order),
            Theme = Gather(_theme, order),
            ItemId = Gather(_id, order),
            Sources = _sources.ToArray(),
            Source = Gather(_source, order),
            Channels = _channels.ToArray(),
            Channel = Gather(_channel, order),
        };
    }

    private static T[] Gather<T>(List<T> values, int[] order)
    {
        var result = GC.AllocateUninitializedArray<T>(order.Length);
        for (var i = 0; i < order.Length; i++) result[i] = values[order[i]];
        return result;
    }
}
