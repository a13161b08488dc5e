using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Api.Insights;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class InsightsMathTests
{
    private static readonly DateTime Day = new(2026, 10, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A snapshot of n items, newest first, one day apart, all on touchpoint 0, negative delivery complaints unless told.</summary>
    private static MapEvidence Evidence(int n, Func<int, (byte Sentiment, float Negative, float Positive, string PainPoint, int Phrase)>? item = null)
    {
        item ??= _ => (MapEvidence.Negative, 0.8f, 0.1f, "delivery-shipping", 0);
        var rows = Enumerable.Range(0, n).Select(i => item(i)).ToArray();
        return new MapEvidence
        {
            MapVersion = 1, EvidenceVersion = 1, TouchpointIds = [Guid.NewGuid()],
            Ids = rows.Select(_ => Guid.NewGuid()).ToArray(),
            Touchpoint = new short[n],
            OccurredTicks = Enumerable.Range(0, n).Select(i => Day.AddDays(-i).Ticks).ToArray(),
            Sentiment = rows.Select(r => r.Sentiment).ToArray(),
            NegativeScore = rows.Select(r => r.Negative).ToArray(),
            PositiveScore = rows.Select(r => r.Positive).ToArray(),
            Emotions = new int[n],
            PainPoint = rows.Select(r => (sbyte)MapEvidence.PainPointIndex(r.PainPoint)).ToArray(),
            Phrase1 = rows.Select(r => r.Phrase).ToArray(),
            Phrase2 = Enumerable.Repeat(-1, n).ToArray(),
            Phrase3 = Enumerable.Repeat(-1, n).ToArray(),
            LowConfidence = new bool[n], IsQuestion = new bool[n],
            Kind = new short[n], Source = new short[n], Channel = new short[n], Language = new short[n],
            Phrases = ["parcel not arrived", "courier"], Kinds = ["review"], Sources = [""], Channels = [""], Languages = [""],
            // Not grouped by meaning yet: each negative item is themed by its category on touchpoint 0.
            Theme = rows.Select(r => r.Sentiment == MapEvidence.Negative && r.PainPoint != PainPointTaxonomy.None
                ? ThemeIndex.KeyOf(0, MapEvidence.PainPointIndex(r.PainPoint)) : -1).ToArray(),
            StoredThemes = [],
        };
    }

    [Fact]
    public void RangeIsTheContiguousSliceOfTheNewestFirstItems()
    {
        var e = Evidence(10); // Day, Day-1, …, Day-9
        e.Range(null, null).Should().Be((0, 10));
        e.Range(Day.AddDays(-3), Day).Should().Be((1, 4), "[from, to): Day is excluded, Day-3 included");
        e.Range(Day.AddDays(5), null).Should().Be((0, 0));
        e.Range(null, Day.AddDays(-20)).Should().Be((10, 10));
    }

    [Fact]
    public void ValenceIntervalUsesTheSampleStandardDeviationAndStudentT()
    {
        double[] v = [0.5, -0.25, 0.75, 0.0];
        var score = InsightsCalculator.Valence(v.Length, v.Sum(), v.Sum(x => x * x))!;
        var mean = v.Average();
        var sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / 3);
        score.Mean.Should().BeApproximately(mean, 1e-4);
        score.Ci95.Low.Should().BeApproximately(mean - 3.182 * sd / 2, 1e-4);
        score.Ci95.High.Should().BeApproximately(mean + 3.182 * sd / 2, 1e-4);
        score.LowSample.Should().BeTrue();
        InsightsCalculator.Valence(0, 0, 0).Should().BeNull();
        InsightsCalculator.Valence(3, 2.7, 2.43)!.Ci95.High.Should().BeLessThanOrEqualTo(1, "the interval is clamped to the scale");
    }

    [Theory]
    [InlineData(10, 10, 1.0, null, 66.7)]   // largest theme, fully negative, no trend: 100 × 1 × 1 × 2/3
    [InlineData(10, 10, 1.0, 1.0, 100.0)]   // doubling
    [InlineData(10, 10, 1.0, 5.0, 100.0)]   // trend is clamped at +1
    [InlineData(10, 10, 1.0, -1.0, 33.3)]   // vanished
    [InlineData(25, 100, 0.8, 0.0, 26.7)]   // √0.25 × 0.8 × 2/3
    [InlineData(0, 100, 0.8, 0.0, 0.0)]
    public void SeverityCombinesVolumeNegativityAndTrend(int count, int largest, double negativity, double? change, double expected) =>
        InsightsCalculator.Severity(count, largest, negativity, change).Should().BeApproximately(expected, 0.05);

    [Theory]
    [InlineData(6, 3, 1.0)]
    [InlineData(3, 6, -0.5)]
    [InlineData(0, 0, 0.0)]
    public void ChangeIsRelativeToThePreviousPeriod(int recent, int previous, double expected) =>
        InsightsCalculator.Change(recent, previous).Should().BeApproximately(expected, 1e-9);

    [Fact]
    public void ChangeFromNothingIsUndefined() => InsightsCalculator.Change(4, 0).Should().BeNull();

    [Fact]
    public void ThemesGroupNegativeItemsPerCategoryAndCountTheTrendWindows()
    {
        // 40 items, one a day: even ones are negative delivery complaints, odd ones positive; item 3 is a payment complaint.
        var e = Evidence(40, i => i == 3 ? (MapEvidence.Negative, 0.9f, 0f, "payment-checkout", 1)
            : i % 2 == 0 ? (MapEvidence.Negative, 0.6f, 0.2f, "delivery-shipping", 0)
            : (MapEvidence.Positive, 0.05f, 0.9f, PainPointTaxonomy.None, -1));
        var result = InsightsCalculator.Compute(e, new EvidenceSelection(null, null, null));

        result.Touchpoints[0].Items.Should().Be(40);
        result.Touchpoints[0].Negative.Should().Be(21);
        var delivery = result.Themes.Single(t => t.Category == MapEvidence.PainPointIndex("delivery-shipping"));
        delivery.Count.Should().Be(20);
        delivery.NegativitySum.Should().BeApproximately(20 * 0.6, 1e-4);
        delivery.FirstTicks.Should().Be(Day.AddDays(-38).Ticks);
        delivery.LastTicks.Should().Be(Day.Ticks);
        // Trend windows end at the newest item (+1 tick): days 0…29 back are recent, 30…59 previous.
        delivery.Recent.Should().Be(15);
        delivery.Previous.Should().Be(5);
        e.Themes.NameOf(delivery.Key).Name.Should().Be("parcel not arrived");
        result.Themes.Single(t => t.Category == MapEvidence.PainPointIndex("payment-checkout")).Count.Should().Be(1);
        e.Themes.NameOf(result.Themes.Single(t => t.Count == 1).Key).Name.Should().Be("Other payment and checkout issues",
            "a phrase used once does not name a theme; a plain description of the category does, never its slug");
    }

    [Fact]
    public void ThemesFoundByMeaningCountTheirMembersAndCategoryThemesNeverTakeTheirNames()
    {
        // Items 0–9 negative delivery complaints, all carrying the phrase "parcel not arrived"; 0–5 belong to a theme
        // found by meaning that already has that name, 6–9 are not grouped yet (a category theme).
        var grouped = Evidence(10);
        var stored = new StoredTheme(Guid.NewGuid(), 0, "Parcel not arrived", (sbyte)MapEvidence.PainPointIndex("delivery-shipping"), [], Day);
        var key = grouped.FirstStoredThemeKey;
        var e = new MapEvidence
        {
            MapVersion = 1, EvidenceVersion = 1, TouchpointIds = grouped.TouchpointIds, Ids = grouped.Ids, Touchpoint = grouped.Touchpoint,
            OccurredTicks = grouped.OccurredTicks, Sentiment = grouped.Sentiment, NegativeScore = grouped.NegativeScore, PositiveScore = grouped.PositiveScore,
            Emotions = grouped.Emotions, PainPoint = grouped.PainPoint, Phrase1 = grouped.Phrase1, Phrase2 = grouped.Phrase2, Phrase3 = grouped.Phrase3,
            LowConfidence = grouped.LowConfidence, IsQuestion = grouped.IsQuestion, Kind = grouped.Kind, Source = grouped.Source, Channel = grouped.Channel,
            Language = grouped.Language, Phrases = grouped.Phrases, Kinds = grouped.Kinds, Sources = grouped.Sources, Channels = grouped.Channels,
            Languages = grouped.Languages,
            Theme = Enumerable.Range(0, 10).Select(i => i < 6 ? key : grouped.Theme[i]).ToArray(),
            StoredThemes = [stored],
        };

        var result = InsightsCalculator.Compute(e, new EvidenceSelection(null, null, null));
        result.Themes.Single(t => t.Key == key).Count.Should().Be(6);
        result.Themes.Single(t => t.Key != key).Count.Should().Be(4);
        e.Themes.NameOf(key).Name.Should().Be("Parcel not arrived");
        e.Themes.NameOf(result.Themes.Single(t => t.Key != key).Key).Name.Should().Be("Other delivery and shipping issues",
            "the shared phrase is the stored theme's name already (case aside): no two themes on a touchpoint share a name");
    }

    [Fact]
    public void ACategoryThemeWithoutASharedPhraseIsNamedInWordsAndNeverTwiceOnATouchpoint()
    {
        var category = (sbyte)MapEvidence.PainPointIndex("account-login-verification");
        HashSet<string> taken = [];
        ThemeIndex.Name([], [], [], category, taken).Name.Should().Be("Other account, login and verification issues");
        ThemeIndex.Name([], [], [], category, taken).Name.Should().Be("Other account, login and verification issues (2)");
        // A shared key phrase that is a category's name is not a theme name either.
        ThemeIndex.Name([new(0, 3)], ["payment checkout"], [1], category, taken).Name.Should().StartWith("Other account");
    }

    [Fact]
    public void ACategoryThemeIsNeverNamedByOneWord()
    {
        var category = (sbyte)MapEvidence.PainPointIndex("price-fees-billing");
        // "account" is the most frequent phrase, but one word names a topic, not a finding: the two-word phrase wins.
        ThemeIndex.Name([new(0, 9), new(1, 4)], ["account", "extra fee"], [0, 1], category, []).Name.Should().Be("extra fee");
        // A negation does not make a word a finding either.
        ThemeIndex.Name([new(0, 9), new(1, 4)], ["not work", "card declined"], [1, 1], category, []).Name.Should().Be("card declined");
        // With only one-word phrases the theme gets a plain description of its category.
        ThemeIndex.Name([new(0, 9), new(1, 4)], ["account", "charge"], [0, 0], category, []).Name.Should().StartWith("Other price");
    }

    [Fact]
    public void AThemeIsNamedByItsMostFrequentFreePhraseEvenWhenTheFirstFewAreTaken()
    {
        // 40 phrases; the 12 most frequent are names on the touchpoint already, so the ranking goes past its head.
        var phrases = Enumerable.Range(0, 40).Select(i => $"phrase number {i}").ToArray();
        var counts = Enumerable.Range(0, 40).Select(i => new KeyValuePair<int, int>(i, 100 - i)).ToArray();
        HashSet<string> taken = [.. phrases.Take(12)];
        var (name, top, namePhrase) = ThemeIndex.Name(counts, phrases, phrases.Select(_ => 2).ToArray(), 0, taken);
        name.Should().Be("phrase number 12");
        namePhrase.Should().Be(12);
        top.Should().Equal("phrase number 0", "phrase number 1", "phrase number 2");

        // Ties in count: the longer phrase, then the text, decide.
        var (tied, _, _) = ThemeIndex.Name([new(0, 5), new(1, 5), new(2, 5)], ["late parcel", "parcel never arrived", "a parcel went missing"], [1, 2, 3], 0, []);
        tied.Should().Be("a parcel went missing");
    }

    [Fact]
    public void SelectionAndSegmentFilterTheItems()
    {
        var e = Evidence(10);
        var result = InsightsCalculator.Compute(e, new EvidenceSelection(Day.AddDays(-4), null, null));
        result.Touchpoints[0].Items.Should().Be(5);
        InsightsCalculator.Compute(e, new EvidenceSelection(null, null, Filter("kind = REVIEW"))).Touchpoints[0].Items.Should().Be(10);
        InsightsCalculator.Compute(e, new EvidenceSelection(null, null, Filter("kind = survey"))).Touchpoints[0].Items.Should().Be(0);
        InsightsCalculator.Compute(e, new EvidenceSelection(null, null, Filter("NOT kind = survey"))).Touchpoints[0].Items.Should().Be(10);
    }

    private static Segments.SegmentFilter Filter(string text) =>
        new(Segments.SegmentExpression.TryParse(text, out _)!, Segments.CustomerDirectory.Empty);

    [Theory]
    [InlineData("kind:review", "kind = review")]
    [InlineData(" Source : Google Play ", "source = \"Google Play\"")]
    public void TheOlderKeyValueFormStillParses(string text, string canonical) =>
        Segments.SegmentExpression.TryParse(text, out _)!.ToString().Should().Be(canonical);

    [Theory]
    [InlineData("Ordered Monday. Where is my parcel? Nobody answers.", "Where is my parcel?")]
    [InlineData("can I change the address?", "can I change the address?")]
    [InlineData("No question here.", null)]
    public void TheQuestionSentenceIsCutFromTheText(string text, string? expected) =>
        QuestionSentence.Cut(text).Should().Be(expected);
}
