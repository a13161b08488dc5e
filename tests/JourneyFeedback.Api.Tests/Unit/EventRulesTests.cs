using JourneyFeedback.Api.Journeys;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class EventRulesTests
{
    [Theory]
    [InlineData("https://shop.example/help/returns?q=a@b.c#top", "/help/returns")]
    [InlineData("https://shop.example", "/")]
    [InlineData("https://shop.example?x=1", "/")]
    [InlineData("/cart?step=2", "/cart")]
    [InlineData("Checkout", "/Checkout")]
    [InlineData("android-app://com.shop/orders/12/tracking", "/orders/12/tracking")]
    [InlineData("https://shop.example/s%C3%B8g", "/søg")]
    public void PathsAreTakenFromUrlsBarePathsAndScreenNames(string url, string path) =>
        CompiledEventRules.PathOf(url).Should().Be(path);

    [Theory]
    [InlineData("/help/*", "/help/returns/form", true)]
    [InlineData("/help/*", "/help", false)]
    [InlineData("/help*", "/help", true)]
    [InlineData("/products/*/reviews", "/products/42/reviews", true)]
    [InlineData("/products/*/reviews", "/products/42/specs", false)]
    [InlineData("/CART", "/cart/", true)]
    [InlineData("/checkout", "/checkout/payment", false)]
    [InlineData("*", "/anything", true)]
    [InlineData("/", "/", true)]
    public void UrlPatternsMatchTheWholePathWithStarsAnyRunIgnoringCaseAndATrailingSlash(string pattern, string path, bool matches) =>
        CompiledEventRules.PathMatches(pattern, path).Should().Be(matches);

    [Fact]
    public void TheFirstMatchingRuleWinsAndEveryConditionOfARuleMustHold()
    {
        Guid checkout = Guid.NewGuid(), help = Guid.NewGuid(), newsletter = Guid.NewGuid(), gone = Guid.NewGuid();
        var index = new Dictionary<Guid, int> { [checkout] = 0, [help] = 1, [newsletter] = 2 };
        var rules = new CompiledEventRules(
        [
            new EventRule { TouchpointId = gone, EventName = "page_view", UrlPath = "/old*" },
            new EventRule { TouchpointId = newsletter, Property = "utm_source", Value = "Newsletter" },
            new EventRule { TouchpointId = checkout, EventName = "page_view", UrlPath = "/checkout*" },
            new EventRule { TouchpointId = help, UrlPath = "/help/*" },
        ], id => index.TryGetValue(id, out var i) ? i : -1);

        rules.FirstMatch("page_view", "/checkout/pay", null).Should().Be(2);
        rules.FirstMatch("click", "/checkout/pay", null).Should().Be(-1, "the rule needs both the name and the path");
        rules.FirstMatch("page_view", "/checkout", """{"utm_source":"newsletter"}""").Should().Be(1, "an earlier rule wins");
        rules.FirstMatch("page_view", "/help/faq", """{"utm_source":"google"}""").Should().Be(3);
        rules.FirstMatch("page_view", "/old/page", null).Should().Be(0);
        rules.TouchpointOf(0).Should().Be(-1, "its touchpoint was deleted: it places nothing");
        rules.FirstMatch("page_view", "/help/faq", "not json").Should().Be(3);
    }
}

public sealed class EventUrlRedactionTests
{
    [Theory]
    [InlineData("?q=invoice+jane.doe%40example.com", "?q=invoice [email]")]
    [InlineData("?q=jane.doe@example.com&x=1", "?q=[email]&x=1")]
    [InlineData("?q=red%20shoes", "?q=red%20shoes")]
    [InlineData("?q=%E0%A4%A", "?q=%E0%A4%A")]
    public void PersonalDataInAQueryIsRedactedEvenWhenEncoded(string query, string stored) =>
        JourneyFeedback.Api.Imports.RowMapper.RedactQuery(query).Should().Be(stored);
}
