using JourneyFeedback.Api.Webhooks;
using static JourneyFeedback.Api.Webhooks.PainPointAlerts;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class PainPointAlertsTests
{
    private const int MinItems = 5;
    private const double Alpha = 0.05;

    private static ThemeCounts Theme(int current, int previous, bool hasOlder = false) => new(Guid.NewGuid(), current, previous, hasOlder);

    [Theory]
    [InlineData(9, 10, 11.0 / 1024)] // C(10,9) + C(10,10) over 2^10
    [InlineData(10, 10, 1.0 / 1024)]
    [InlineData(5, 10, 638.0 / 1024)] // (252 + 210 + 120 + 45 + 10 + 1) / 1024
    [InlineData(6, 10, 386.0 / 1024)]
    [InlineData(1, 1, 0.5)]
    [InlineData(15, 18, 988.0 / 262144)] // (816 + 153 + 18 + 1) / 2^18
    [InlineData(0, 7, 1.0)]
    [InlineData(8, 7, 0.0)]
    public void UpperTailIsTheExactBinomialTailAtOneHalf(int k, int n, double expected) =>
        PainPointAlerts.UpperTail(k, n).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void UpperTailStaysExactForLargeCounts()
    {
        // Symmetry at p = 1/2: P(X >= k) + P(X >= n - k + 1) = 1.
        PainPointAlerts.UpperTail(1200, 2000).Should().BeApproximately(1 - PainPointAlerts.UpperTail(801, 2000), 1e-12);
        PainPointAlerts.UpperTail(1001, 2000).Should().BeApproximately((1 - 0.017839) / 2, 1e-5, "half of what the middle term C(2000,1000)/2^2000 leaves");
    }

    [Fact]
    public void AThemeEmergesWithEnoughNewItemsAndNothingBefore()
    {
        var fresh = Theme(current: MinItems, previous: 0);
        var alerts = PainPointAlerts.Find([fresh], MinItems, Alpha);
        alerts.Should().ContainSingle().Which.Should().Be(new Alert(fresh.ThemeId, WebhookEventTypes.PainPointEmerged, null),
            "an emerged theme is not reported as spiked too, although 5 of 5 is significant on its own");
    }

    [Fact]
    public void TooFewNewItemsOrAnyOlderOnesMeanNotEmerged()
    {
        PainPointAlerts.Find([Theme(current: MinItems - 1, previous: 0)], MinItems, Alpha).Should().BeEmpty();
        PainPointAlerts.Find([Theme(current: 20, previous: 1)], MinItems, Alpha)
            .Should().ContainSingle().Which.Type.Should().Be(WebhookEventTypes.PainPointSpiked, "it had an item in the previous period: it spiked");
        var older = Theme(current: MinItems, previous: 0, hasOlder: true);
        PainPointAlerts.Find([older], MinItems, Alpha).Should().ContainSingle()
            .Which.Should().Be(new Alert(older.ThemeId, WebhookEventTypes.PainPointSpiked, 1.0 / 32), "known from before the previous period: not new");
    }

    [Fact]
    public void ASpikeNeedsMoreItemsThanBeforeAndTheMinimum()
    {
        PainPointAlerts.Find([Theme(current: 8, previous: 8)], MinItems, Alpha).Should().BeEmpty();
        PainPointAlerts.Find([Theme(current: 8, previous: 9)], MinItems, Alpha).Should().BeEmpty();
        PainPointAlerts.Find([Theme(current: 0, previous: 9)], MinItems, Alpha).Should().BeEmpty();
        // 4 of 4 has p = 1/16: significant at 0.1, yet below the minimum.
        PainPointAlerts.Find([Theme(current: 4, previous: 0, hasOlder: true)], MinItems, alpha: 0.1).Should().BeEmpty();
        // 10 against 4: p ≈ 0.09, no spike at 0.05.
        PainPointAlerts.Find([Theme(current: 10, previous: 4)], MinItems, Alpha).Should().BeEmpty();
    }

    [Fact]
    public void ASpikeSignificantAloneIsNotReportedAfterCorrectingOverManyThemes()
    {
        var spike = Theme(current: 10, previous: 1); // p = 12/2048 ≈ 0.0059
        PainPointAlerts.Find([spike], MinItems, Alpha).Should().ContainSingle()
            .Which.Should().Be(new Alert(spike.ThemeId, WebhookEventTypes.PainPointSpiked, 12.0 / 2048));

        // Nine steady themes make ten tests: 10 × 0.0059 > 0.05.
        var steady = Enumerable.Range(0, 9).Select(_ => Theme(current: 5, previous: 5)).ToList();
        PainPointAlerts.Find([spike, .. steady], MinItems, Alpha).Should().BeEmpty();
        // Themes with no items in either period are not tests.
        PainPointAlerts.Find([spike, .. Enumerable.Range(0, 9).Select(_ => Theme(current: 0, previous: 0, hasOlder: true))], MinItems, Alpha)
            .Should().ContainSingle().Which.PValue.Should().BeApproximately(12.0 / 2048, 1e-12);
    }

    [Fact]
    public void HolmAdjustedValuesStepDownAndNeverDecrease()
    {
        var strongest = Theme(current: 8, previous: 0, hasOlder: true); // p = 1/256
        var second = Theme(current: 10, previous: 1); // p = 12/2048 = 1.5/256
        var alerts = PainPointAlerts.Find([second, strongest], MinItems, Alpha).ToDictionary(a => a.ThemeId);
        alerts[strongest.ThemeId].PValue.Should().BeApproximately(2.0 / 256, 1e-12, "the smallest p-value times the two tests");
        alerts[second.ThemeId].PValue.Should().BeApproximately(2.0 / 256, 1e-12, "its own 1.5/256 times one test, raised to the one before it");
    }

    [Fact]
    public void HolmStopsAtTheFirstValueThatFails()
    {
        var clear = Theme(current: 12, previous: 0, hasOlder: true); // p = 1/4096
        var borderline = Theme(current: 9, previous: 2); // p = 67/2048 ≈ 0.033: alone it would spike
        var weaker = Theme(current: 9, previous: 3); // p ≈ 0.073
        var alerts = PainPointAlerts.Find([weaker, borderline, clear], MinItems, Alpha);
        alerts.Should().ContainSingle().Which.ThemeId.Should().Be(clear.ThemeId, "0.033 × 2 fails, and everything after it is not tested");
        PainPointAlerts.Find([borderline], MinItems, Alpha).Should().ContainSingle();
    }
}
