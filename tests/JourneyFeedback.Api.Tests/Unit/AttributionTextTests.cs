using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class AttributionTextTests
{
    [Theory]
    [InlineData("Google", "google")]
    [InlineData("  google   SEARCH ", "google")]
    [InlineData("Googled it", "google")]
    [InlineData("saw an ad on Instagram!", "instagram")]
    [InlineData("insta", "instagram")]
    [InlineData("A friend", "friend")]
    [InlineData("word of mouth", "friend")]
    [InlineData("Tik Tok", "tiktok")]
    [InlineData("Ski club newsletter", "email")]
    [InlineData("Café flyer", "cafe flyer")]
    [InlineData("   ", "")]
    public void FreeTextIsNormalisedToOneSource(string text, string expected) =>
        AttributionText.Normalize(text).Should().Be(expected);

    [Fact]
    public void NormalisedAnswerMatchesAnOptionByLabelOrId()
    {
        var touchpoint = Guid.NewGuid();
        SurveyOption[] options = [new() { Id = "search", Label = "Google search", TouchpointId = touchpoint }, new() { Id = "tv", Label = "Television" }];
        AttributionText.MatchOption(AttributionText.Normalize("googled"), options)!.TouchpointId.Should().Be(touchpoint);
        AttributionText.MatchOption(AttributionText.Normalize("TV advert"), options)!.Id.Should().Be("tv");
        AttributionText.MatchOption(AttributionText.Normalize("a billboard"), options).Should().BeNull();
    }

    [Theory]
    [InlineData("Google search", "google-search")]
    [InlineData("  Friends & family!  ", "friends-family")]
    public void SlugsAreStableIds(string label, string slug) => AttributionText.Slug(label).Should().Be(slug);
}
