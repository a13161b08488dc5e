using JourneyFeedback.Api.Journeys;
using static JourneyFeedback.Api.Tests.Unit.HandWrittenLog;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>Expected values are computed by hand in the comments (map: A B in stage 0, C D in stage 1, E F in stage 2).</summary>
public sealed class FunnelAnalysisTests
{
    private static FunnelStep Step(char touchpoint) =>
        new(Touchpoints[Tp(touchpoint)].Id, touchpoint.ToString(), "touchpoint", [Tp(touchpoint)]);

    private static FunnelStep Stage(int stage) =>
        new(Guid.NewGuid(), $"S{stage}", "stage", [(short)(2 * stage), (short)(2 * stage + 1)]);

    /// <summary>Steps A → C → E unless told.</summary>
    private static FunnelQuery Query(FunnelMode mode, TimeSpan window, FunnelStep[]? steps = null, DateTime? to = null, int themes = 5) =>
        new(null, to, null, steps ?? [Step('A'), Step('C'), Step('E')], window, mode, themes);

    /// <summary>
    /// c1: A B C E (hours 0..3); c2: C A E; c3: A A C; c4: B only; c5: E A.
    /// </summary>
    private static ContactLog ModesLog() => new HandWrittenLog()
        .Path("c1", "ABCE", step: Hour)
        .Path("c2", "CAE", step: Hour)
        .Path("c3", "AAC", step: Hour)
        .Path("c4", "B")
        .Path("c5", "EA", step: Hour)
        .Build();

    [Fact]
    public void OrderedFollowsTheStepsAndIgnoresOtherContacts()
    {
        // Anchors at the first A: c1 0h, c2 1h, c3 0h, c5 1h (c4 never enters). c1 reaches C at 2h and E at 3h;
        // c2's E comes before any C (ignored); c3 reaches C at 2h; c5 has nothing after A.
        var f = FunnelAnalysis.Analyze(ModesLog(), Query(FunnelMode.Ordered, TimeSpan.FromDays(7)));

        f.Mode.Should().Be("ordered");
        f.WindowSeconds.Should().Be(7 * 86_400);
        f.Entered.Should().Be(4);
        f.Steps.Select(s => (s.Name, s.Customers, s.DroppedAfter)).Should().Equal(("A", 4, 2), ("C", 2, 1), ("E", 1, 0));
        f.Steps.Select(s => s.ConversionFromPrevious).Should().Equal(1, 0.5, 0.5);
        f.Steps.Select(s => s.ConversionFromStart).Should().Equal(1, 0.5, 0.25);
        f.Steps.Select(s => s.DropOffRate).Should().Equal(0.5, 0.5, 0);
        // C: c1 and c3 both 2 h after A. E: c1 1 h after C, 3 h after A.
        f.Steps.Select(s => (s.MedianSecondsFromPrevious, s.MedianSecondsFromStart)).Should().Equal(
            ((double?)null, (double?)null), (7200.0, 7200.0), (3600.0, 10800.0));
        f.Steps[0].Id.Should().Be(Touchpoints[Tp('A')].Id);
        f.Steps[0].Type.Should().Be("touchpoint");
        f.Steps[2].DropOff.Should().BeNull();
    }

    [Fact]
    public void StrictEndsTheWalkAtAContactOutsideTheCurrentAndNextStep()
    {
        // c1's B between A and C ends its walk (1 step); c3's second A is the current step, so C still counts (2).
        var f = FunnelAnalysis.Analyze(ModesLog(), Query(FunnelMode.Strict, TimeSpan.FromDays(7)));

        f.Mode.Should().Be("strict");
        f.Entered.Should().Be(4);
        f.Steps.Select(s => (s.Customers, s.DroppedAfter)).Should().Equal((4, 3), (1, 1), (0, 0));
        f.Steps[2].MedianSecondsFromPrevious.Should().BeNull("nobody reached E");
    }

    [Fact]
    public void AnyCountsStepsInAnyOrderFromTheFirstContactAtAnyStep()
    {
        // Anchors at the first contact at any step: c1 A 0h, c2 C 0h, c3 A 0h, c5 E 0h (c4 never enters).
        // c1 has A C E; c2 has C(0h) A(1h) E(2h): A at 1h, C reached at max(1h, 0h) = 1h, E at 2h; c3 has A C; c5 has A but no C.
        var f = FunnelAnalysis.Analyze(ModesLog(), Query(FunnelMode.Any, TimeSpan.FromDays(7)));

        f.Mode.Should().Be("any");
        f.Entered.Should().Be(4);
        f.Steps.Select(s => (s.Customers, s.DroppedAfter)).Should().Equal((4, 1), (3, 1), (2, 0));
        // C from A: c1 2h, c2 0h, c3 2h → median 2h. E from C: c1 1h, c2 1h. E from the anchor: c1 3h, c2 2h → 2.5h.
        f.Steps[1].MedianSecondsFromPrevious.Should().Be(7200);
        f.Steps[2].MedianSecondsFromPrevious.Should().Be(3600);
        f.Steps[2].MedianSecondsFromStart.Should().Be(9000);
    }

    [Fact]
    public void TheWindowEndIsInclusive()
    {
        // Window 2 h: c1's C is exactly 2 h after A (counts), c2's C 2 h 1 s after (does not).
        var log = new HandWrittenLog().Path("c1", "AC", step: 2 * Hour).Path("c2", "AC", step: 2 * Hour + 1).Build();

        foreach (var mode in new[] { FunnelMode.Ordered, FunnelMode.Strict, FunnelMode.Any })
        {
            var f = FunnelAnalysis.Analyze(log, Query(mode, TimeSpan.FromHours(2)));
            f.Steps.Select(s => s.Customers).Should().Equal([2, 1, 0], mode.ToString());
            // c2's last contact within the window is its A.
            f.Steps[0].DropOff!.LastTouchpoints.Select(t => (t.Name, t.Customers)).Should().Equal([("A", 1)], mode.ToString());
        }
    }

    [Fact]
    public void ContactsAtOrAfterToAreNotUsed()
    {
        // To = 1 h: c1's C at 1 h is outside the selection, so the walk stops at A.
        var log = new HandWrittenLog().Path("c1", "AC", step: Hour).Build();

        var f = FunnelAnalysis.Analyze(log, Query(FunnelMode.Ordered, TimeSpan.FromDays(1), to: At(Hour)));

        f.Steps.Select(s => s.Customers).Should().Equal(1, 0, 0);
    }

    [Fact]
    public void DropOffAttributesLastTouchpointSentimentAndThemesToTheStepAfterWhichCustomersLeft()
    {
        var b = new HandWrittenLog();
        // c1: a negative ticket at B before entering (theme 0), A, C, a negative ticket at D 2h (theme 1), and a
        // positive ticket at F after the 1-day window (ignored). Reached C; last contact in the window: D.
        var c1B = b.Add("c1", -Hour, 'B', "support-log", -1, theme: 0);
        b.Add("c1", 0, 'A'); b.Add("c1", Hour, 'C');
        var c1D = b.Add("c1", 2 * Hour, 'D', "support-log", -1, theme: 1);
        b.Add("c1", 30 * Hour, 'F', "support-log", 1, theme: 1);
        // c2: A, a neutral ticket at C (theme 1), an unanalysed review at C. Reached C; last at C.
        b.Add("c2", 0, 'A');
        b.Add("c2", 10 * Minute, 'C', "support-log", 0, theme: 1);
        b.Add("c2", 20 * Minute, 'C', "review");
        // c3: A with a positive ticket (theme 0), then B. Reached A only; last at B.
        var c3A = b.Add("c3", 0, 'A', "support-log", 1, theme: 0);
        b.Add("c3", Hour, 'B');
        // c4 goes all the way (no drop-off), with a complaint afterwards that must not count anywhere.
        b.Path("c4", "ACE", step: Hour);
        b.Add("c4", 4 * Hour, 'E', "complaint-log", -1, theme: 0);
        // c5: A, two negative tickets at C (theme 1) at 30 and 40 min. Reached C; last at C.
        b.Add("c5", 0, 'A');
        var c5First = b.Add("c5", 30 * Minute, 'C', "support-log", -1, theme: 1);
        var c5Second = b.Add("c5", 40 * Minute, 'C', "support-log", -1, theme: 1);
        var log = b.Build();

        var f = FunnelAnalysis.Analyze(log, Query(FunnelMode.Ordered, TimeSpan.FromDays(1)));

        f.Steps.Select(s => (s.Customers, s.DroppedAfter)).Should().Equal((5, 1), (4, 3), (1, 0));

        // After A: c3, last at B, one positive item with theme 0.
        var afterA = f.Steps[0].DropOff!;
        afterA.Customers.Should().Be(1);
        afterA.LastTouchpoints.Select(t => (t.Name, t.Customers)).Should().Equal(("B", 1));
        afterA.Sentiment.Should().Be(new DropOffSentiment(0, 0, 1, 0));
        afterA.Themes.Select(t => (t.Name, t.Items, t.Customers)).Should().Equal(("Late parcel", 1, 1));
        afterA.Themes[0].ItemIds.Should().Equal(c3A);

        // After C: c1 (last D), c2 and c5 (last C). Items up to the last contact: c1 B−, D−; c2 C neutral, C review
        // (not analysed); c5 C−, C− → 4 negative, 1 neutral, 1 not analysed. Theme 1: c1 D (2h), c2 C (10 min),
        // c5 C (30, 40 min) → 4 items of 3 customers, latest 3: c1 D, c5 40 min, c5 30 min. Theme 0: c1 B.
        var afterC = f.Steps[1].DropOff!;
        afterC.Customers.Should().Be(3);
        afterC.LastTouchpoints.Select(t => (t.Name, t.Customers)).Should().Equal(("C", 2), ("D", 1));
        afterC.LastTouchpoints[1].TouchpointId.Should().Be(Touchpoints[Tp('D')].Id);
        afterC.Sentiment.Should().Be(new DropOffSentiment(4, 1, 0, 1));
        afterC.Themes.Select(t => (t.Name, t.Items, t.Customers)).Should().Equal(("Double charge", 4, 3), ("Late parcel", 1, 1));
        afterC.Themes[0].ThemeId.Should().Be(Themes[1].Id);
        afterC.Themes[0].ItemIds.Should().Equal(c1D, c5Second, c5First);
        afterC.Themes[1].ItemIds.Should().Equal(c1B);

        // ThemeLimit keeps the themes with the most items.
        FunnelAnalysis.Analyze(log, Query(FunnelMode.Ordered, TimeSpan.FromDays(1), themes: 1))
            .Steps[1].DropOff!.Themes.Select(t => t.Name).Should().Equal("Double charge");
    }

    [Fact]
    public void StepsCanBeWholeStages()
    {
        // Steps S0 (A B) → S1 (C D) → S2 (E F).
        // c1 B D F: 3 in both. c2 A B C: 2 in both (B is the current stage). c3 A B E: ordered skips nothing useful
        // (E is not S1) → 1; strict ends at E → 1. c4 A C A E: ordered ignores the second A → 3; strict ends there → 2.
        var log = new HandWrittenLog()
            .Path("c1", "BDF").Path("c2", "ABC").Path("c3", "ABE").Path("c4", "ACAE")
            .Build();
        FunnelStep[] stages = [Stage(0), Stage(1), Stage(2)];

        var ordered = FunnelAnalysis.Analyze(log, Query(FunnelMode.Ordered, TimeSpan.FromDays(1), stages));
        var strict = FunnelAnalysis.Analyze(log, Query(FunnelMode.Strict, TimeSpan.FromDays(1), stages));

        ordered.Steps.Select(s => s.Customers).Should().Equal(4, 3, 2);
        strict.Steps.Select(s => s.Customers).Should().Equal(4, 3, 1);
        ordered.Steps.Select(s => (s.Name, s.Type)).Should().Equal(("S0", "stage"), ("S1", "stage"), ("S2", "stage"));
        // Strict: c2 (last at C) and c4 (its walk ended at E, the last contact in the window) dropped after S1.
        strict.Steps[1].DropOff!.LastTouchpoints.Select(t => (t.Name, t.Customers)).Should().Equal(("C", 1), ("E", 1));
    }
}
