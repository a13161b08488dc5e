using System.Buffers;
using System.Runtime.InteropServices;

namespace JourneyFeedback.Api.Journeys;

/// <summary>The directly-follows graph, variants and squiggle measures of the customers' observed journeys.</summary>
internal static class JourneyAnalysis
{
    /// <summary>Splits each selected customer's contacts into journeys (a gap strictly greater than Gap), merges runs at one touchpoint into steps, and counts steps, transitions and variants.</summary>
    public static JourneyGraph Analyze(ContactLog log, JourneyQuery query)
    {
        var walk = new GraphWalk(log, query);
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

    /// <summary>One call's counters; a class so the per-step methods share them without closures.</summary>
    private sealed class GraphWalk
    {
        private readonly ContactLog _log;
        private readonly JourneyQuery _query;
        private readonly int _touchpoints;
        private readonly int[] _stage;

        private readonly int[] _nodeContacts, _nodeCustomers, _nodeSeen;
        private readonly int[] _starting, _startCustomers, _startSeen;
        private readonly int[] _ending, _endCustomers, _endSeen;
        private readonly int[] _edgeTransitions, _edgeCustomers, _edgeSeen;
        /// <summary>Per touchpoint, the last journey that had a step there (finds returns within a journey).</summary>
        private readonly int[] _visitSeen;

        // Transitions in walk order (edge index and duration); grouped by edge at the end for the percentiles.
        private readonly int[] _transitionEdge;
        private readonly long[] _transitionTicks;

        private readonly VariantTable _variants = new();

        private int _customers, _journeys, _contacts, _transitions, _steps;
        private int _backwardCustomers, _reworkCustomers;
        private long _distinctTouchpoints;

        // The current customer, journey and step.
        private int _customer;
        private bool _backward, _rework;
        private int _journeySteps, _previousTouchpoint;
        private long _previousEnd;
        private int _stepTouchpoint, _stepItems;
        private long _stepStart, _stepEnd;

        public GraphWalk(ContactLog log, JourneyQuery query)
        {
            _log = log;
            _query = query;
            _touchpoints = log.Touchpoints.Length;
            _stage = Array.ConvertAll(log.Touchpoints, t => t.StageIndex);
            int n = _touchpoints;
            _nodeContacts = new int[n];
            _nodeCustomers = new int[n];
            _starting = new int[n];
            _startCustomers = new int[n];
            _ending = new int[n];
            _endCustomers = new int[n];
            _nodeSeen = Unseen(n);
            _startSeen = Unseen(n);
            _endSeen = Unseen(n);
            _visitSeen = Unseen(n);
            _edgeTransitions = new int[n * n];
            _edgeCustomers = new int[n * n];
            _edgeSeen = Unseen(n * n);
            // There are fewer transitions than contacts.
            _transitionEdge = ArrayPool<int>.Shared.Rent(Math.Max(1, log.Count));
            _transitionTicks = ArrayPool<long>.Shared.Rent(Math.Max(1, log.Count));
        }

        public void Release()
        {
            ArrayPool<int>.Shared.Return(_transitionEdge);
            ArrayPool<long>.Shared.Return(_transitionTicks);
            _variants.Release();
        }

        public void Customer(int customer, int start, int end)
        {
            _customer = customer;
            _customers++;
            _contacts += end - start;
            _backward = _rework = false;
            var distinct = 0;
            var ticks = _log.Ticks;
            var touchpoint = _log.Touchpoint;
            var kind = _log.Kind;
            var gap = _query.Gap.Ticks;
            for (var i = start; i < end; i++)
            {
                int tp = touchpoint[i];
                var t = ticks[i];
                _nodeContacts[tp]++;
                if (_nodeSeen[tp] != customer)
                {
                    _nodeSeen[tp] = customer;
                    _nodeCustomers[tp]++;
                    distinct++;
                }
                var item = kind[i] == ContactKinds.Event ? 0 : 1;
                if (i == start || t - ticks[i - 1] > gap)
                {
                    if (i != start)
                    {
                        CloseStep();
                        CloseJourney();
                    }
                    _journeys++;
                    _journeySteps = 0;
                    _variants.Begin();
                    OpenStep(tp, t, item);
                }
                else if (tp == _stepTouchpoint)
                {
                    _stepEnd = t;
                    _stepItems += item;
                }
                else
                {
                    CloseStep();
                    OpenStep(tp, t, item);
                }
            }
            CloseStep();
            CloseJourney();
            _distinctTouchpoints += distinct;
            if (_backward) _backwardCustomers++;
            if (_rework) _reworkCustomers++;
        }

        private void OpenStep(int touchpoint, long ticks, int items)
        {
            _stepTouchpoint = touchpoint;
            _stepStart = _stepEnd = ticks;
            _stepItems = items;
        }

        /// <summary>A transition A→B is a pair of consecutive steps in one journey; its time is B.start − A.end; backward when B's stage comes before A's.</summary>
        private void CloseStep()
        {
            var tp = _stepTouchpoint;
            if (_stepItems >= 2)
            {
                _rework = true; // e.g. two support tickets in a row at one touchpoint
            }
            if (_journeySteps == 0)
            {
                _starting[tp]++;
                if (_startSeen[tp] != _customer)
                {
                    _startSeen[tp] = _customer;
                    _startCustomers[tp]++;
                }
            }
            else
            {
                var edge = _previousTouchpoint * _touchpoints + tp;
                _edgeTransitions[edge]++;
                if (_edgeSeen[edge] != _customer)
                {
                    _edgeSeen[edge] = _customer;
                    _edgeCustomers[edge]++;
                }
                _transitionEdge[_transitions] = edge;
                _transitionTicks[_transitions] = _stepStart - _previousEnd;
                _transitions++;
                if (_stage[tp] < _stage[_previousTouchpoint])
                {
                    _backward = true;
                }
            }
            if (_visitSeen[tp] == _journeys)
            {
                _rework = true; // came back to a touchpoint within the journey
                if (!_query.CollapseLoops)
                {
                    _variants.Append((short)tp);
                }
            }
            else
            {
                _visitSeen[tp] = _journeys;
                _variants.Append((short)tp);
            }
            _journeySteps++;
            _previousTouchpoint = tp;
            _previousEnd = _stepEnd;
        }

        private void CloseJourney()
        {
            var tp = _previousTouchpoint;
            _ending[tp]++;
            if (_endSeen[tp] != _customer)
            {
                _endSeen[tp] = _customer;
                _endCustomers[tp]++;
            }
            _steps += _journeySteps;
            _variants.End(_customer);
        }

        public JourneyGraph Result()
        {
            var touchpoints = _log.Touchpoints;
            var nodes = new List<JourneyNode>();
            var starts = new List<JourneyEndpoint>();
            var ends = new List<JourneyEndpoint>();
            for (var tp = 0; tp < _touchpoints; tp++)
            {
                var t = touchpoints[tp];
                if (_nodeContacts[tp] > 0)
                {
                    nodes.Add(new JourneyNode(t.Id, t.Name, t.StageId, t.StageName, t.StageIndex, _nodeContacts[tp],
                        _nodeCustomers[tp], _starting[tp], _ending[tp]));
                }
                if (_starting[tp] > 0) starts.Add(new JourneyEndpoint(t.Id, t.Name, _starting[tp], _startCustomers[tp]));
                if (_ending[tp] > 0) ends.Add(new JourneyEndpoint(t.Id, t.Name, _ending[tp], _endCustomers[tp]));
            }
            // A stable sort keeps map order among equal journey counts.
            starts = [.. starts.OrderByDescending(e => e.Journeys)];
            ends = [.. ends.OrderByDescending(e => e.Journeys)];

            var variants = _variants.Top(_query.VariantLimit, out var distinct);
            var listed = 0;
            var variantResults = new JourneyVariant[variants.Length];
            for (var v = 0; v < variants.Length; v++)
            {
                var sequence = _variants.Sequence(variants[v]);
                var ids = new Guid[sequence.Length];
                var names = new string[sequence.Length];
                for (var s = 0; s < sequence.Length; s++)
                {
                    ids[s] = touchpoints[sequence[s]].Id;
                    names[s] = touchpoints[sequence[s]].Name;
                }
                var journeys = _variants.Journeys(variants[v]);
                listed += journeys;
                variantResults[v] = new JourneyVariant(ids, names, journeys, _variants.Customers(variants[v]), Share(journeys, _journeys));
            }

            var squiggle = new Squiggle(_backwardCustomers, Share(_backwardCustomers, _customers), _reworkCustomers,
                Share(_reworkCustomers, _customers), _customers == 0 ? 0 : (double)_distinctTouchpoints / _customers,
                _journeys == 0 ? 0 : (double)_steps / _journeys);
            return new JourneyGraph(_customers, _journeys, _contacts, _transitions, [.. nodes], Edges(), [.. starts], [.. ends],
                variantResults, distinct, _journeys - listed, squiggle);
        }

        /// <summary>Edges by transitions desc, then from and to index; median and p90 of each edge's transition times.</summary>
        private JourneyEdge[] Edges()
        {
            var edgeCount = _edgeTransitions.Length;
            // Counting sort of the transition times by edge, so each edge's times are one slice.
            var offsets = new int[edgeCount + 1];
            for (var e = 0; e < edgeCount; e++)
            {
                offsets[e + 1] = offsets[e] + _edgeTransitions[e];
            }
            var grouped = ArrayPool<long>.Shared.Rent(Math.Max(1, _transitions));
            try
            {
                var next = offsets.AsSpan(0, edgeCount).ToArray();
                for (var i = 0; i < _transitions; i++)
                {
                    grouped[next[_transitionEdge[i]]++] = _transitionTicks[i];
                }
                var edges = new List<JourneyEdge>();
                var touchpoints = _log.Touchpoints;
                for (var e = 0; e < edgeCount; e++)
                {
                    if (_edgeTransitions[e] == 0) continue;
                    var times = grouped.AsSpan(offsets[e], _edgeTransitions[e]);
                    var p90 = TickPercentiles.Seconds(times, 0.9);
                    var median = TickPercentiles.Seconds(times, 0.5);
                    int from = e / _touchpoints, to = e % _touchpoints;
                    edges.Add(new JourneyEdge(touchpoints[from].Id, touchpoints[from].Name, touchpoints[to].Id, touchpoints[to].Name,
                        _edgeTransitions[e], _edgeCustomers[e], median, p90, _stage[to] < _stage[from]));
                }
                // Edges were added in from/to order; a stable sort by transitions keeps it for ties.
                return [.. edges.OrderByDescending(e => e.Transitions)];
            }
            finally
            {
                ArrayPool<long>.Shared.Return(grouped);
            }
        }

        private static int[] Unseen(int length)
        {
            var array = new int[length];
            array.AsSpan().Fill(-1);
            return array;
        }
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    /// <summary>
    /// Distinct step sequences, stored back to back in one array and found through an open-addressing hash table; a
    /// journey's sequence is written at the end of the array and kept only when it is new. All arrays are pooled, so
    /// counting journeys allocates nothing (a Dictionary of 100,000s of variants would land on the large object heap).
    /// </summary>
    private sealed class VariantTable
    {
        private short[] _arena = ArrayPool<short>.Shared.Rent(4096);
        private int _used, _length;
        private Variant[] _variants = ArrayPool<Variant>.Shared.Rent(256);
        private int _count;
        /// <summary>Variant index + 1 per slot, 0 when empty; at most half full.</summary>
        private int[] _slots = Empty(1024);

        public void Begin() => _length = 0;

        public void Append(short touchpoint)
        {
            if (_used + _length == _arena.Length)
            {
                Grow(ref _arena, _used + _length);
            }
            _arena[_used + _length++] = touchpoint;
        }

        public void End(int customer)
        {
            var sequence = _arena.AsSpan(_used, _length);
            var hasher = new HashCode();
            hasher.AddBytes(MemoryMarshal.AsBytes(sequence));
            var hash = hasher.ToHashCode();
            var mask = _slots.Length - 1;
            var slot = hash & mask;
            while (_slots[slot] != 0)
            {
                ref var candidate = ref _variants[_slots[slot] - 1];
                if (candidate.Hash == hash && Sequence(candidate).SequenceEqual(sequence))
                {
                    Count(ref candidate, customer);
                    return;
                }
                slot = (slot + 1) & mask;
            }
            if (_count == _variants.Length)
            {
                Grow(ref _variants, _count);
            }
            _variants[_count] = new Variant { Offset = _used, Length = _length, Hash = hash, LastCustomer = -1 };
            Count(ref _variants[_count], customer);
            _slots[slot] = ++_count;
            _used += _length; // keep the new sequence in the arena
            if (_count * 2 > _slots.Length)
            {
                Rehash();
            }
        }

        public void Release()
        {
            ArrayPool<short>.Shared.Return(_arena);
            ArrayPool<Variant>.Shared.Return(_variants);
            ArrayPool<int>.Shared.Return(_slots);
        }

        public ReadOnlySpan<short> Sequence(int variant) => Sequence(_variants[variant]);
        public int Journeys(int variant) => _variants[variant].Journeys;
        public int Customers(int variant) => _variants[variant].Customers;

        /// <summary>The most frequent variants by journeys desc, ties by the sequence compared touchpoint index by index (a prefix first).</summary>
        public int[] Top(int limit, out int distinct)
        {
            distinct = _count;
            limit = Math.Clamp(limit, 0, distinct);
            // A bounded insertion list: most variants fail the check against the current last one.
            var top = new int[limit];
            var count = 0;
            for (var v = 0; v < distinct && limit > 0; v++)
            {
                if (count == limit && !Before(v, top[count - 1])) continue;
                var at = count == limit ? count - 1 : count++;
                while (at > 0 && Before(v, top[at - 1]))
                {
                    top[at] = top[at - 1];
                    at--;
                }
                top[at] = v;
            }
            return top;
        }

        private bool Before(int a, int b) =>
            Journeys(a) != Journeys(b) ? Journeys(a) > Journeys(b) : Sequence(a).SequenceCompareTo(Sequence(b)) < 0;

        private ReadOnlySpan<short> Sequence(in Variant variant) => _arena.AsSpan(variant.Offset, variant.Length);

        private static void Count(ref Variant variant, int customer)
        {
            variant.Journeys++;
            if (variant.LastCustomer != customer)
            {
                variant.LastCustomer = customer;
                variant.Customers++;
            }
        }

        private void Rehash()
        {
            ArrayPool<int>.Shared.Return(_slots);
            _slots = Empty(_slots.Length * 2);
            var mask = _slots.Length - 1;
            for (var v = 0; v < _count; v++)
            {
                var slot = _variants[v].Hash & mask;
                while (_slots[slot] != 0) slot = (slot + 1) & mask;
                _slots[slot] = v + 1;
            }
        }

        private static int[] Empty(int length)
        {
            // The shared pool hands out power-of-two lengths, as the probing mask needs.
            var slots = ArrayPool<int>.Shared.Rent(length);
            slots.AsSpan().Clear();
            return slots;
        }

        private static void Grow<T>(ref T[] array, int used)
        {
            var larger = ArrayPool<T>.Shared.Rent(array.Length * 2);
            array.AsSpan(0, used).CopyTo(larger);
            ArrayPool<T>.Shared.Return(array);
            array = larger;
        }

        private struct Variant
        {
            public int Offset, Length, Hash, Journeys, Customers, LastCustomer;
        }
    }
}
