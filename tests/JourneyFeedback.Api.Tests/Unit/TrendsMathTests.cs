using JourneyFeedback.Api.Insights;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>Trend buckets (ISO weeks, calendar months) and each bucket's numbers, hand-computed (docs/insights.md, "Trends").</summary>
public sealed class TrendsMathTests
{
    private static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static readonly Guid Checkout = Guid.NewGuid(), Delivery = Guid.NewGuid();
    private static readonly Guid RefundTheme = Guid.NewGuid();

    private const int NoTheme = -1;
    private static int CategoryTheme(int touchpoint, string category) => ThemeIndex.KeyOf(touchpoint, MapEvidence.PainPointIndex(category));

    /// <summary>One item: when, which touchpoint (index, or -1 inbox), what the models said, its theme key and key phrase.</summary>
    private sealed record Item(DateTime At, short Touchpoint, byte Sentiment, float Negative = 0, float Positive = 0, int Theme = NoTheme,
        int Phrase = -1, bool LowConfidence = false, short Kind = 0);

    /// <summary>
    /// A snapshot of two touchpoints (0: Checkout, 1: Delivery) holding <paramref name="items"/>, sorted newest first as
    /// snapshots are. Stored theme key <c>FirstStoredThemeKey</c> (2 × 16 = 32) is "Refund delays" on Delivery.
    /// </summary>
    private static MapEvidence Evidence(params Item[] items)
    {
        var rows = items.OrderByDescending(i => i.At).ToArray();
        var n = rows.Length;
        return new MapEvidence
        {
            MapVersion = 1, EvidenceVersion = 1, TouchpointIds = [Checkout, Delivery],
            Ids = rows.Select(_ => Guid.NewGuid()).ToArray(),
            Touchpoint = rows.Select(r => r.Touchpoint).ToArray(),
            OccurredTicks = rows.Select(r => r.At.Ticks).ToArray(),
            Sentiment = rows.Select(r => r.Sentiment).ToArray(),
            NegativeScore = rows.Select(r => r.Negative).ToArray(),
            PositiveScore = rows.Select(r => r.Positive).ToArray(),
            Emotions = new int[n],
            PainPoint = rows.Select(r => r.Theme is >= 0 and < 32 ? (sbyte)(r.Theme % ThemeIndex.Slots) : (sbyte)-1).ToArray(),
            Phrase1 = rows.Select(r => r.Phrase).ToArray(),
            Phrase2 = Enumerable.Repeat(-1, n).ToArray(),
            Phrase3 = Enumerable.Repeat(-1, n).ToArray(),
            LowConfidence = rows.Select(r => r.LowConfidence).ToArray(), IsQuestion = new bool[n],
            Kind = rows.Select(r => r.Kind).ToArray(), Source = new short[n], Channel = new short[n], Language = new short[n],
            Phrases = ["card declined", "parcel late"], Kinds = ["review", "support-log"], Sources = [""], Channels = [""], Languages = [""],
            Theme = rows.Select(r => r.Theme).ToArray(),
            StoredThemes = [new StoredTheme(RefundTheme, 1, "Refund delays", (sbyte)MapEvidence.PainPointIndex("refunds-returns"), [], Utc(2026, 10, 1))],
        };
    }

    private static MapTrends.Plan Plan(string interval, DateTime? from, DateTime? to, DateTime? newest = null, DateTime? now = null) =>
        MapTrends.PlanFor(interval, from, to, newest, now ?? Utc(2030, 1, 1), out _)!;

    [Theory]
    [InlineData("2026-10-05T00:00:00", "2026-10-05", "2026-W41")] // a Monday at midnight starts its own week
    [InlineData("2026-10-11T23:59:59", "2026-10-05", "2026-W41")] // Sunday night is still that week
    [InlineData("2026-10-12T00:00:00", "2026-10-12", "2026-W42")]
    [InlineData("2026-01-01T12:00:00", "2025-12-29", "2026-W01")] // a Thursday 1 January: week 1 starts in December
    [InlineData("2027-01-01T12:00:00", "2026-12-28", "2026-W53")] // a Friday 1 January: the week belongs to the old year (2026 has 53)
    [InlineData("2027-01-04T00:00:00", "2027-01-04", "2027-W01")]
    public void WeeksStartOnMondayUtcAndAreLabelledByIsoYearAndWeek(string time, string start, string label)
    {
        var bucket = MapTrends.BucketStart(DateTime.SpecifyKind(DateTime.Parse(time), DateTimeKind.Utc), MapTrends.Week);
        bucket.Should().Be(DateTime.SpecifyKind(DateTime.Parse(start), DateTimeKind.Utc));
        bucket.Kind.Should().Be(DateTimeKind.Utc);
        MapTrends.Label(bucket, MapTrends.Week).Should().Be(label);
    }

    [Fact]
    public void MonthsAreCalendarMonthsAcrossTheYearChangeAndALeapFebruary()
    {
        var plan = Plan(MapTrends.Month, Utc(2027, 11, 15), Utc(2028, 3, 10));
        plan.Starts.Should().Equal(Utc(2027, 11, 1), Utc(2027, 12, 1), Utc(2028, 1, 1), Utc(2028, 2, 1), Utc(2028, 3, 1));
        plan.End.Should().Be(Utc(2028, 4, 1));
        (plan.EndOf(3) - plan.Starts[3]).TotalDays.Should().Be(29, "February 2028 is a leap February");
        plan.Starts.Select(s => MapTrends.Label(s, MapTrends.Month)).Should().Equal("2027-11", "2027-12", "2028-01", "2028-02", "2028-03");
        plan.IndexOf(Utc(2028, 2, 29, 23, 59)).Should().Be(3);
        plan.IndexOf(Utc(2028, 3, 1)).Should().Be(4);
        plan.IndexOf(Utc(2027, 10, 31)).Should().Be(-1);
        (plan.From, plan.To).Should().Be((Utc(2027, 11, 15), Utc(2028, 3, 10)), "the window counted is the one asked for");
    }

    [Fact]
    public void WeeksRunOnAcrossTheYearChange()
    {
        var plan = Plan(MapTrends.Week, Utc(2026, 12, 20), Utc(2027, 1, 12));
        plan.Starts.Should().Equal(Utc(2026, 12, 14), Utc(2026, 12, 21), Utc(2026, 12, 28), Utc(2027, 1, 4), Utc(2027, 1, 11));
        plan.Starts.Select(s => MapTrends.Label(s, MapTrends.Week)).Should().Equal("2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02");
        plan.End.Should().Be(Utc(2027, 1, 18));
    }

    [Fact]
    public void WithoutARangeTheLastTwelveBucketsEndWithTheNewestItem()
    {
        var plan = Plan(MapTrends.Week, null, null, newest: Utc(2026, 11, 4, 9)); // a Wednesday
        plan.Count.Should().Be(12);
        plan.Starts[^1].Should().Be(Utc(2026, 11, 2));
        plan.Starts[0].Should().Be(Utc(2026, 8, 17));
        (plan.From, plan.To).Should().Be((Utc(2026, 8, 17), Utc(2026, 11, 9)));

        var months = Plan(MapTrends.Month, null, null, newest: Utc(2026, 3, 31, 23, 59));
        months.Starts[0].Should().Be(Utc(2025, 4, 1));
        months.End.Should().Be(Utc(2026, 4, 1));

        Plan(MapTrends.Week, null, null, newest: null, now: Utc(2026, 11, 27)).Starts[^1].Should().Be(Utc(2026, 11, 23), "a map without items ends now");
        Plan(MapTrends.Week, null, Utc(2026, 10, 5), newest: Utc(2026, 11, 4)).Starts[^1].Should().Be(Utc(2026, 9, 28), "'to' is exclusive");
        Plan(MapTrends.Week, Utc(2026, 12, 1), null, newest: Utc(2026, 11, 4)).Starts.Should().Equal([Utc(2026, 11, 30)],
            "the range never ends before it starts");
    }

    [Fact]
    public void MoreThan104BucketsAreRefused()
    {
        MapTrends.PlanFor(MapTrends.Week, Utc(2024, 1, 1), Utc(2025, 12, 29), null, Utc(2030, 1, 1), out var count)!.Count.Should().Be(104);
        count.Should().Be(104);
        MapTrends.PlanFor(MapTrends.Week, Utc(2024, 1, 1), Utc(2025, 12, 29, 0, 1), null, Utc(2030, 1, 1), out count).Should().BeNull();
        count.Should().Be(105);
        MapTrends.PlanFor(MapTrends.Month, Utc(1, 1, 1), null, Utc(2026, 1, 1), Utc(2030, 1, 1), out count).Should().BeNull();
        count.Should().Be(2025 * 12 + 1);
    }

    [Fact]
    public void EmptyBucketsArePresentWithZeros()
    {
        var e = Evidence(
            new Item(Utc(2026, 10, 6), 0, MapEvidence.Negative, 0.8f, 0.1f),
            new Item(Utc(2026, 10, 20), 1, MapEvidence.Positive, 0.1f, 0.9f));
        var plan = Plan(MapTrends.Week, Utc(2026, 10, 5), Utc(2026, 10, 26));
        var series = MapTrends.Compute(e, plan, null, [], themes: 3);

        series.Map.Select(p => p.Items).Should().Equal(1, 0, 1);
        series.Map.Select(p => p.Start).Should().Equal(Utc(2026, 10, 5), Utc(2026, 10, 12), Utc(2026, 10, 19));
        var empty = series.Map[1];
        (empty.Analysed, empty.NegativePercent, empty.NeutralPercent, empty.PositivePercent).Should().Be((0, 0.0, 0.0, 0.0));
        empty.MeanValence.Should().BeNull();
        empty.Nps.Should().BeNull();
        empty.TopThemes.Should().BeEmpty();
        series.Touchpoints[0].Select(p => p.Items).Should().Equal(1, 0, 0);
        series.Touchpoints[1].Select(p => p.Items).Should().Equal(0, 0, 1);
    }

    [Fact]
    public void SharesAndMeanValenceCountConfidentlyAnalysedItemsOfTheBucket()
    {
        var e = Evidence(
            new Item(Utc(2026, 10, 5, 8), 0, MapEvidence.Negative, 0.8f, 0.1f),        // valence −0.7
            new Item(Utc(2026, 10, 6, 8), 0, MapEvidence.Negative, 0.9f, 0.1f),        // −0.8
            new Item(Utc(2026, 10, 7, 8), 0, MapEvidence.Neutral, 0.3f, 0.3f),         // 0
            new Item(Utc(2026, 10, 11, 23, 59), 0, MapEvidence.Positive, 0.1f, 0.9f),  // +0.8, Sunday night: still this week
            new Item(Utc(2026, 10, 8, 8), 0, MapEvidence.Negative, 0.9f, 0f, LowConfidence: true),
            new Item(Utc(2026, 10, 9, 8), 0, MapEvidence.Unknown),
            new Item(Utc(2026, 10, 9, 9), MapEvidence.Inbox, MapEvidence.Negative, 1f, 0f), // −1, the map's only
            new Item(Utc(2026, 10, 12), 0, MapEvidence.Positive, 0f, 1f));              // next week
        var series = MapTrends.Compute(e, Plan(MapTrends.Week, Utc(2026, 10, 5), Utc(2026, 10, 19)), null, [], themes: 3);

        var week = series.Touchpoints[0][0];
        week.Items.Should().Be(6, "every item counts; the low-confidence and not yet analysed ones only here");
        week.Analysed.Should().Be(4);
        (week.NegativePercent, week.NeutralPercent, week.PositivePercent).Should().Be((50.0, 25.0, 25.0));
        week.MeanValence!.Value.Should().BeApproximately((-0.7 - 0.8 + 0 + 0.8) / 4, 1e-4);

        var map = series.Map[0];
        map.Items.Should().Be(7);
        map.Analysed.Should().Be(5);
        map.NegativePercent.Should().Be(60.0);
        map.MeanValence!.Value.Should().BeApproximately((-0.7 - 0.8 + 0 + 0.8 - 1) / 5, 1e-4);
        series.Touchpoints[0][1].Items.Should().Be(1);
        series.Touchpoints[0][1].PositivePercent.Should().Be(100.0);
    }

    [Fact]
    public void AWindowInsideABucketCountsOnlyItsPart()
    {
        var e = Evidence(
            new Item(Utc(2026, 10, 5, 8), 0, MapEvidence.Negative, 0.8f, 0.1f),
            new Item(Utc(2026, 10, 8, 8), 0, MapEvidence.Positive, 0.1f, 0.8f),
            new Item(Utc(2026, 10, 14, 8), 0, MapEvidence.Positive, 0.1f, 0.8f));
        var plan = Plan(MapTrends.Week, Utc(2026, 10, 7), Utc(2026, 10, 13));
        plan.Starts.Should().Equal(Utc(2026, 10, 5), Utc(2026, 10, 12));
        MapTrends.Compute(e, plan, null, [], 3).Map.Select(p => p.Items).Should().Equal(1, 0);
    }

    [Fact]
    public void NpsIsComputedPerBucketFromThatBucketsAnswers()
    {
        var e = Evidence(new Item(Utc(2026, 10, 5), 0, MapEvidence.Neutral, 0.3f, 0.3f));
        var plan = Plan(MapTrends.Week, Utc(2026, 10, 5), Utc(2026, 10, 26));
        List<NpsAnswer> answers =
        [
            // Week 1 on Checkout: 2 promoters, 1 passive, 2 detractors of 5 → 100 × (0.4 − 0.4) = 0;
            // variance (0.4 + 0.4 − 0²) / 5 = 0.16 → margin 1.96 × 100 × 0.4 = 78.4.
            .. new[] { 10, 9, 8, 6, 3 }.Select((s, i) => new NpsAnswer(Checkout, s, Utc(2026, 10, 5 + i))),
            // Week 2: a survey of the whole map, 3 promoters and 1 detractor → 100 × (0.75 − 0.25) = 50.
            .. new[] { 10, 10, 9, 0 }.Select(s => new NpsAnswer(null, s, Utc(2026, 10, 14))),
            // Week 3 on Delivery: 30 answers, 24 promoters and 6 detractors → 60, no longer a low sample.
            .. Enumerable.Range(0, 30).Select(i => new NpsAnswer(Delivery, i < 24 ? 10 : 2, Utc(2026, 10, 19, 1, i))),
            new NpsAnswer(Checkout, 0, Utc(2026, 10, 26)),       // outside the window
            new NpsAnswer(Guid.NewGuid(), 0, Utc(2026, 10, 25)), // a touchpoint the snapshot does not know: the map's only
        ];
        var series = MapTrends.Compute(e, plan, null, answers, 3);

        var checkout = series.Touchpoints[0][0].Nps!;
        (checkout.Score, checkout.Responses, checkout.LowSample).Should().Be((0.0, 5, true));
        checkout.MarginOfError.Should().BeApproximately(78.4, 0.01);
        series.Touchpoints[0][1].Nps.Should().BeNull();
        series.Map[0].Nps!.Score.Should().Be(0);
        series.Map[1].Nps!.Score.Should().Be(50);
        series.Map[1].Nps!.Responses.Should().Be(4);
        var delivery = series.Touchpoints[1][2].Nps!;
        (delivery.Score, delivery.Responses, delivery.LowSample).Should().Be((60.0, 30, false));
        series.Map[2].Nps!.Responses.Should().Be(31);
        series.Map[2].Nps!.Score.Should().BeApproximately(100 * (24 - 7) / 31.0, 0.01);
    }

    [Fact]
    public void EachBucketNamesItsLargestPainPointThemesAsInsightsDo()
    {
        var delivery = CategoryTheme(1, "delivery-shipping");
        var payment = CategoryTheme(0, "payment-checkout");
        var e0 = Evidence();
        var refunds = e0.FirstStoredThemeKey;
        Item Complaint(DateTime at, short touchpoint, int theme, int phrase = -1) => new(at, touchpoint, MapEvidence.Negative, 0.9f, 0f, theme, phrase);
        var e = Evidence(
            // Week 1: Delivery "parcel late" × 3, Refund delays × 2, Checkout "card declined" × 2.
            Complaint(Utc(2026, 10, 5), 1, delivery, 1), Complaint(Utc(2026, 10, 6), 1, delivery, 1), Complaint(Utc(2026, 10, 7), 1, delivery, 1),
            Complaint(Utc(2026, 10, 6), 1, refunds), Complaint(Utc(2026, 10, 7), 1, refunds),
            Complaint(Utc(2026, 10, 8), 0, payment, 0), Complaint(Utc(2026, 10, 9), 0, payment, 0),
            // Week 2: one refund complaint only.
            Complaint(Utc(2026, 10, 13), 1, refunds),
            new Item(Utc(2026, 10, 14), 0, MapEvidence.Positive, 0f, 1f));
        var series = MapTrends.Compute(e, Plan(MapTrends.Week, Utc(2026, 10, 5), Utc(2026, 10, 19)), null, [], themes: 2);

        series.Touchpoints[1][0].TopThemes.Should().Equal(
            new TrendTheme($"{Delivery:N}:delivery-shipping", "parcel late", 3), new TrendTheme(RefundTheme.ToString("N"), "Refund delays", 2));
        series.Touchpoints[0][0].TopThemes.Should().Equal(new TrendTheme($"{Checkout:N}:payment-checkout", "card declined", 2));
        series.Map[0].TopThemes.Select(t => (t.Name, t.Count)).Should().Equal([("parcel late", 3), ("Refund delays", 2)],
            "two themes of two items: the tie goes by name, ordinally");
        series.Touchpoints[1][1].TopThemes.Should().Equal(new TrendTheme(RefundTheme.ToString("N"), "Refund delays", 1));
        series.Touchpoints[0][1].TopThemes.Should().BeEmpty("a positive item is no pain point");
        MapTrends.Compute(e, Plan(MapTrends.Week, Utc(2026, 10, 5), Utc(2026, 10, 19)), null, [], themes: 0).Map[0].TopThemes.Should().BeEmpty();
    }

    [Fact]
    public void OnlyItemsInTheSegmentCount()
    {
        var e = Evidence(
            new Item(Utc(2026, 10, 5), 0, MapEvidence.Negative, 0.9f, 0f, Kind: 0),
            new Item(Utc(2026, 10, 6), 0, MapEvidence.Positive, 0f, 0.9f, Kind: 1),
            new Item(Utc(2026, 10, 7), 0, MapEvidence.Positive, 0f, 0.9f, Kind: 1));
        var reviews = e.Kind.Select(k => k == 0).ToArray();
        var week = MapTrends.Compute(e, Plan(MapTrends.Week, Utc(2026, 10, 5), Utc(2026, 10, 12)), reviews, [], 3).Touchpoints[0][0];
        (week.Items, week.NegativePercent).Should().Be((1, 100.0));
    }
}
