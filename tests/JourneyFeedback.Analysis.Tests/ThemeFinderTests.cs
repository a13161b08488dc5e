using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Analysis.Semantic;
using JourneyFeedback.Analysis.Themes;

namespace JourneyFeedback.Analysis.Tests;

public sealed class ThemeFinderTests(SentenceEmbedderFixture fixture) : IClassFixture<SentenceEmbedderFixture>
{
    private static readonly string[] CardNotArrived =
    [
        "My card still hasn't arrived after two weeks.",
        "The new card has not arrived yet, it has been two weeks.",
        "Still waiting for my card to arrive in the post.",
        "My card never arrived, I ordered it two weeks ago.",
        "Where is my card? It hasn't arrived after 14 days.",
        "I ordered a card weeks ago and it still has not arrived.",
        "Card not arrived after two weeks of waiting.",
        "My card has not been delivered yet and it's been weeks.",
    ];

    private static readonly string[] AtmDeclined =
    [
        "The ATM declined my cash withdrawal.",
        "Cash machine refused to give me money, withdrawal declined.",
        "My cash withdrawal was declined at the ATM today.",
        "The ATM keeps declining when I try to withdraw cash.",
        "Tried to withdraw cash at an ATM and it was declined.",
        "ATM declined my card when I wanted to take out cash.",
        "Why was my ATM cash withdrawal declined?",
        "Could not withdraw cash, the ATM declined the withdrawal.",
    ];

    private static readonly string[] AppCrashes =
    [
        "The app crashes every time I open it.",
        "Your app keeps crashing on startup.",
        "The mobile app crashed again when I opened it.",
        "App crashes as soon as it opens.",
        "Every time I open the app it crashes.",
        "The banking app keeps crashing on my phone.",
    ];

    private List<ThemeItem> Items(IEnumerable<(string Text, string Category)> texts)
    {
        var list = texts.ToList();
        var vectors = fixture.Embedder.Embed(list.Select(t => t.Text).ToList());
        return list.Select((t, i) => new ThemeItem(Guid.NewGuid(), t.Text, vectors[i], t.Category)).ToList();
    }

    private List<ThemeItem> CardAndAtmItems() =>
        Items(CardNotArrived.Select(t => (t, "delivery-shipping")).Concat(AtmDeclined.Select(t => (t, "payment-checkout"))));

    private static List<KnownTheme> Known(IEnumerable<FoundTheme> themes) =>
        themes.Select(t => new KnownTheme(t.Id, t.Name, t.Centroid, t.Members.ToHashSet())).ToList();

    [Fact]
    public void TwoClearlyDifferentIssuesBecomeTwoThemesWithTheirCategories()
    {
        var items = CardAndAtmItems();
        var themes = new ThemeFinder(fixture.Embedder).Find(items, []);

        themes.Should().HaveCount(2);
        var cardIds = items.Take(CardNotArrived.Length).Select(i => i.Id).ToHashSet();
        var card = themes.Single(t => t.Members.Any(cardIds.Contains));
        card.Members.Should().BeEquivalentTo(cardIds);
        card.Category.Should().Be("delivery-shipping");
        themes.Single(t => t != card).Category.Should().Be("payment-checkout");
    }

    [Fact]
    public void GroupsBelowTheMinimumSizeAreNotThemes()
    {
        var items = CardAndAtmItems().Concat(Items(AppCrashes.Take(2).Select(t => (t, "usability-website-app")))).ToList();
        var themes = new ThemeFinder(fixture.Embedder).Find(items, []);

        themes.Should().HaveCount(2);
        themes.SelectMany(t => t.Members).Should().NotContain(items.TakeLast(2).Select(i => i.Id));
    }

    [Fact]
    public void NamesAreUniqueReadablePhrasesFromTheirOwnItemsAndNeverCategories()
    {
        var items = CardAndAtmItems().Concat(Items(AppCrashes.Select(t => (t, "usability-website-app")))).ToList();
        var themes = new ThemeFinder(fixture.Embedder).Find(items, []);
        var textOf = items.ToDictionary(i => i.Id, i => ThemeNamer.Key(i.Text));

        themes.Should().HaveCount(3);
        themes.Select(t => ThemeNamer.Key(t.Name)).Should().OnlyHaveUniqueItems();
        foreach (var theme in themes)
        {
            ThemeNamer.IsCategoryName(theme.Name).Should().BeFalse();
            PainPointTaxonomy.Names.Should().NotContain(theme.Name);
            theme.Name.Split(' ').Length.Should().BeInRange(3, 7, theme.Name);
            theme.Members.Should().Contain(m => textOf[m].Contains(ThemeNamer.Key(theme.Name), StringComparison.Ordinal),
                "the name \"{0}\" is a span of one of its own items", theme.Name);
            theme.Phrases.Select(ThemeNamer.Key).Should().NotContain(ThemeNamer.Key(theme.Name));
        }
    }

    [Fact]
    public void AThemeKeepsItsIdWhenItsMembershipStaysMostlyTheSame()
    {
        var finder = new ThemeFinder(fixture.Embedder);
        var items = CardAndAtmItems();
        var first = finder.Find(items, []);

        // A refresh: one item of each issue gone, two new card complaints arrived.
        var refreshed = items.Where((_, i) => i != 0 && i != CardNotArrived.Length)
            .Concat(Items([("My card has still not arrived, two weeks now.", "delivery-shipping"), ("Two weeks and my card has not arrived.", "delivery-shipping")]))
            .ToList();
        var second = finder.Find(refreshed, Known(first));

        second.Select(t => t.Id).Should().BeEquivalentTo(first.Select(t => t.Id));
        foreach (var theme in second)
            theme.Name.Should().Be(first.Single(f => f.Id == theme.Id).Name, "a kept theme keeps a name that still fits");
    }

    [Fact]
    public void ADifferentGroupGetsANewId()
    {
        var finder = new ThemeFinder(fixture.Embedder);
        var crashes = finder.Find(Items(AppCrashes.Select(t => (t, "usability-website-app"))), []);
        crashes.Should().HaveCount(1);

        var themes = finder.Find(CardAndAtmItems(), Known(crashes));

        themes.Should().HaveCount(2);
        themes.Select(t => t.Id).Should().NotContain(crashes[0].Id).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void TheSameInputGivesTheSameThemes()
    {
        var items = CardAndAtmItems().Concat(Items(AppCrashes.Select(t => (t, "usability-website-app")))).ToList();
        var finder = new ThemeFinder(fixture.Embedder);

        var first = finder.Find(items, []);
        var second = finder.Find(items, []);

        second.Should().HaveCount(first.Count);
        for (var t = 0; t < first.Count; t++)
        {
            second[t].Id.Should().Be(first[t].Id);
            second[t].Name.Should().Be(first[t].Name);
            second[t].Members.Should().Equal(first[t].Members);
            second[t].Phrases.Should().Equal(first[t].Phrases);
        }
    }

    [Fact]
    public void AverageLinkageCutsBetweenSeparateDirections()
    {
        // Three tight bundles of vectors around orthogonal axes, plus one stray vector: three groups, the stray left out.
        var random = new Random(7);
        float[] Around(int axis)
        {
            var v = new float[SentenceEmbedder.Dimensions];
            v[axis] = 1;
            for (var d = 0; d < v.Length; d++) v[d] += (float)(random.NextDouble() - 0.5) * 0.05f;
            Embedding.Normalize(v);
            return v;
        }
        var vectors = Enumerable.Range(0, 30).Select(i => Around(i % 3)).Append(Around(10)).ToArray();

        var groups = ThemeFinder.Groups(vectors, mergeCosine: 0.6f, minMembers: 5);

        groups.Should().HaveCount(3);
        groups.Should().OnlyContain(g => g.Length == 10 && g.All(i => i % 3 == g[0] % 3));
        groups.SelectMany(g => g).Should().NotContain(30);
    }
}
