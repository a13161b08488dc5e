using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Imports;
using Microsoft.AspNetCore.Http;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class DateWindowTests
{
    [Fact]
    public void ADateWithoutATimeInToIncludesThatWholeDay()
    {
        var window = DateWindow.FromQuery(new DateTime(2026, 3, 1), new DateTime(2026, 3, 31));
        window.From.Should().Be(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        window.To.Should().Be(new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void AToWithATimeIsTheExactEnd() =>
        DateWindow.FromQuery(null, new DateTime(2026, 3, 31, 12, 30, 0)).To.Should().Be(new DateTime(2026, 3, 31, 12, 30, 0, DateTimeKind.Utc));

    [Fact]
    public void BothEndsAreUtcAndALocalTimeIsConverted()
    {
        var local = new DateTime(2026, 3, 31, 12, 30, 0, DateTimeKind.Local);
        var window = DateWindow.FromQuery(new DateTime(2026, 3, 1, 8, 0, 0), local);
        window.From!.Value.Kind.Should().Be(DateTimeKind.Utc);
        window.To.Should().Be(local.ToUniversalTime());
    }

    [Fact]
    public void MissingEndsStayOpen()
    {
        DateWindow.FromQuery(null, null).Should().Be(new DateWindow(null, null));
        DateWindow.FromQuery(null, null).EndsBeforeItStarts.Should().BeFalse();
    }

    [Theory]
    [InlineData("2026-03-02", "2026-03-01", true)]
    [InlineData("2026-03-01T10:00:00", "2026-03-01T10:00:00", true)]
    [InlineData("2026-03-01", "2026-03-01", false)] // to = that whole day
    [InlineData("2026-03-01T10:00:00", "2026-03-01T10:00:01", false)]
    public void AWindowEndsBeforeItStartsOnlyWhenItHoldsNoInstant(string from, string to, bool backwards) =>
        DateWindow.FromQuery(DateTime.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            DateTime.Parse(to, System.Globalization.CultureInfo.InvariantCulture)).EndsBeforeItStarts.Should().Be(backwards);
}

public sealed class PagingTests
{
    [Theory]
    [InlineData(0, 50, "page")]
    [InlineData(-3, 50, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 501, "pageSize")]
    public void OutOfRangeValuesNameTheirField(int page, int pageSize, string field)
    {
        var problem = Paging.Problem(page, pageSize);
        problem.Should().NotBeNull();
        problem!.StatusCode.Should().Be(StatusCodes.Status400BadRequest);
        problem.ProblemDetails.Extensions["errors"].Should().BeOfType<Dictionary<string, string[]>>().Which.Keys.Should().Equal(field);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 500)]
    [InlineData(7, 50)]
    public void ValuesInRangePass(int page, int pageSize) => Paging.Problem(page, pageSize).Should().BeNull();

    [Fact]
    public void APageIsTheItemsAfterThePagesBeforeIt()
    {
        var items = Enumerable.Range(1, 12).AsQueryable();
        items.Page(1, 5).Should().Equal(1, 2, 3, 4, 5);
        items.Page(3, 5).Should().Equal(11, 12);
        items.Page(4, 5).Should().BeEmpty();
        Paging.Skip(3, 5).Should().Be(10);
    }
}

public sealed class RatingScaleGuessTests
{
    [Theory]
    [InlineData(0, 5)]
    [InlineData(4.5, 5)]
    [InlineData(5, 5)]
    [InlineData(5.5, 10)]
    [InlineData(10, 10)]
    [InlineData(10.1, 100)]
    [InlineData(87, 100)]
    public void TheHighestRatingDecidesTheScale(double highest, double scale) => RowMapper.GuessScale(highest).Should().Be(scale);

    [Theory]
    [InlineData("4", 4)]
    [InlineData("4.5", 4.5)]
    [InlineData("4,5", 4.5)]
    [InlineData(" 9 ", 9)]
    public void RatingsReadWithAPointOrADecimalComma(string text, double rating)
    {
        RowMapper.TryParseRating(text, out var value).Should().BeTrue();
        value.Should().Be(rating);
    }

    [Theory]
    [InlineData("")]
    [InlineData("five")]
    [InlineData("4/5")]
    public void TextThatIsNotANumberIsNoRating(string text) => RowMapper.TryParseRating(text, out _).Should().BeFalse();
}
