using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class WebhookLogicTests
{
    [Theory]
    [InlineData(9, 10, 11.0 / 1024)]
    [InlineData(10, 10, 1.0 / 1024)]
    [InlineData(0, 10, 1.0)]
    [InlineData(5, 10, 638.0 / 1024)]
    [InlineData(11, 10, 0.0)]
    [InlineData(1, 1, 0.5)]
    public void TheUpperTailIsTheExactBinomialOne(int k, int n, double expected) =>
        PainPointAlerts.UpperTail(k, n).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void TheUpperTailStaysExactForLargeCounts() =>
        // P(X >= 560 | n = 1000, 1/2): beyond 3.7 standard deviations, about 7.6e-5 (normal approximation 8.1e-5).
        PainPointAlerts.UpperTail(560, 1000).Should().BeInRange(5e-5, 1e-4);

    [Fact]
    public void AThemeEmergesWhenAllItsItemsAreRecentAndEnough()
    {
        var emerged = Guid.NewGuid();
        var tooFew = Guid.NewGuid();
        var old = Guid.NewGuid();
        var alerts = PainPointAlerts.Find(
        [
            new(emerged, Current: 6, Previous: 0, HasOlder: false),
            new(tooFew, Current: 4, Previous: 0, HasOlder: false),
            new(old, Current: 6, Previous: 0, HasOlder: true),
        ], minItems: 5, alpha: 0.05);
        alerts.Where(a => a.Type == WebhookEventTypes.PainPointEmerged).Select(a => a.ThemeId).Should().Equal(emerged);
        alerts.Should().NotContain(a => a.ThemeId == emerged && a.Type == WebhookEventTypes.PainPointSpiked, "an emerged theme is not also a spike");
    }

    [Fact]
    public void ASpikeMustSurviveTheHolmCorrectionOverTheMapsThemes()
    {
        var spike = Guid.NewGuid();
        // 12 against 2: P(X >= 12 | n = 14) = 106/16384 ≈ 0.0065, significant alone.
        PainPointAlerts.Find([new(spike, 12, 2, true)], 5, 0.05).Should().ContainSingle(a => a.ThemeId == spike && a.Type == WebhookEventTypes.PainPointSpiked)
            .Which.PValue.Should().BeApproximately(106.0 / 16384, 1e-9);

        // Beside 19 steady themes the smallest p-value is multiplied by 20: 0.13, not significant any more.
        var steady = Enumerable.Range(0, 19).Select(_ => new PainPointAlerts.ThemeCounts(Guid.NewGuid(), 6, 6, true));
        PainPointAlerts.Find([new(spike, 12, 2, true), .. steady], 5, 0.05).Should().BeEmpty();

        // A much stronger spike survives it.
        var strong = PainPointAlerts.Find([new(spike, 40, 2, true), .. steady], 5, 0.05);
        strong.Should().ContainSingle().Which.PValue.Should().BeLessThan(0.05);
    }

    [Fact]
    public void NoSpikeWhenTheCountFellStayedOrIsTooSmall()
    {
        PainPointAlerts.Find([new(Guid.NewGuid(), 3, 20, true)], 5, 0.05).Should().BeEmpty();
        PainPointAlerts.Find([new(Guid.NewGuid(), 10, 10, true)], 5, 0.05).Should().BeEmpty();
        PainPointAlerts.Find([new(Guid.NewGuid(), 4, 0, true)], 5, 0.05).Should().BeEmpty("4 items is under the minimum even though all are new");
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.255.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("169.254.169.254", "link-local or metadata")]
    [InlineData("100.64.0.1", "shared (CGNAT) or metadata")]
    [InlineData("0.0.0.0", "reserved")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "reserved")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00:ec2::254", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("93.184.215.14", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("100.128.0.1", null)]
    [InlineData("2606:4700::1111", null)]
    [InlineData("64:ff9b::5db8:d70e", null)]
    public void AddressesAreJudgedByWhatTheyReach(string address, string? refused) =>
        WebhookTargets.Refused(IPAddress.Parse(address)).Should().Be(refused);

    [Fact]
    public void ASignatureIsHmacSha256OfIdTimestampAndBodyKeyedWithTheSecretsBytes()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var secret = "whsec_" + Convert.ToBase64String(key);
        const string body = """{"type":"webhook.test","data":{"ok":true}}""";
        var expected = "v1," + Convert.ToBase64String(new HMACSHA256(key).ComputeHash(Encoding.UTF8.GetBytes("msg_1.1700000000." + body)));

        WebhookSignature.Sign(secret, "msg_1", 1700000000, body).Should().Be(expected);
        var other = WebhookSignature.NewSecret();
        WebhookSignature.Header([secret, other], "msg_1", 1700000000, body).Should().Be(expected + " " + WebhookSignature.Sign(other, "msg_1", 1700000000, body));
        WebhookSignature.Sign(secret, "msg_1", 1700000001, body).Should().NotBe(expected, "the timestamp is signed");
    }

    [Fact]
    public void NewSecretsAreRandomAndLongEnough()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => WebhookSignature.NewSecret()).ToList();
        secrets.Should().OnlyHaveUniqueItems().And.OnlyContain(s => s.StartsWith("whsec_") && Convert.FromBase64String(s.Substring(6)).Length >= 24);
    }

    [Fact]
    public void SchedulesParseAndBadOnesAreNamed()
    {
        WebhooksOptions.ParseSchedule("0s 5s 5m 30m 2h 5h 10h 10h").Should().Equal(
            TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10));
        WebhooksOptions.ParseSchedule("1d,0.5h").Should().Equal(TimeSpan.FromDays(1), TimeSpan.FromMinutes(30));
        foreach (var bad in new[] { "", "5", "5x", "-1s", "s" })
            ((Action)(() => WebhooksOptions.ParseSchedule(bad))).Should().Throw<FormatException>();
    }

    [Fact]
    public void AnOversizedBodyKeepsItsIdsAndLinks()
    {
        var huge = new { itemId = Guid.NewGuid(), comment = new string('x', 50_000), note = "short", links = new Dictionary<string, string> { ["item"] = "/api/evidence/1" } };
        var e = new OutboxEvent(Guid.NewGuid(), "survey.answered", "low", DateTime.UtcNow, huge);
        var cut = JsonNode.Parse(WebhookBody.Serialize("msg_x", e, 4096))!;
        Encoding.UTF8.GetByteCount(cut.ToJsonString()).Should().BeLessThanOrEqualTo(4096);
        cut["data"]!["truncated"]!.GetValue<bool>().Should().BeTrue();
        cut["data"]!["comment"]!.GetValue<string>().Length.Should().BeLessThan(1100);
        cut["data"]!["note"]!.GetValue<string>().Should().Be("short");

        var keptOnlyIds = JsonNode.Parse(WebhookBody.Serialize("msg_x", e, 600))!["data"]!.AsObject();
        keptOnlyIds.Select(p => p.Key).Should().BeEquivalentTo("itemId", "links", "truncated");
        var whole = JsonNode.Parse(WebhookBody.Serialize("msg_x", e with { Data = new { itemId = 1 } }, 4096))!;
        whole["data"]!["truncated"].Should().BeNull();
        whole["id"]!.GetValue<string>().Should().Be("msg_x");
    }
}
