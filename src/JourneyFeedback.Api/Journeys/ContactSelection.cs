namespace JourneyFeedback.Api.Journeys;

/// <summary>Which of a customer's contacts a journey or funnel query uses: a time window and an optional segment.</summary>
internal readonly struct ContactSelection(DateTime? from, DateTime? to, Func<int, bool>? contactInSegment)
{
    private readonly long _from = from is { } f ? UtcTicks(f) : long.MinValue;
    private readonly long _to = to is { } t ? UtcTicks(t) : long.MaxValue;

    /// <summary>A contact is selected when From &lt;= time &lt; To; a customer counts only when one of their selected contacts is in the segment, and then all of them are used.</summary>
    public (int Start, int End) Range(ContactLog log, int customer)
    {
        int start = log.CustomerStart[customer], end = log.CustomerStart[customer + 1];
        var ticks = log.Ticks;
        // A customer's contacts are sorted by time, so the selection is one contiguous slice of them.
        if (_from != long.MinValue)
        {
            start = FirstAtOrAfter(ticks, start, end, _from);
        }
        if (_to != long.MaxValue)
        {
            end = FirstAtOrAfter(ticks, start, end, _to);
        }
        if (contactInSegment is null || start == end)
        {
            return (start, end);
        }
        for (var i = start; i < end; i++)
        {
            if (contactInSegment(i))
            {
                return (start, end);
            }
        }
        return (start, start);
    }

    /// <summary>Adds a duration to a time without overflowing (an unbounded window or gap is long.MaxValue).</summary>
    /// <summary>Calls <paramref name="customer"/> (index, first and end contact) for every customer with a selected contact.</summary>
    public void ForEachCustomer(ContactLog log, Action<int, int, int> customer)
    {
        for (var c = 0; c < log.Customers; c++)
        {
            var (start, end) = Range(log, c);
            if (start < end) customer(c, start, end);
        }
    }

    public static long Plus(long ticks, long duration) => duration > long.MaxValue - ticks ? long.MaxValue : ticks + duration;

    private static long UtcTicks(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime().Ticks : time.Ticks;

    private static int FirstAtOrAfter(long[] ticks, int lo, int hi, long bound)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ticks[mid] < bound) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>Percentiles of durations in ticks, by selection rather than a full sort (edges can hold 100,000s of times).</summary>
internal static class TickPercentiles
{
    /// <summary>Linear interpolation between closest ranks (numpy default, type 7): h = (n−1)p, x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), in seconds; reorders values.</summary>
    public static double Seconds(Span<long> values, double p)
    {
        var h = (values.Length - 1) * p;
        var k = (int)Math.Floor(h);
        Select(values, k);
        double low = values[k];
        var fraction = h - k;
        if (fraction > 0 && k + 1 < values.Length)
        {
            // After selection everything right of k is >= values[k]; the next rank is their minimum.
            var next = values[k + 1];
            foreach (var v in values[(k + 2)..])
            {
                if (v < next) next = v;
            }
            low += fraction * (next - low);
        }
        return low / TimeSpan.TicksPerSecond;
    }

    /// <summary>Puts the k-th smallest value at k, smaller or equal ones left of it and larger or equal ones right (Hoare).</summary>
    private static void Select(Span<long> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            if (hi - lo < 16)
            {
                a[lo..(hi + 1)].Sort();
                return;
            }
            var mid = lo + ((hi - lo) >> 1);
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return; // j < k < i: a[k] equals the pivot and sits in place
        }
    }
}
