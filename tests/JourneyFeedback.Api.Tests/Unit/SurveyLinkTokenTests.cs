using JourneyFeedback.Api.Surveys;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class SurveyLinkTokenTests
{
    [Fact]
    public void ATokenNamesItsSurveyAndCarriesFreshRandomBits()
    {
        var survey = Guid.CreateVersion7();
        var tokens = Enumerable.Range(0, 200).Select(_ => SurveyLinkToken.New(survey)).ToList();

        tokens.Should().OnlyContain(t => t.Length == 54 && t.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
        tokens.Should().OnlyContain(t => SurveyLinkToken.SurveyOf(t) == survey);
        tokens.Select(t => t[22..]).Distinct().Should().HaveCount(tokens.Count);
        // 192 random bits: every character of the random part varies across links.
        Enumerable.Range(22, 32).Should().OnlyContain(i => tokens.Select(t => t[i]).Distinct().Count() > 10);
    }

    [Theory]
    [InlineData("Xy3abcdefghijklmnopqrstuvwxyz012")] // an older link: 32 random characters
    [InlineData("")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!abcdefghijklmnopqrstuvwxyz012345")] // 54 characters, not base64url
    public void ATokenWithoutASurveyNamesNone(string token) => SurveyLinkToken.SurveyOf(token).Should().BeNull();
}
