using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class WebhooksOptionsTests
{
    [Fact]
    public void TheDefaultScheduleIsEightDelays()
    {
        var schedule = WebhooksOptions.ParseSchedule(new WebhooksOptions().RetrySchedule);
        schedule.Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
            TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10));
    }

    [Fact]
    public void DelaysMayBeFractionalCommaSeparatedAndInDays() =>
        WebhooksOptions.ParseSchedule(" 1.5m,2d  0.5s ").Should().Equal(TimeSpan.FromSeconds(90), TimeSpan.FromDays(2), TimeSpan.FromMilliseconds(500));

    [Theory]
    [InlineData("", "at least one delay")]
    [InlineData("  , ", "at least one delay")]
    [InlineData("5", "'5' is not a delay")]
    [InlineData("0s 5", "'5' is not a delay")]
    [InlineData("10", "'10' has no unit")]
    [InlineData("5x", "'5x' has no unit")]
    [InlineData("5sec", "'5sec' is not a delay")]
    [InlineData("-5s", "'-5s' is not a delay")]
    [InlineData("s", "'s' is not a delay")]
    [InlineData("fives", "'fives' is not a delay")]
    [InlineData("NaNs", "'NaNs' is not a delay")]
    [InlineData("Infinityh", "'Infinityh' is not a delay")]
    [InlineData("1e300d", "'1e300d' is not a delay")]
    public void BadSchedulesAreFormatErrorsNamingThePart(string schedule, string message)
    {
        var parse = () => WebhooksOptions.ParseSchedule(schedule);
        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(message).And.StartWith("Webhooks:RetrySchedule");
    }
}
