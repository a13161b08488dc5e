using JourneyFeedback.Api.Imports;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>The bulk path makes its own RFC 9562 version 7 ids; they must be what Guid.CreateVersion7 would make.</summary>
public sealed class Version7IdsTests
{
    [Fact]
    public void IdsAreVersion7WithTheRfcVariantAndTheBatchTime()
    {
        var now = new DateTime(2026, 11, 23, 17, 39, 55, 727, DateTimeKind.Utc);
        var ids = FeedbackItemInserter.Version7Ids(5000, now);

        ids.Should().HaveCount(5000).And.OnlyHaveUniqueItems();
        var reference = Guid.CreateVersion7(new DateTimeOffset(now));
        foreach (var id in ids)
        {
            id.Version.Should().Be(7);
            id.Variant.Should().BeInRange(8, 11, "the RFC 9562 variant is binary 10xx");
            // The first 48 bits are the Unix time in milliseconds, as in the framework's own version 7 ids.
            id.ToString()[..13].Should().Be(reference.ToString()[..13]);
        }
    }

    [Fact]
    public void RandomBitsDifferBetweenBatches()
    {
        var now = DateTime.UtcNow;
        FeedbackItemInserter.Version7Ids(100, now).Intersect(FeedbackItemInserter.Version7Ids(100, now)).Should().BeEmpty();
    }
}
