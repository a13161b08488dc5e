using JourneyFeedback.Api.Journeys;
using static JourneyFeedback.Api.Tests.Unit.HandWrittenLog;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>Expected values are computed by hand in the comments (map: A B in stage 0, C D in stage 1, E F in stage 2).</summary>
public sealed class JourneyAnalysisTests
{
    private static JourneyQuery Query(TimeSpan? gap = null, bool collapse = false, int variants = 10,
        DateTime? from = null, DateTime? to = null, Func<int, bool>? segment = null) =>
        new(from, to, segment, gap ?? TimeSpan.FromDays(30), collapse, variants);

    private static string Names(IEnumerable<string> names) => string.Join(" ", names);

    [Fact]
    public void ThreeCustomerGraphCountsNodesEdgesBackwardMovesAndRepeats()
    {
        var b = new HandWrittenLog();
        b.Add("c1", 0, 'A'); b.Add("c1", 10 * Minute, 'C'); b.Add("c1", 30 * Minute, 'E');              // A→C 600 s, C→E 1200 s
        b.Add("c2", 0, 'A'); b.Add("c2", 5 * Minute, 'C'); b.Add("c2", 15 * Minute, 'B'); b.Add("c2", 20 * Minute, 'C'); // A→C 300, C→B 600 (back), B→C 300
        b.Add("c3", 0, 'B'); b.Add("c3", 60 * Minute, 'C'); b.Add("c3", 70 * Minute, 'E');              // B→C 3600, C→E 600

        var g = JourneyAnalysis.Analyze(b.Build(), Query());

        g.Customers.Should().Be(3);
        g.Journeys.Should().Be(3);
        g.Contacts.Should().Be(10);
        g.Transitions.Should().Be(7); // 2 + 3 + 2

        // A: c1, c2 start there; B: c2, c3 (c3 starts); C: 4 contacts of 3 customers, c2 ends there; E: c1 and c3 end there.
        g.Nodes.Select(n => (n.Name, n.Contacts, n.Customers, n.JourneysStarting, n.JourneysEnding)).Should().Equal(
            ("A", 2, 2, 2, 0), ("B", 2, 2, 1, 0), ("C", 4, 3, 0, 1), ("E", 2, 2, 0, 2));
        g.Nodes[2].StageName.Should().Be("S1");
        g.Nodes[2].StageIndex.Should().Be(1);
        g.Nodes[2].TouchpointId.Should().Be(Touchpoints[Tp('C')].Id);

        // A→C [300, 600]: median 450, p90 = 300 + 0.9 × 300 = 570. B→C [300, 3600]: 1950, 300 + 0.9 × 3300 = 3270.
        // C→E [600, 1200]: 900, 600 + 0.9 × 600 = 1140. C→B [600]. Ties at 2 transitions by from index: A, B, C.
        g.Edges.Select(e => (e.FromName, e.ToName, e.Transitions, e.Customers, e.MedianSeconds, e.P90Seconds, e.Backward)).Should().Equal(
            ("A", "C", 2, 2, 450.0, 570.0, false),
            ("B", "C", 2, 2, 1950.0, 3270.0, false),
            ("C", "E", 2, 2, 900.0, 1140.0, false),
            ("C", "B", 1, 1, 600.0, 600.0, true));
        g.Edges[0].FromTouchpointId.Should().Be(Touchpoints[Tp('A')].Id);
        g.Edges[0].ToTouchpointId.Should().Be(Touchpoints[Tp('C')].Id);

        g.Starts.Select(s => (s.Name, s.Journeys, s.Customers)).Should().Equal(("A", 2, 2), ("B", 1, 1));
        g.Ends.Select(s => (s.Name, s.Journeys, s.Customers)).Should().Equal(("E", 2, 2), ("C", 1, 1));

        // Only c2 moves back (C→B) and comes back to a touchpoint (C twice); each customer saw 3 distinct touchpoints;
        // 3 + 4 + 3 steps over 3 journeys.
        g.Squiggle.BackwardCustomers.Should().Be(1);
        g.Squiggle.BackwardShare.Should().BeApproximately(1 / 3.0, 1e-12);
        g.Squiggle.ReworkCustomers.Should().Be(1);
        g.Squiggle.ReworkShare.Should().BeApproximately(1 / 3.0, 1e-12);
        g.Squiggle.MeanDistinctTouchpoints.Should().Be(3);
        g.Squiggle.MeanStepsPerJourney.Should().BeApproximately(10 / 3.0, 1e-12);
    }

    [Fact]
    public void AGapLongerThanTheLimitStartsANewJourney()
    {
        var b = new HandWrittenLog();
        // Gap 60 min: c1 A→B is exactly 60 min (same journey), B→C is 61 min (new journey): [A B] [C D].
        b.Add("c1", 0, 'A'); b.Add("c1", 60 * Minute, 'B'); b.Add("c1", 121 * Minute, 'C'); b.Add("c1", 130 * Minute, 'D');
        // c2: [A B] then, 190 min later, [A]: A twice but in different journeys, so no rework.
        b.Add("c2", 0, 'A'); b.Add("c2", 10 * Minute, 'B'); b.Add("c2", 200 * Minute, 'A');

        var g = JourneyAnalysis.Analyze(b.Build(), Query(gap: TimeSpan.FromMinutes(60)));

        g.Journeys.Should().Be(4);
        g.Transitions.Should().Be(3); // A→B twice, C→D; no B→C across the gap
        g.Edges.Select(e => (e.FromName, e.ToName, e.Transitions, e.MedianSeconds)).Should().Equal(
            ("A", "B", 2, 2100.0), ("C", "D", 1, 540.0)); // A→B [600, 3600]: median 2100
        g.Starts.Select(s => (s.Name, s.Journeys, s.Customers)).Should().Equal(("A", 3, 2), ("C", 1, 1));
        g.Ends.Select(s => (s.Name, s.Journeys, s.Customers)).Should().Equal(("B", 2, 2), ("A", 1, 1), ("D", 1, 1));
        // [A B] 2 journeys of 2 customers; then ties at 1 by sequence: [A] before [C D].
        g.Variants.Select(v => (Names(v.Names), v.Journeys, v.Customers, v.Share)).Should().Equal(
            ("A B", 2, 2, 0.5), ("A", 1, 1, 0.25), ("C D", 1, 1, 0.25));
        g.Squiggle.ReworkCustomers.Should().Be(0);
        g.Squiggle.MeanStepsPerJourney.Should().Be(1.75); // (2 + 2 + 2 + 1) / 4
    }

    [Fact]
    public void ConsecutiveContactsAtOneTouchpointAreOneStep()
    {
        var b = new HandWrittenLog();
        // c1: A A A | B B | C: steps A [0, 10 min], B [30, 40 min], C [100 min]; A→B = 30 − 10 = 20 min, B→C = 100 − 40 = 60 min.
        b.Add("c1", 0, 'A'); b.Add("c1", 5 * Minute, 'A'); b.Add("c1", 10 * Minute, 'A');
        b.Add("c1", 30 * Minute, 'B'); b.Add("c1", 40 * Minute, 'B'); b.Add("c1", 100 * Minute, 'C');
        // c2: two support tickets in a row at B (one step of two items: rework); c3: an event then one ticket (not rework).
        b.Add("c2", 0, 'B', "support-log"); b.Add("c2", Minute, 'B', "support-log");
        b.Add("c3", 0, 'B'); b.Add("c3", Minute, 'B', "support-log");

        var g = JourneyAnalysis.Analyze(b.Build(), Query());

        g.Nodes.Select(n => (n.Name, n.Contacts)).Should().Equal(("A", 3), ("B", 6), ("C", 1));
        g.Transitions.Should().Be(2);
        g.Edges.Select(e => (e.FromName, e.ToName, e.MedianSeconds)).Should().Equal(("A", "B", 1200.0), ("B", "C", 3600.0));
        g.Variants.Select(v => (Names(v.Names), v.Journeys)).Should().Equal(("B", 2), ("A B C", 1));
        g.Squiggle.ReworkCustomers.Should().Be(1);
        g.Squiggle.MeanStepsPerJourney.Should().BeApproximately(5 / 3.0, 1e-12); // (3 + 1 + 1) / 3
    }

    [Fact]
    public void EdgePercentilesInterpolateBetweenClosestRanks()
    {
        var b = new HandWrittenLog();
        // A→B after 600, 60, 240, 120, 180 s: sorted [60 120 180 240 600]; median h = 2 → 180; p90 h = 3.6 → 240 + 0.6 × 360 = 456.
        long[] ab = [600, 60, 240, 120, 180];
        for (var c = 0; c < ab.Length; c++)
        {
            b.Add($"c{c}", 0, 'A');
            b.Add($"c{c}", ab[c], 'B');
        }
        // B→C after 100 and 300 s: median 200, p90 = 100 + 0.9 × 200 = 280. B→D once after 42 s: 42 and 42.
        b.Add("c0", 600 + 100, 'C');
        b.Add("c1", 60 + 300, 'C');
        b.Add("c2", 240 + 42, 'D');

        var g = JourneyAnalysis.Analyze(b.Build(), Query());

        g.Edges.Select(e => (e.FromName, e.ToName, e.Transitions, e.MedianSeconds, e.P90Seconds)).Should().Equal(
            ("A", "B", 5, 180.0, 456.0), ("B", "C", 2, 200.0, 280.0), ("B", "D", 1, 42.0, 42.0));
    }

    [Fact]
    public void PercentileSelectionMatchesTheSortedDefinitionOnLargeInputs()
    {
        // The selection (no full sort) against the definition on a sorted copy, with many duplicates.
        var random = new Random(3);
        foreach (var n in new[] { 1, 2, 3, 17, 100, 1001 })
        {
            var values = Enumerable.Range(0, n).Select(_ => (long)random.Next(50) * TimeSpan.TicksPerSecond).ToArray();
            var sorted = values.Order().ToArray();
            foreach (var p in new[] { 0, 0.1, 0.5, 0.9, 1 })
            {
                var h = (n - 1) * p;
                var k = (int)Math.Floor(h);
                var expected = (sorted[k] + (k + 1 < n ? (h - k) * (sorted[k + 1] - sorted[k]) : 0)) / TimeSpan.TicksPerSecond;
                TickPercentiles.Seconds(values.ToArray(), p).Should().BeApproximately(expected, 1e-9, $"n={n} p={p}");
            }
        }
    }

    [Fact]
    public void VariantsAreOrderedByJourneysThenSequenceWithAndWithoutCollapsedLoops()
    {
        var b = new HandWrittenLog()
            .Path("c1", "ABAC")
            .Path("c2", "ABC").Path("c2", "ABC", start: 60 * Day) // two journeys of one customer
            .Path("c3", "ABCB")
            .Path("c4", "BA")
            .Path("c5", "AB")
            .Path("c6", "A");
        var log = b.Build();

        // As walked: [A B C] 2 journeys (1 customer), then five variants of 1 journey ordered index by index, a prefix
        // first: [A] < [A B] < [A B A C] < [A B C B] < [B A]. Top 4 holds 2 + 1 + 1 + 1 of the 7 journeys.
        var raw = JourneyAnalysis.Analyze(log, Query(variants: 4));
        raw.Variants.Select(v => (Names(v.Names), v.Journeys, v.Customers)).Should().Equal(
            ("A B C", 2, 1), ("A", 1, 1), ("A B", 1, 1), ("A B A C", 1, 1));
        raw.Variants[0].Share.Should().BeApproximately(2 / 7.0, 1e-12);
        raw.Variants[0].TouchpointIds.Should().Equal(Touchpoints[0].Id, Touchpoints[1].Id, Touchpoints[2].Id);
        raw.DistinctVariants.Should().Be(6);
        raw.OtherJourneys.Should().Be(2);

        // Collapsed: A B A C → A B C and A B C B → A B C, so [A B C] has 4 journeys of 3 customers; then [A] < [A B] < [B A].
        var collapsed = JourneyAnalysis.Analyze(log, Query(collapse: true, variants: 4));
        collapsed.Variants.Select(v => (Names(v.Names), v.Journeys, v.Customers)).Should().Equal(
            ("A B C", 4, 3), ("A", 1, 1), ("A B", 1, 1), ("B A", 1, 1));
        collapsed.Variants[0].Share.Should().BeApproximately(4 / 7.0, 1e-12);
        collapsed.DistinctVariants.Should().Be(4);
        collapsed.OtherJourneys.Should().Be(0);
        // Collapsing changes the variants only, not the graph: c1 and c3 still came back (rework).
        collapsed.Squiggle.ReworkCustomers.Should().Be(2);
        collapsed.Transitions.Should().Be(raw.Transitions);
    }

    [Fact]
    public void ThousandsOfVariantsAreCountedLikeAStraightforwardRecount()
    {
        // Enough distinct sequences to grow the variant table several times; the expectation is a plain LINQ recount:
        // merge runs of one letter, count the sequences, order by count desc then ordinally (letter order = map order).
        var random = new Random(11);
        var b = new HandWrittenLog();
        var paths = new List<string>();
        for (var c = 0; c < 3000; c++)
        {
            var path = new string(Enumerable.Range(0, random.Next(1, 9)).Select(_ => (char)('A' + random.Next(6))).ToArray());
            b.Path($"c{c}", path);
            paths.Add(path);
        }
        var merged = paths.Select(p => new string(p.Where((ch, i) => i == 0 || p[i - 1] != ch).ToArray())).ToList();
        var expected = merged.GroupBy(m => m).Select(g => (Sequence: g.Key, Journeys: g.Count()))
            .OrderByDescending(v => v.Journeys).ThenBy(v => v.Sequence, StringComparer.Ordinal).Take(20).ToList();

        var g = JourneyAnalysis.Analyze(b.Build(), Query(variants: 20));

        g.DistinctVariants.Should().Be(merged.Distinct().Count());
        g.DistinctVariants.Should().BeGreaterThan(1000);
        g.Variants.Select(v => (string.Concat(v.Names), v.Journeys)).Should().Equal(expected);
        g.OtherJourneys.Should().Be(3000 - expected.Sum(v => v.Journeys));
    }

    [Fact]
    public void ASegmentSelectsCustomersButKeepsTheirWholePaths()
    {
        var b = new HandWrittenLog();
        b.Add("c1", 0, 'A'); b.Add("c1", Minute, 'B', source: 1); b.Add("c1", 2 * Minute, 'C');
        b.Add("c2", 0, 'A'); b.Add("c2", Minute, 'B');
        var log = b.Build();

        // Only c1 has a contact from the app (source 1); all three of its contacts are used, not just that one.
        var g = JourneyAnalysis.Analyze(log, Query(segment: i => log.Source[i] == 1));

        g.Customers.Should().Be(1);
        g.Contacts.Should().Be(3);
        g.Edges.Select(e => (e.FromName, e.ToName, e.Customers)).Should().Equal(("A", "B", 1), ("B", "C", 1));
        g.Variants.Select(v => Names(v.Names)).Should().Equal("A B C");
    }

    [Fact]
    public void FromIsInclusiveAndToIsExclusive()
    {
        var b = new HandWrittenLog().Path("c1", "ABCD", step: Day).Path("c2", "A");

        // From = day 1 keeps B (at day 1), To = day 3 drops D (at day 3): c1 is B→C one day apart; c2 has nothing left.
        var g = JourneyAnalysis.Analyze(b.Build(), Query(from: At(Day), to: At(3 * Day)));

        g.Customers.Should().Be(1);
        g.Contacts.Should().Be(2);
        g.Nodes.Select(n => n.Name).Should().Equal("B", "C");
        g.Edges.Select(e => (e.FromName, e.ToName, e.MedianSeconds)).Should().Equal(("B", "C", 86_400.0));
        g.Squiggle.MeanDistinctTouchpoints.Should().Be(2);
    }

    [Fact]
    public void AnEmptySelectionGivesZeroes()
    {
        var g = JourneyAnalysis.Analyze(new HandWrittenLog().Path("c1", "AB").Build(), Query(from: At(Day)));

        g.Customers.Should().Be(0);
        g.Nodes.Should().BeEmpty();
        g.Variants.Should().BeEmpty();
        g.Squiggle.Should().Be(new Squiggle(0, 0, 0, 0, 0, 0));
    }
}
