namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// Gives each distinct value a small dense id, in order of first appearance: the in-memory column stores (the insights
/// snapshot, the journey log) keep ids per row and each distinct string once.
/// </summary>
internal sealed class Interner<T>(IEqualityComparer<T>? comparer = null) where T : notnull
{
    private readonly Dictionary<T, int> _ids = new(comparer);
    private readonly List<T> _values = [];

    public int Count => _values.Count;

    public int Id(T value)
    {
        if (_ids.TryGetValue(value, out var id)) return id;
        _ids[value] = _values.Count;
        _values.Add(value);
        return _values.Count - 1;
    }

    public T[] ToArray() => [.. _values];
}
