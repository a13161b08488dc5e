using JourneyFeedback.Analysis.Matching;

namespace JourneyFeedback.Analysis.Tests;

public sealed class MatchingTests
{
    private static readonly TouchpointDescriptor LiveChat = new(Guid.NewGuid(), "Live chat", "chat", "Chat with an advisor", ["chat", "agent"], "Consideration");
    private static readonly TouchpointDescriptor OrderEmail = new(Guid.NewGuid(), "Order e-mail", "email", "Order and dispatch confirmation e-mails", ["confirmation", "receipt"], "Purchase");
    private static readonly TouchpointDescriptor ReviewRequest = new(Guid.NewGuid(), "Review request", "email", "Post-purchase review invitation", ["rate us", "feedback"], "Advocacy");
    private static readonly TouchpointDescriptor Delivery = new(Guid.NewGuid(), "Delivery", "delivery", "Courier delivery and tracking", ["courier", "parcel", "tracking"], "Purchase");
    private static readonly TouchpointDescriptor ReviewSites = new(Guid.NewGuid(), "Review sites", "review-site", "Trustpilot and Google reviews of the store", ["trustpilot", "stars"], "Interest");
    private static readonly TouchpointDescriptor App = new(Guid.NewGuid(), "Mobile app", "app", "iOS and Android app", ["crash", "login"], "Use");

    private static TouchpointMatcher Matcher(IEnumerable<MatchExample>? examples = null) =>
        new([LiveChat, OrderEmail, ReviewRequest, Delivery, ReviewSites, App], examples);

    [Theory]
    [InlineData("chat")]
    [InlineData("Live Chat")]
    [InlineData("webchat")]
    [InlineData("Intercom")]
    public void AChannelNamingOneTouchpointIsAnExplicitMatch(string channel)
    {
        var match = Matcher().Match(new MatchInput("The parcel is late", Channel: channel));
        match.TouchpointId.Should().Be(LiveChat.Id, "the channel wins over what the text is about");
        match.Reason.Should().Be(MatchReasons.Channel);
        match.Confidence.Should().Be(0.95);
    }

    [Fact]
    public void ASharedChannelIsNarrowedByTheText()
    {
        var match = Matcher().Match(new MatchInput("Please rate us? I have not even received my order confirmation receipt", Channel: "E-mail"));
        match.Reason.Should().Be(MatchReasons.Channel);
        new Guid?[] { OrderEmail.Id, ReviewRequest.Id }.Should().Contain(match.TouchpointId);
        Matcher().Match(new MatchInput("no order confirmation receipt came", Channel: "email")).TouchpointId.Should().Be(OrderEmail.Id);
        Matcher().Match(new MatchInput("you asked me to rate us and leave feedback", Channel: "email")).TouchpointId.Should().Be(ReviewRequest.Id);
    }

    [Theory]
    [InlineData("Google Play", "app")]
    [InlineData("App Store", "app")]
    [InlineData("Trustpilot", "review-sites")]
    public void ASourceIsMatchedThroughKeywordsOrItsKnownChannel(string source, string expected)
    {
        var match = Matcher().Match(new MatchInput("Terrible, two stars", Source: source));
        match.Reason.Should().Be(MatchReasons.Source);
        match.TouchpointId.Should().Be(expected == "app" ? App.Id : ReviewSites.Id);
    }

    [Fact]
    public void TheTextDecidesWhenNothingExplicitIsKnown()
    {
        var match = Matcher().Match(new MatchInput("The courier lost my parcel and tracking says delivered"));
        match.TouchpointId.Should().Be(Delivery.Id);
        match.Reason.Should().Be(MatchReasons.Text);
        match.Confidence.Should().BeGreaterThan(TouchpointMatcher.DefaultThreshold);
    }

    [Fact]
    public void ConceptsBridgeWordsTheAuthorDidNotWrite()
    {
        // "box turned up" shares no word with the Delivery touchpoint; the delivery concept links them.
        Matcher().Match(new MatchInput("the box turned up two days late")).BestGuess.Should().Be(Delivery.Id);
        ConceptVocabulary.Concepts("I rang them and was on hold for an hour").Should().Contain("phone-call-centre");
    }

    [Fact]
    public void AnUninformativeTextGoesToTheInboxWithABestGuess()
    {
        var match = Matcher().Match(new MatchInput("meh"));
        match.TouchpointId.Should().BeNull();
        match.Reason.Should().BeNull();
        match.BestGuess.Should().NotBeNull();
    }

    [Fact]
    public void ConfirmedExamplesTeachTheMatcherNewWords()
    {
        const string text = "the glorbix frumble zapped";
        Matcher().Match(new MatchInput(text)).TouchpointId.Should().BeNull();
        var taught = Matcher([new MatchExample(App.Id, "glorbix frumble zapped again")]);
        var match = taught.Match(new MatchInput(text));
        match.TouchpointId.Should().Be(App.Id);
        match.Reason.Should().Be(MatchReasons.Text);
    }

    [Theory]
    [InlineData("delivered", "delivery")]
    [InlineData("delivering", "deliver")]
    [InlineData("parcels", "parcel")]
    [InlineData("shipping", "shipped")]
    [InlineData("replies", "reply")]
    [InlineData("refunded", "refunds")]
    public void TheStemmerJoinsWordFamilies(string word, string relative) => MatchText.Stem(word).Should().Be(MatchText.Stem(relative));

    [Fact]
    public void TheStemmerLeavesShortAndDistinctWordsApart()
    {
        MatchText.Stem("bus").Should().Be("bus");
        MatchText.Stem("card").Should().NotBe(MatchText.Stem("cart"));
    }

    [Fact]
    public void WordsAreFoldedToLowerCaseWithoutAccents() =>
        MatchText.Words("Zażółć GĘŚLĄ jaźń, didn't").Should().Equal("zazolc", "gesla", "jazn", "didnt");
}

/// <summary>
/// Floors for text-to-touchpoint matching on the hand-labelled sets (samples/matching/), a little under the figures in
/// docs/insights.md, so a change that makes matching worse fails here. Held-out texts are never among the examples.
/// </summary>
public sealed class MatchingQualityFloorTests
{
    private static MatchingReport Evaluate(string map, string labelled) => MatchingEvaluator.Evaluate(
        Path.Combine(AppContext.BaseDirectory, "samples", "maps", map + ".json"),
        Path.Combine(AppContext.BaseDirectory, "samples", "matching", labelled + ".tsv"));

    [Theory]
    [InlineData("ecommerce-journey", "ecommerce-labelled", 0.70, 0.76, 0.83)]
    // The banking precision floor was 0.89 at the old (Rocchio-only) confidence scale; the learning matcher keeps more
    // texts out of the inbox at the same threshold (5-fold coverage up), at 0.85 precision.
    [InlineData("retail-banking-journey", "banking-labelled", 0.66, 0.69, 0.84)]
    public void MatchingStaysAboveItsMeasuredFloors(string map, string labelled, double mapOnly, double fiveFold, double precision)
    {
        var report = Evaluate(map, labelled);
        report.ZeroShot.Accuracy.Should().BeGreaterThanOrEqualTo(mapOnly);
        report.FiveFold.Accuracy.Should().BeGreaterThanOrEqualTo(fiveFold);
        report.FiveFold.PrecisionAboveThreshold.Should().BeGreaterThanOrEqualTo(precision).And.BeGreaterThanOrEqualTo(0.83);
        report.FiveFold.Coverage.Should().BeGreaterThanOrEqualTo(0.55, "most texts are matched rather than sent to the inbox");
    }

    [Fact]
    public void TheThirdDomainSetIsWeakerAndStaysAboveItsFloor()
    {
        // Written after the matcher, by someone who never saw it or its vocabulary: the honest out-of-domain check.
        var report = Evaluate("saas-journey", "saas-labelled");
        report.ZeroShot.Accuracy.Should().BeGreaterThanOrEqualTo(0.40);
        report.FiveFold.Accuracy.Should().BeGreaterThanOrEqualTo(0.42);
    }
}

public sealed class IntentSetTests
{
    private static string Sample(string folder, string file) => Path.Combine(AppContext.BaseDirectory, "samples", folder, file);

    [Fact]
    public void IntentsWithNoTouchpointOnTheMapStayInThePoolAndAreNeverScored()
    {
        var set = SemanticMatchingEvaluator.LoadIntentSet("retail", Sample("maps", "retail-banking-journey.json"), Sample("matching", "banking77-retail-intents.tsv"),
            Sample("matching", "banking77-dev.tsv"), Sample("matching", "banking77-heldout.tsv"), 20);

        var names = set.Touchpoints.Select(t => t.Name).ToHashSet();
        set.Known.Concat(set.HeldOut).Should().OnlyContain(t => names.Contains(t.Touchpoint));
        set.KnownUnmapped.Should().NotBeNull().And.Contain("Can I auto top if I'm low on funds?", "top-ups have no touchpoint on the retail-bank map");
        int Lines(string file) => File.ReadLines(Sample("matching", file)).Count(l => l.Length > 0) - 1;
        (set.Known.Count + set.KnownUnmapped!.Count).Should().Be(Lines("banking77-dev.tsv"), "every dev text is either mapped or unmapped");
        (set.HeldOut.Count + set.Unmapped!.Count).Should().Be(Lines("banking77-heldout.tsv"));

        var dev = SemanticMatchingEvaluator.DevSplit(set);
        dev.Unmapped.Should().BeEquivalentTo(set.KnownUnmapped, "a dev run measures the known file's unmapped texts, never the held-out file's");
        dev.KnownUnmapped.Should().BeNull();
    }

    [Fact]
    public void AnIntentMissingFromTheTableIsAnErrorNotASilentDrop()
    {
        var intents = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(intents, File.ReadLines(Sample("matching", "banking77-retail-intents.tsv")).Where(l => !l.StartsWith("card_arrival\t", StringComparison.Ordinal)));
            var load = () => SemanticMatchingEvaluator.LoadIntentSet("retail", Sample("maps", "retail-banking-journey.json"), intents,
                Sample("matching", "banking77-dev.tsv"), Sample("matching", "banking77-heldout.tsv"), 20);
            load.Should().Throw<InvalidDataException>().WithMessage("*card_arrival*");
        }
        finally
        {
            File.Delete(intents);
        }
    }
}
