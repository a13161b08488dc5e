using System.Buffers;
using System.Numerics;

namespace JourneyFeedback.Api.Journeys;

/// <summary>How many customers reach each funnel step within a window from their entry, and what those who stop said.</summary>
internal static class FunnelAnalysis
{
    /// <summary>Steps are kept as bits of one mask per touchpoint.</summary>
    public const int MaxSteps = 64;

    /// <summary>A contact is "at step k" when its touchpoint is in Steps[k].Touchpoints; each selected customer is walked once from their anchor (FunnelWalk.Walk has the rules per mode).</summary>
    public static Funnel Analyze(ContactLog log, FunnelQuery query)
    {
        var steps = query.Steps;
        if (steps.Count > MaxSteps)
        {
            throw new ArgumentException($"A funnel has at most {MaxSteps} steps.", nameof(query));
        }
        var walk = new FunnelWalk(log, query);
        try
        {
            new ContactSelection(query.From, query.To, query.ContactInSegment).ForEachCustomer(log, walk.Customer);
            return walk.Result();
        }
        finally
        {
            walk.Release();
        }
    }

    private sealed class FunnelWalk
    {
        private readonly ContactLog _log;
        private readonly FunnelQuery _query;
        private readonly int _steps, _touchpoints, _themes;
        private readonly ulong[] _mask;

        private int _entered;
        private readonly int[] _reached;
        /// <summary>Per step, the durations of the customers who reached it (first _reached[k] entries of each).</summary>
        private readonly long[][] _fromPrevious, _fromStart;

        // Per customer scratch: when each step was reached (ordered/strict) or first seen (any).
        private readonly long[] _reachedAt, _firstAt;

        // Drop-off after step k, flattened as [k * width + x].
        private readonly int[] _lastTouchpoint;
        private readonly int[] _sentiment; // negative, neutral, positive, not analysed
        private readonly int[] _themeItems, _themeCustomers, _themeSeen;
        private readonly int[] _themeLatest; // 3 contact indexes per (step, theme), the latest first; -1 = none

        public FunnelWalk(ContactLog log, FunnelQuery query)
        {
            _log = log;
            _query = query;
            _steps = query.Steps.Count;
            _touchpoints = log.Touchpoints.Length;
            _themes = log.Themes.Length;
            _mask = new ulong[_touchpoints];
            for (var k = 0; k < _steps; k++)
            {
                foreach (var tp in query.Steps[k].Touchpoints)
                {
                    _mask[tp] |= 1UL << k;
                }
            }
            _reached = new int[_steps];
            _fromPrevious = new long[_steps][];
            _fromStart = new long[_steps][];
            for (var k = 0; k < _steps; k++)
            {
                _fromPrevious[k] = ArrayPool<long>.Shared.Rent(Math.Max(1, log.Customers));
                _fromStart[k] = ArrayPool<long>.Shared.Rent(Math.Max(1, log.Customers));
            }
            _reachedAt = new long[_steps];
            _firstAt = new long[_steps];
            _lastTouchpoint = new int[_steps * _touchpoints];
            _sentiment = new int[_steps * 4];
            _themeItems = new int[_steps * _themes];
            _themeCustomers = new int[_steps * _themes];
            _themeSeen = new int[_steps * _themes];
            _themeSeen.AsSpan().Fill(-1);
            _themeLatest = new int[_steps * _themes * 3];
            _themeLatest.AsSpan().Fill(-1);
        }

        public void Release()
        {
            for (var k = 0; k < _steps; k++)
            {
                ArrayPool<long>.Shared.Return(_fromPrevious[k]);
                ArrayPool<long>.Shared.Return(_fromStart[k]);
            }
        }

        public void Customer(int customer, int start, int end)
        {
            if (_steps == 0) return;
            var (anchor, reached, last) = Walk(start, end);
            if (anchor < 0) return;
            _entered++;
            var anchorTicks = _log.Ticks[anchor];
            for (var k = 0; k < reached; k++)
            {
                var n = _reached[k]++;
                _fromStart[k][n] = _reachedAt[k] - anchorTicks;
                _fromPrevious[k][n] = k == 0 ? 0 : _reachedAt[k] - _reachedAt[k - 1];
            }
            if (reached > 0 && reached < _steps)
            {
                DroppedAfter(reached - 1, customer, start, last);
            }
        }

        /// <summary>
        /// Ordered: the anchor is the first contact at step 1; later contacts up to anchor + Window (inclusive) at step k+1
        /// advance from k to k+1, one step per contact, others are ignored. Strict: as ordered, but a contact neither at
        /// the current nor the next step ends the walk. Any: the anchor is the first contact at any step; step k is
        /// reached when steps 1..k all have a contact within [anchor, anchor + Window], at the latest of their first ones.
        /// Returns the anchor (-1: none), the steps reached and the last contact within the window.
        /// </summary>
        private (int Anchor, int Reached, int Last) Walk(int start, int end)
        {
            var ticks = _log.Ticks;
            var touchpoint = _log.Touchpoint;
            var mode = _query.Mode;
            var anchorBits = mode == FunnelMode.Any ? ulong.MaxValue : 1UL;
            var anchor = start;
            while (anchor < end && (_mask[touchpoint[anchor]] & anchorBits) == 0)
            {
                anchor++;
            }
            if (anchor == end)
            {
                return (-1, 0, -1);
            }
            var limit = ContactSelection.Plus(ticks[anchor], _query.Window.Ticks);
            var last = anchor;
            if (mode == FunnelMode.Any)
            {
                var seen = 0UL;
                for (var i = anchor; i < end && ticks[i] <= limit; i++)
                {
                    last = i;
                    var fresh = _mask[touchpoint[i]] & ~seen;
                    seen |= fresh;
                    while (fresh != 0)
                    {
                        _firstAt[BitOperations.TrailingZeroCount(fresh)] = ticks[i];
                        fresh &= fresh - 1;
                    }
                }
                // Steps 1..k all seen: the run of ones from bit 0.
                var reachedAny = Math.Min(_steps, BitOperations.TrailingZeroCount(~seen));
                for (var k = 0; k < reachedAny; k++)
                {
                    _reachedAt[k] = k == 0 ? _firstAt[0] : Math.Max(_reachedAt[k - 1], _firstAt[k]);
                }
                return (anchor, reachedAny, last);
            }

            var strict = mode == FunnelMode.Strict;
            var reached = 1;
            _reachedAt[0] = ticks[anchor];
            var walking = true;
            for (var i = anchor + 1; i < end && ticks[i] <= limit; i++)
            {
                last = i;
                if (!walking || reached == _steps) continue; // still looking for the last contact in the window
                var at = _mask[touchpoint[i]];
                if ((at >> reached & 1) != 0)
                {
                    _reachedAt[reached++] = ticks[i];
                }
                else if (strict && (at >> (reached - 1) & 1) == 0)
                {
                    walking = false;
                }
            }
            return (anchor, reached, last);
        }

        /// <summary>Attributes a customer who stopped after step k: their last touchpoint in the window, and the sentiment and themes of their items (not events) selected up to that contact.</summary>
        private void DroppedAfter(int k, int customer, int start, int last)
        {
            _lastTouchpoint[k * _touchpoints + _log.Touchpoint[last]]++;
            var kind = _log.Kind;
            var sentiment = _log.Sentiment;
            var theme = _log.Theme;
            var ticks = _log.Ticks;
            for (var i = start; i <= last; i++)
            {
                if (kind[i] == ContactKinds.Event) continue;
                _sentiment[k * 4 + sentiment[i] switch { -1 => 0, 0 => 1, 1 => 2, _ => 3 }]++;
                if (theme[i] < 0) continue;
                var slot = k * _themes + theme[i];
                _themeItems[slot]++;
                if (_themeSeen[slot] != customer)
                {
                    _themeSeen[slot] = customer;
                    _themeCustomers[slot]++;
                }
                // Keep the 3 latest items: insert by time, ties keep the item found first.
                var latest = _themeLatest.AsSpan(slot * 3, 3);
                var at = 3;
                while (at > 0 && (latest[at - 1] < 0 || ticks[latest[at - 1]] < ticks[i]))
                {
                    at--;
                }
                if (at < 3)
                {
                    for (var j = 2; j > at; j--) latest[j] = latest[j - 1];
                    latest[at] = i;
                }
            }
        }

        public Funnel Result()
        {
            var results = new FunnelStepResult[_steps];
            for (var k = 0; k < _steps; k++)
            {
                var step = _query.Steps[k];
                var customers = _reached[k];
                var dropped = k == _steps - 1 ? 0 : customers - _reached[k + 1];
                double? fromPrevious = null, fromStart = null;
                if (k > 0 && customers > 0)
                {
                    fromPrevious = TickPercentiles.Seconds(_fromPrevious[k].AsSpan(0, customers), 0.5);
                    fromStart = TickPercentiles.Seconds(_fromStart[k].AsSpan(0, customers), 0.5);
                }
                results[k] = new FunnelStepResult(step.Id, step.Name, step.Type, customers,
                    k == 0 ? 1 : Share(customers, _reached[k - 1]), Share(customers, _reached[0]), dropped,
                    Share(dropped, customers), fromPrevious, fromStart, k == _steps - 1 ? null : DropOff(k, dropped));
            }
            var mode = _query.Mode switch { FunnelMode.Strict => "strict", FunnelMode.Any => "any", _ => "ordered" };
            return new Funnel(mode, _query.Window.TotalSeconds, _entered, results);
        }

        private DropOff DropOff(int k, int dropped)
        {
            var touchpoints = _log.Touchpoints;
            var last = new List<DropOffTouchpoint>();
            for (var tp = 0; tp < _touchpoints; tp++)
            {
                var count = _lastTouchpoint[k * _touchpoints + tp];
                if (count > 0) last.Add(new DropOffTouchpoint(touchpoints[tp].Id, touchpoints[tp].Name, count));
            }
            var themes = new List<DropOffTheme>();
            for (var t = 0; t < _themes; t++)
            {
                var slot = k * _themes + t;
                if (_themeItems[slot] == 0) continue;
                var latest = _themeLatest.AsSpan(slot * 3, 3);
                var ids = new List<Guid>(3);
                foreach (var i in latest)
                {
                    if (i >= 0) ids.Add(_log.ItemId[i]);
                }
                themes.Add(new DropOffTheme(_log.Themes[t].Id, _log.Themes[t].Name, _themeItems[slot], _themeCustomers[slot], [.. ids]));
            }
            var s = _sentiment.AsSpan(k * 4, 4);
            // Stable sorts: map order among equal counts.
            return new DropOff(dropped, [.. last.OrderByDescending(l => l.Customers)], new DropOffSentiment(s[0], s[1], s[2], s[3]),
                [.. themes.OrderByDescending(t => t.Items).ThenByDescending(t => t.Customers).Take(Math.Max(0, _query.ThemeLimit))]);
        }
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
