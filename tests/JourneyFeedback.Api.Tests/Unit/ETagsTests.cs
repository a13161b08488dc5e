using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class ETagsTests
{
    private static HttpRequest Request(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        return context.Request;
    }

    [Theory]
    [InlineData("\"3\"", false)]
    [InlineData("W/\"3\"", false)]
    [InlineData("\"2\", \"3\"", false)]
    [InlineData("*", false)]
    [InlineData("\"2\"", true)]
    [InlineData("not-an-etag", true)]
    public void IfMatchFailsOnlyWhenNoTagIsTheCurrentVersion(string ifMatch, bool fails) =>
        ETags.IfMatchFails(Request("If-Match", ifMatch), version: 3).Should().Be(fails);

    [Fact]
    public void MissingIfMatchNeverFails() => ETags.IfMatchFails(new DefaultHttpContext().Request, 3).Should().BeFalse();

    [Theory]
    [InlineData("\"3\"", true)]
    [InlineData("\"4\"", false)]
    [InlineData("*", true)]
    public void IfNoneMatchHitsTheCurrentVersion(string ifNoneMatch, bool hits) =>
        ETags.IfNoneMatchHits(Request("If-None-Match", ifNoneMatch), version: 3).Should().Be(hits);
}
