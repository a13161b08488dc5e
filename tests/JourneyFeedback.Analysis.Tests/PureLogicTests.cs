using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.KeyPhrases;
using JourneyFeedback.Analysis.Language;
using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Sentiment;
using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Analysis.Tests;

public sealed class PureLogicTests
{
    [Theory]
    [InlineData(1, "negative")]
    [InlineData(2, "negative")]
    [InlineData(3, "neutral")]
    [InlineData(4, "positive")]
    [InlineData(5, "positive")]
    public void FiveStarRatingsMapToSentiment(int stars, string expected) =>
        WeakLabels.FromStarRating(stars).Should().Be(expected);

    [Theory]
    [InlineData(1, "negative")]
    [InlineData(4, "negative")]
    [InlineData(6, "neutral")]
    [InlineData(7, "positive")]
    [InlineData(10, "positive")]
    public void TenPointRatingsScaleTheSameRule(int rating, string expected) =>
        WeakLabels.FromStarRating(rating, 1, 10).Should().Be(expected);

    [Theory]
    [InlineData(0, "negative")]
    [InlineData(6, "negative")]
    [InlineData(7, "neutral")]
    [InlineData(8, "neutral")]
    [InlineData(9, "positive")]
    [InlineData(10, "positive")]
    public void NpsBandsMapToSentiment(int score, string expected) => WeakLabels.FromNps(score).Should().Be(expected);

    [Fact]
    public void OutOfRangeRatingsAreRejected()
    {
        FluentActions.Invoking(() => WeakLabels.FromNps(11)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => WeakLabels.FromStarRating(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("My card has not arrived yet", "card not arrived")]
    [InlineData("Payment declined at checkout again!", "payment declined")]
    [InlineData("The parcel still hasn't arrived.", "parcel not arrived")]
    public void KeyPhrasesKeepContentWordsAndNegation(string text, string expected) =>
        KeyPhraseExtractor.Extract(text).Should().Contain(expected);

    [Theory]
    [InlineData("Karta nie dotarła do mnie już od tygodnia.", "pl", "karta nie dotarła", "już")]
    [InlineData("Płatność kartą została odrzucona, proszę o pomoc", "pl", "płatność kartą odrzucona", "proszę")]
    [InlineData("Il pacco non è ancora arrivato, grazie.", "it", "pacco non arrivato", "ancora")]
    [InlineData("Il rimborso del reso è in ritardo", "it", "rimborso", "del")]
    [InlineData("Coletul nu a ajuns nici azi.", "ro", "coletul nu ajuns", "nici")]
    [InlineData("Plata cu cardul a fost respinsă de două ori", "ro", "plata", "cu")]
    public void KeyPhrasesUseTheTextsLanguageAndKeepItsDiacritics(string text, string language, string expected, string functionWord)
    {
        var phrases = KeyPhraseExtractor.Extract(text, language: language);
        phrases.Should().Contain(expected);
        phrases.SelectMany(p => p.Split(' ')).Should().NotContain(functionWord);
        // With the English lists the language's function words stay inside the phrases.
        KeyPhraseExtractor.Extract(text).SelectMany(p => p.Split(' ')).Should().Contain(functionWord);
    }

    [Fact]
    public void KeyPhrasesSkipFunctionWords() =>
        KeyPhraseExtractor.Extract("I and the of to").Should().BeEmpty();

    [Theory]
    [InlineData("My order has not arrived and nobody answers the phone.", "en")]
    [InlineData("Moja paczka jeszcze nie dotarła, a obsługa klienta nie odpowiada.", "pl")]
    [InlineData("Il mio ordine non è ancora arrivato e nessuno risponde alle email.", "it")]
    [InlineData("Comanda mea nu a sosit încă și nimeni nu răspunde la telefon.", "ro")]
    [InlineData("Meine Bestellung ist noch nicht angekommen und niemand antwortet.", "de")]
    [InlineData("Ma commande n'est toujours pas arrivée et personne ne répond.", "fr")]
    [InlineData("Mi pedido todavía no ha llegado y nadie contesta el teléfono.", "es")]
    public void DetectsLanguageOfCustomerSentences(string text, string expected) =>
        LanguageDetector.Detect(text).Code.Should().Be(expected);

    [Fact]
    public void ThresholdTuningPicksTheF1OptimalCut()
    {
        float[] scores = [0.9f, 0.8f, 0.35f, 0.3f, 0.1f];
        bool[] gold = [true, true, true, false, false];
        var (threshold, f1) = Metrics.BestF1Threshold(scores, gold);
        threshold.Should().BeInRange(0.31f, 0.35f);
        f1.Should().BeApproximately(1.0, 1e-9);
    }

    [Fact]
    public void ManifestRoundTripsThroughJson()
    {
        var manifest = new ModelManifest
        {
            Name = "emotions",
            Version = "v1",
            TrainedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
            ModelFile = "emotions.zip",
            FeaturizerVersion = "f",
            TrainingData = "test",
            Labels = ["anger", "joy"],
            Thresholds = new Dictionary<string, float> { ["anger"] = 0.3f },
            HeldOutMetrics = new ModelMetrics(new Dictionary<string, double> { ["ekman_macro_f1"] = 0.56 }),
        };
        var back = ModelManifest.FromJson(manifest.ToJson());
        back.Labels.Should().Equal(manifest.Labels);
        back.Thresholds["anger"].Should().Be(0.3f);
        back.HeldOutMetrics.Values["ekman_macro_f1"].Should().Be(0.56);
        back.TrainedAt.Should().Be(manifest.TrainedAt);
    }

    [Fact]
    public void NotWorseComparesEveryMetricWithTolerance()
    {
        var current = new ModelMetrics(new Dictionary<string, double> { ["a"] = 0.80, ["b"] = 0.60 });
        new ModelMetrics(new Dictionary<string, double> { ["a"] = 0.81, ["b"] = 0.598 }).IsNotWorseThan(current).Should().BeTrue();
        new ModelMetrics(new Dictionary<string, double> { ["a"] = 0.81, ["b"] = 0.58 }).IsNotWorseThan(current).Should().BeFalse();
        new ModelMetrics(new Dictionary<string, double> { ["a"] = 0.90 }).IsNotWorseThan(current).Should().BeFalse();
    }

    [Fact]
    public void RegressionsNameEachWorseOrMissingMetric()
    {
        var current = new ModelMetrics(new Dictionary<string, double> { ["a"] = 0.80, ["b"] = 0.60, ["c"] = 0.50 });
        var candidate = new ModelMetrics(new Dictionary<string, double> { ["a"] = 0.70, ["b"] = 0.596 });
        candidate.RegressionsAgainst(current).Should().Equal(new MetricRegression("a", 0.70, 0.80), new MetricRegression("c", null, 0.50));
        candidate.RegressionsAgainst(current, tolerance: 0.2).Should().Equal(new MetricRegression("c", null, 0.50));
        current.RegressionsAgainst(current, tolerance: -0.01).Should().HaveCount(3, "a negative tolerance demands a real improvement");
    }

    [Fact]
    public void AVersionIsPromotedOnlyWhenEveryModelIsNotWorse()
    {
        static Dictionary<string, ModelMetrics> Version(double sentiment, double emotions, double painPoints) => new()
        {
            [ModelNames.Sentiment] = new(new Dictionary<string, double> { ["uci_binary_accuracy"] = sentiment }),
            [ModelNames.Emotions] = new(new Dictionary<string, double> { ["ekman_macro_f1"] = emotions }),
            [ModelNames.PainPoints] = new(new Dictionary<string, double> { ["own_heldout_accuracy"] = painPoints }),
        };
        var current = Version(0.86, 0.57, 0.82);

        var better = ModelPromotion.Decide(Version(0.87, 0.568, 0.82), current);
        better.Promote.Should().BeTrue();
        better.Reason.Should().Be("Not worse than the version in use on any held-out metric of sentiment, emotions, painpoints (tolerance 0.005).");

        var worse = ModelPromotion.Decide(Version(0.90, 0.50, 0.80), current);
        worse.Promote.Should().BeFalse("one better model does not make up for worse ones");
        worse.Regressions.Select(r => $"{r.Model}.{r.Regression.Metric}").Should().Equal("emotions.ekman_macro_f1", "painpoints.own_heldout_accuracy");
        worse.Reason.Should().Be("Worse than the version in use on held-out data (tolerance 0.005): "
            + "emotions.ekman_macro_f1 0.500 < 0.570; painpoints.own_heldout_accuracy 0.800 < 0.820.");

        var incomplete = Version(0.9, 0.9, 0.9);
        incomplete.Remove(ModelNames.PainPoints);
        ModelPromotion.Decide(incomplete, current).Reason.Should().Contain("painpoints.own_heldout_accuracy missing");
    }

    [Fact]
    public void EveryEmotionLabelBelongsToOneEkmanGroup()
    {
        EmotionLabels.All.Select(l => l.Name).Should().Contain(["anger", "annoyance", "confusion", "disappointment", "fear", "sadness", "surprise", "joy", "gratitude", "approval"]);
        EmotionLabels.GroupOf("annoyance").Should().Be(EkmanGroup.Anger);
        EmotionLabels.GroupOf("neutral").Should().Be(EkmanGroup.Neutral);
    }
}
