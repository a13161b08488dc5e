using System.Net;
using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class WebhookTargetsTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.10", "private")]
    [InlineData("169.254.169.254", "link-local or metadata")]
    [InlineData("100.64.0.1", "shared (CGNAT) or metadata")]
    [InlineData("100.100.100.200", "shared (CGNAT) or metadata")]
    [InlineData("0.0.0.0", "reserved")]
    [InlineData("192.0.0.171", "reserved")]
    [InlineData("198.18.0.1", "reserved")]
    [InlineData("224.0.0.251", "multicast or reserved")]
    [InlineData("255.255.255.255", "multicast or reserved")]
    public void InternalIPv4AddressesAreRefused(string address, string kind) => WebhookTargets.Refused(IPAddress.Parse(address)).Should().Be(kind);

    [Theory]
    [InlineData("::1", "loopback")]
    [InlineData("::", "reserved")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fec0::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd00:ec2::254", "private")]
    public void InternalIPv6AddressesAreRefused(string address, string kind) => WebhookTargets.Refused(IPAddress.Parse(address)).Should().Be(kind);

    [Theory]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.5", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local or metadata")]
    [InlineData("64:ff9b::7f00:1", "loopback")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", "link-local or metadata")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::c0a8:101", "private")] // NAT64 of 192.168.1.1
    public void IPv4AddressesCarriedInIPv6AreJudgedAsIPv4(string address, string kind) => WebhookTargets.Refused(IPAddress.Parse(address)).Should().Be(kind);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")] // just past 172.16/12
    [InlineData("100.128.0.1")] // just past 100.64/10
    [InlineData("192.169.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void PublicAddressesAreAllowed(string address) => WebhookTargets.Refused(IPAddress.Parse(address)).Should().BeNull();

    [Theory]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/latest/meta-data")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://api.localhost/hooks")]
    [InlineData("http://hooks.example.com/journeyfeedback")]
    [InlineData("https://user:pass@hooks.example.com/journeyfeedback")]
    [InlineData("hooks.example.com/journeyfeedback")]
    public void UrlsOfInternalOrUnsafeTargetsAreRefused(string url) => WebhookTargets.CheckUrl(url, new WebhooksOptions()).Should().NotBeNull();

    [Theory]
    [InlineData("https://hooks.example.com/journeyfeedback")]
    [InlineData("https://8.8.8.8/hooks")]
    [InlineData("https://[2001:4860:4860::8888]/hooks")]
    public void UrlsOfPublicHttpsTargetsAreAccepted(string url) => WebhookTargets.CheckUrl(url, new WebhooksOptions()).Should().BeNull();

    [Fact]
    public void TheOptionsOpenHttpAndPrivateTargets()
    {
        var open = new WebhooksOptions { AllowHttp = true, AllowPrivateTargets = true };
        WebhookTargets.CheckUrl("http://127.0.0.1:5000/hooks", open).Should().BeNull();
        WebhookTargets.CheckUrl("ftp://127.0.0.1/hooks", open).Should().NotBeNull();
        WebhookTargets.CheckUrl("http://127.0.0.1:5000/hooks", new WebhooksOptions { AllowHttp = true }).Should().Contain("loopback");
    }
}
