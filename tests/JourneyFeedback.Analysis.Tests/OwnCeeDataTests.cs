using System.Text;
using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Analysis.Tests;

/// <summary>Checks the shape of our own Polish, Italian and Romanian customer texts (TrainingData/own/{pl,it,ro}.tsv).</summary>
public sealed class OwnCeeDataTests
{
    private static readonly string[] Categories =
    [
        "delivery-shipping", "price-fees-billing", "payment-checkout", "product-quality", "usability-website-app",
        "account-login-verification", "support-responsiveness", "support-resolution", "refunds-returns",
        "communication-information", "none",
    ];

    private static readonly string[] Channels = ["chat", "email", "appstore", "nps", "interview"];
    private static readonly string[] Sentiments = ["negative", "neutral", "positive"];
    private static readonly string[] Splits = ["train", "heldout"];

    private static readonly Dictionary<string, string> Diacritics = new()
    {
        ["pl"] = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
        ["it"] = "àèéìòùÀÈÉÌÒÙ",
        ["ro"] = "ăâîșțĂÂÎȘȚ",
    };

    private sealed record Row(string Text, string Category, string Channel, string Sentiment, string Split);

    private static string PathOf(string language) => Path.Combine(TrainingDataLocator.Require(), "own", language + ".tsv");

    private static List<Row> Read(string language)
    {
        var lines = File.ReadAllLines(PathOf(language), Encoding.UTF8);
        lines[0].Should().Be("text\tcategory\tchannel\tsentiment\tsplit");
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split('\t');
            cells.Should().HaveCount(5, "a text must not contain a tab: {0}", line);
            return new Row(cells[0], cells[1], cells[2], cells[3], cells[4]);
        }).ToList();
    }

    // Case, punctuation and spacing differences do not make two texts different.
    private static string Normalized(string text) =>
        string.Join(' ', new string(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("pl")]
    [InlineData("it")]
    [InlineData("ro")]
    public void FileIsPlainUtf8WithLfLineEnds(string language)
    {
        var bytes = File.ReadAllBytes(PathOf(language));
        bytes.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "no byte-order mark");
        bytes.Should().NotContain((byte)'\r');
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        strict.Invoking(e => e.GetString(bytes)).Should().NotThrow();
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("it")]
    [InlineData("ro")]
    public void EveryRowHasKnownLabelsAndTheSetIsLargeEnough(string language)
    {
        var rows = Read(language);
        rows.Should().HaveCountGreaterThanOrEqualTo(250);
        rows.Should().OnlyContain(r => r.Text.Trim().Length > 0 && r.Text == r.Text.Trim());
        rows.Select(r => r.Category).Should().OnlyContain(c => Categories.Contains(c));
        rows.Select(r => r.Channel).Should().OnlyContain(c => Channels.Contains(c));
        rows.Select(r => r.Sentiment).Should().OnlyContain(s => Sentiments.Contains(s));
        rows.Select(r => r.Split).Should().OnlyContain(s => Splits.Contains(s));
        rows.Select(r => r.Channel).Distinct().Should().BeEquivalentTo(Channels, "every channel is represented");
        rows.Select(r => r.Sentiment).Distinct().Should().BeEquivalentTo(Sentiments);
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("it")]
    [InlineData("ro")]
    public void EveryCategoryHasEnoughRowsAndHeldOutRows(string language)
    {
        var rows = Read(language);
        foreach (var category in Categories)
        {
            var inCategory = rows.Where(r => r.Category == category).ToList();
            inCategory.Should().HaveCountGreaterThanOrEqualTo(18, "category {0} needs enough examples", category);
            inCategory.Count(r => r.Split == "heldout").Should().BeGreaterThanOrEqualTo(5, "category {0} needs held-out rows", category);
        }

        var heldOutShare = rows.Count(r => r.Split == "heldout") / (double)rows.Count;
        heldOutShare.Should().BeInRange(0.25, 0.35, "the split is about 70/30");
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("it")]
    [InlineData("ro")]
    public void MostTextsCarryTheLanguagesDiacritics(string language)
    {
        var rows = Read(language);
        var withDiacritics = rows.Count(r => r.Text.Any(Diacritics[language].Contains));
        (withDiacritics / (double)rows.Count).Should().BeGreaterThanOrEqualTo(0.85);
    }

    [Fact]
    public void RomanianUsesCommaBelowNotCedilla()
    {
        var text = string.Concat(Read("ro").Select(r => r.Text));
        text.Should().NotContainAny("\u015F", "\u0163", "\u015E", "\u0162");
        text.Should().ContainAll("ș", "ț");
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("it")]
    [InlineData("ro")]
    public void NoTextIsRepeatedOrOnBothSidesOfTheSplit(string language)
    {
        var rows = Read(language);
        rows.GroupBy(r => Normalized(r.Text)).Where(g => g.Count() > 1).Select(g => g.Key)
            .Should().BeEmpty("a text appears once per language");

        var train = rows.Where(r => r.Split == "train").Select(r => Normalized(r.Text)).ToHashSet();
        rows.Where(r => r.Split == "heldout").Select(r => Normalized(r.Text)).Where(train.Contains)
            .Should().BeEmpty("held-out texts must not be trained on");
    }
}
