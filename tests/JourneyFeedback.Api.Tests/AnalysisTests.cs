using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

public sealed class AnalysisTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [Fact]
    public async Task ClassifyReturnsSentimentEmotionsPainPointsKeyPhrasesAndLanguagePerText()
    {
        var viewer = (await app.CreateWorkspaceAsync()).As("viewer");
        var response = await viewer.PostAsJsonAsync("/api/analysis/classify", new
        {
            texts = new[]
            {
                "My parcel never arrived, support ignored three emails and I am furious.",
                "Thank you so much, the agent was lovely and fixed everything in minutes!",
                "Paczka nie dotarła, a obsługa klienta w ogóle nie odpowiada na maile.",
            },
        });

        var results = (await response.ReadJson(HttpStatusCode.OK))["results"]!.AsArray();
        results.Should().HaveCount(3);
        foreach (var result in results)
        {
            var scores = result!["sentiment"]!["scores"]!.AsObject();
            scores.Select(s => s.Key).Should().BeEquivalentTo("negative", "neutral", "positive");
            scores.Sum(s => s.Value!.GetValue<double>()).Should().BeApproximately(1, 0.01);
            result["emotions"]!.AsArray().Should().NotBeEmpty().And.OnlyContain(e => e!["group"] != null && e["score"] != null);
            result["modelVersion"]!.GetValue<string>().Should().Contain("sentiment:").And.Contain("pain-points:");
        }
        results[0]!["sentiment"]!["label"]!.GetValue<string>().Should().Be("negative");
        results[1]!["sentiment"]!["label"]!.GetValue<string>().Should().Be("positive");
        results[0]!["language"]!.GetValue<string>().Should().Be("en");
        results[0]!["lowConfidence"]!.GetValue<bool>().Should().BeFalse();
        results[2]!["language"]!.GetValue<string>().Should().Be("pl");
        results[2]!["lowConfidence"]!.GetValue<bool>().Should().BeFalse("Polish has models of its own");
        results[2]!["modelLanguage"]!.GetValue<string>().Should().Be("pl");
        results[0]!["keyPhrases"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task ClassifyChecksItsInput()
    {
        var client = (await app.CreateWorkspaceAsync()).As("viewer");
        await (await client.PostAsJsonAsync("/api/analysis/classify", new { texts = Array.Empty<string>() })).ShouldNameField("texts");
        await (await client.PostAsJsonAsync("/api/analysis/classify", new { texts = Enumerable.Repeat("late parcel", 1001) })).ShouldNameField("texts");
        await (await client.PostAsJsonAsync("/api/analysis/classify", new { texts = new[] { "fine", " " } })).ShouldNameField("texts[1]");
    }

    [Fact]
    public async Task ModelsListTheirVersionsThresholdsLabelsAndHeldOutMetrics()
    {
        var client = (await app.CreateWorkspaceAsync()).As("viewer");
        var response = (await client.GetFromJsonAsync<JsonObject>("/api/analysis/models"))!;
        response["source"]!.GetValue<string>().Should().Be("committed", "a workspace that never retrained uses the shipped models");
        response["retrainJobId"].Should().BeNull();
        var models = response["models"]!.AsArray();
        response["version"]!.GetValue<string>().Should().Be(models[0]!["version"]!.GetValue<string>());
        models.Select(m => m!["name"]!.GetValue<string>()).Should().BeEquivalentTo("sentiment", "emotions", "painpoints");
        foreach (var model in models)
        {
            model!["version"]!.GetValue<string>().Should().NotBeNullOrEmpty();
            model["trainingData"]!.GetValue<string>().Should().NotBeNullOrEmpty();
            model["labels"]!.AsArray().Should().NotBeEmpty();
            model["heldOutMetrics"]!.ToJsonString().Should().NotBe("{}");
        }
        models.Single(m => m!["name"]!.GetValue<string>() == "emotions")!["thresholds"]!.AsObject().Should().NotBeEmpty();
    }

    [Fact]
    public async Task ImportedRowsAreAnalysedInThePipelineWithTheModelVersion()
    {
        var client = (await app.CreateWorkspaceAsync()).As("researcher");
        await ImportRuns.Run(client, "support-log.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("support-log.csv")));
        var items = (await (await client.GetAsync("/api/evidence?pageSize=100")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();

        items.Should().HaveCount(11).And.OnlyContain(i => i!["analysis"] != null);
        var versions = items.Select(i => i!["analysis"]!["modelVersion"]!.GetValue<string>()).Distinct().ToList();
        versions.Should().ContainSingle().Which.Should().Contain("sentiment:");
        var praise = items.Single(i => i!["externalId"]!.GetValue<string>() == "ZD-10242")!["analysis"]!;
        praise["sentiment"]!.GetValue<string>().Should().Be("positive");
        var waited = items.Single(i => i!["externalId"]!.GetValue<string>() == "ZD-10239")!["analysis"]!;
        waited["sentiment"]!.GetValue<string>().Should().Be("negative");
        waited["painPoint"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task SurveyCommentsAreAnalysedInTheBackground()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new { type = "nps", name = "NPS" })).ReadJson(HttpStatusCode.Created);
        var invitations = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = "chat-1" } } })).ReadJson(HttpStatusCode.Created);
        var token = invitations["invitations"]![0]!["token"]!.GetValue<string>();
        (await app.CreateClient().PostAsJsonAsync($"/s/{token}", new { score = 1, comment = "Terrible, nobody answered my chat and the refund is still missing." }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        JsonNode? analysis = null;
        for (var attempt = 0; attempt < 100 && analysis is null; attempt++)
        {
            await Task.Delay(100);
            var items = (await (await workspace.As("viewer").GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
            analysis = items.Single()!["analysis"];
        }
        analysis.Should().NotBeNull("the analysis worker picks up stored comments within seconds");
        analysis!["sentiment"]!.GetValue<string>().Should().Be("negative");
        analysis["analyzedAt"].Should().NotBeNull();
    }
}

public sealed class AnalysisSettingsTests : IDisposable
{
    private readonly ConfiguredApp _app = new(new Dictionary<string, string?>
    {
        ["Analysis:ModelDirectory"] = "",
        ["Analysis:RetrainMaxRowsPerSource"] = "",
        ["Analysis:TrainingDataDirectory"] = "",
    });

    [Fact]
    public async Task EmptyModelDirectoryMeansTheShippedModels()
    {
        var models = await _app.BootstrapClient().GetFromJsonAsync<JsonObject>("/api/analysis/models");
        models!["models"]!.AsArray().Should().HaveCount(3);
    }

    [Fact]
    public async Task EmptyRetrainSettingsMeanFullSizeOnTheBuiltInTrainingData()
    {
        var preview = await (await _app.BootstrapClient().PostAsJsonAsync("/api/analysis/retrain", new { dryRun = true })).ReadJson(HttpStatusCode.OK);
        preview["maxRowsPerSource"].Should().BeNull("empty means every row, as the committed models were trained");
        preview["tolerance"]!.GetValue<double>().Should().Be(0.005);
    }

    [Fact]
    public async Task RetrainingWithoutTheTrainingDataIsUnavailableNotAnError()
    {
        using var app = new ConfiguredApp(new Dictionary<string, string?> { ["Analysis:TrainingDataDirectory"] = "/nonexistent/training-data" });
        var problem = await (await app.BootstrapClient().PostAsJsonAsync("/api/analysis/retrain", new { })).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        problem["detail"]!.GetValue<string>().Should().Contain("Analysis:TrainingDataDirectory");
    }

    public void Dispose() => _app.Dispose();
}
