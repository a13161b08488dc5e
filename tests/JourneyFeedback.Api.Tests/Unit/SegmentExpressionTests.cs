using JourneyFeedback.Api.Segments;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class SegmentExpressionTests
{
    private static SegmentExpression Parse(string text)
    {
        var expression = SegmentExpression.TryParse(text, out var error);
        error.Should().BeNull();
        return expression!;
    }

    private static string Error(string text)
    {
        SegmentExpression.TryParse(text, out var error).Should().BeNull($"'{text}' is not a valid expression");
        return error!;
    }

    /// <summary>Evaluates the expression for one customer (attributes) and one item (item fields), by the filter's rules.</summary>
    private static bool Holds(string text, Dictionary<string, string> values)
    {
        var expression = Parse(text);
        return expression.Evaluate(i =>
        {
            var c = expression.Conditions[i];
            return c.Holds(values.GetValueOrDefault(c.Field));
        });
    }

    [Theory]
    [InlineData("plan = pro AND country IN (PL, RO)", "plan = pro AND country IN (PL, RO)")]
    [InlineData("tenureMonths >= 12", "tenuremonths >= 12")]
    [InlineData("kind = review", "kind = review")]
    [InlineData("Plan='Pro plus' or not (country in ('PL'))", "plan = \"Pro plus\" OR NOT country IN (PL)")]
    [InlineData("(a = 1 OR b = 2) AND c != 3", "(a = 1 OR b = 2) AND c != 3")]
    [InlineData("a <> 1", "a != 1")]
    [InlineData("persona NOT IN (\"Busy parent\", student)", "persona NOT IN (\"Busy parent\", student)")]
    [InlineData("signup < 2025-01-01", "signup < 2025-01-01")]
    [InlineData("note = \"and\"", "note = \"and\"")]
    [InlineData("kind:review", "kind = review")]
    public void ValidExpressionsParseToTheirCanonicalForm(string text, string canonical)
    {
        var parsed = Parse(text);
        parsed.ToString().Should().Be(canonical);
        Parse(parsed.ToString()).ToString().Should().Be(canonical, "the canonical form parses to itself");
    }

    [Fact]
    public void AndBindsTighterThanOr()
    {
        // a = 1 OR (b = 1 AND c = 1): true with only a; it would be false if OR bound first.
        Holds("a = 1 OR b = 1 AND c = 1", new() { ["a"] = "1" }).Should().BeTrue();
        Holds("(a = 1 OR b = 1) AND c = 1", new() { ["a"] = "1" }).Should().BeFalse();
    }

    [Theory]
    [InlineData("plan = PRO", "pro", true)]               // text compares ignoring case
    [InlineData("plan != pro", "basic", true)]
    [InlineData("plan != pro", null, true)]               // a missing attribute satisfies only the negative forms
    [InlineData("plan = pro", null, false)]
    [InlineData("plan IN (pro, team)", "Team", true)]
    [InlineData("plan NOT IN (pro, team)", null, true)]
    [InlineData("plan NOT IN (pro, team)", "team", false)]
    [InlineData("tenure >= 12", "12", true)]
    [InlineData("tenure >= 12", "9", false)]              // numbers compare as numbers, not text ("9" > "12" as text)
    [InlineData("tenure > 2.5", "2,75", true)]            // a decimal comma reads as a number
    [InlineData("tenure < 12", "unknown", false)]         // a value that is not a number never passes an order test
    [InlineData("tenure < 12", null, false)]
    [InlineData("signup < 2025-01-01", "2024-12-31", true)]
    [InlineData("signup < 2025-01-01", "2025-01-01", false)]
    [InlineData("NOT plan = pro", null, true)]
    public void ConditionsFollowTheDocumentedRules(string text, string? value, bool expected)
    {
        var values = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Parse(text).Conditions[0].Field] = value };
        Holds(text, values).Should().Be(expected);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("plan =", "Expected a value, found the end")]
    [InlineData("plan pro", "Expected =, !=, <, <=, >, >=, IN or NOT IN after 'plan', found 'pro' at position 6")]
    [InlineData("plan = pro AND", "Expected a field name")]
    [InlineData("(plan = pro", "parenthesis opened at position 1 is not closed")]
    [InlineData("plan = pro)", "Expected AND, OR or the end, found ')' at position 11")]
    [InlineData("plan = 'pro", "no closing '")]
    [InlineData("plan IN pro", "Expected '(' after IN")]
    [InlineData("plan IN (pro,", "Expected a value")]
    [InlineData("tenure >= twelve", "use a number or a date")]
    [InlineData("plan = pro; DROP TABLE Customers", "Unexpected character ';' at position 11")]
    [InlineData("plan = \"\"", "empty")]
    [InlineData("AND = 1", "Expected a field name")]
    [InlineData("plan == pro", "Expected a value, found '=' at position 7")]
    public void InvalidExpressionsNameTheBadPart(string text, string expected) =>
        Error(text).Should().Contain(expected);

    [Fact]
    public void HostileInputIsRefusedCheaply()
    {
        Error(new string('(', 5000)).Should().Contain("longer than 2000");
        Error(string.Concat(Enumerable.Repeat("(", 30)) + "a = 1" + new string(')', 30)).Should().Contain("nests deeper than 20");
        Error(string.Join(" OR ", Enumerable.Range(0, 101).Select(i => $"a = {i}"))).Should().Contain("more than 100 conditions");
        Error(string.Concat(Enumerable.Repeat("NOT ", 25)) + "a = 1").Should().Contain("nests deeper than 20");
        Error("plan = \u0000").Should().Contain("Unexpected character");
        // Quoted text may hold anything; it is a value, never code.
        Parse("note = \"'; DELETE FROM \\\"Customers\\\"; --\"").Conditions[0].Values[0].Should().Be("'; DELETE FROM \"Customers\"; --");
    }

    [Theory]
    [InlineData("Tenure Months", "tenuremonths")]
    [InlineData("tenure_months", "tenuremonths")]
    [InlineData("  Ülke / Kraj ", "ülkekraj")]
    [InlineData("---", null)]
    public void AttributeKeysKeepOnlyLettersAndDigitsLowerCased(string raw, string? key) =>
        CustomerAttributes.Key(raw).Should().Be(key);

    [Theory]
    [InlineData("  Pro \t  plan ", "Pro plan")]
    [InlineData("Ste\u0301phane", "Stéphane")]   // composed (NFC): the same letter typed two ways compares equal
    [InlineData("   ", null)]
    public void AttributeValuesAreTrimmedComposedAndSpaced(string raw, string? value) =>
        CustomerAttributes.Value(raw).Should().Be(value);
}
