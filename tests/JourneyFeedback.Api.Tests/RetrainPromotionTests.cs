using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// Retraining against a baseline of the same (test) size: the candidate differs only by the workspace's examples, is
/// not worse on held-out data, and is promoted for that workspace alone.
/// </summary>
public sealed class RetrainPromotionTests(SmallBaselineApp app) : IClassFixture<SmallBaselineApp>
{
    [Fact]
    public async Task APromotedVersionAnalysesOnlyItsWorkspaceReanalyzeUsesItAndItSurvivesARestart()
    {
        var workspace = await app.CreateWorkspaceAsync("Retrained");
        var other = await app.CreateWorkspaceAsync("Untouched");
        var items = await Retraining.ImportReviews(workspace.As("researcher"),
            ("p1", "The courier left the parcel in the rain and the box was soaked", 1),
            ("p2", "Charged twice for one pair, still waiting for the money back", 1),
            ("p3", "Does the job, nothing special", 3),
            ("p4", "Lovely shoes and the exchange was painless", 5),
            ("p5", "Great value, arrived a day early", 5));
        var author = workspace.As("author");
        await Retraining.Correct(author, items["p1"], new { sentiment = "negative", painPoint = "delivery-shipping" });
        await Retraining.Correct(author, items["p2"], new { painPoint = "price-fees-billing", emotions = new[] { "annoyance" } });
        await Retraining.AnswerNps(app, workspace, 10, "The agent was brilliant and fixed it in minutes");
        var otherItems = await Retraining.ImportReviews(other.As("researcher"), ("x1", "Sizes run small", 2));

        var response = await author.PostAsJsonAsync("/api/analysis/retrain", new { });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await Retraining.WaitForDecision(workspace.As("viewer"), response.Headers.Location!.ToString());

        job["status"]!.GetValue<string>().Should().Be("promoted", job.ToJsonString());
        job["decision"]!.GetValue<string>().Should().Be("promoted");
        job["reason"]!.GetValue<string>().Should().StartWith("Not worse than the version in use");
        job["currentVersion"]!.GetValue<string>().Should().Be(SmallBaselineApp.BaselineVersion);
        job["examples"]!.ToJsonString().Should().Be(
            """{"sentimentCorrections":1,"emotionCorrections":1,"painPointCorrections":2,"weakLabelsFromRatings":4,"weakLabelsFromNps":1}""");
        foreach (var model in job["heldOutMetrics"]!.AsObject())
            foreach (var metric in model.Value!.AsObject())
                metric.Value!["candidate"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(metric.Value["current"]!.GetValue<double>() - 0.005,
                    $"{model.Key}.{metric.Key} decides the promotion");
        var version = job["candidateVersion"]!.GetValue<string>();
        var stored = Path.Combine(app.DataDirectory, "models", workspace.Id.ToString(), version);
        Directory.EnumerateFiles(stored).Select(Path.GetFileName).Should().BeEquivalentTo(
            "sentiment.zip", "sentiment.manifest.json", "emotions.zip", "emotions.manifest.json", "painpoints.zip", "painpoints.manifest.json");

        // The workspace now analyses with its version; the other workspace keeps the committed models.
        var models = await Retraining.Models(workspace.As("viewer"));
        models["version"]!.GetValue<string>().Should().Be(version);
        models["source"]!.GetValue<string>().Should().Be("retrained");
        models["retrainJobId"]!.GetValue<string>().Should().Be(job["id"]!.GetValue<string>());
        models["promotedAt"].Should().NotBeNull();
        models["models"]!.AsArray().Should().OnlyContain(m => m!["version"]!.GetValue<string>() == version);
        var otherModels = await Retraining.Models(other.As("viewer"));
        otherModels["version"]!.GetValue<string>().Should().Be(SmallBaselineApp.BaselineVersion);
        otherModels["source"]!.GetValue<string>().Should().Be("committed");
        (await Classify(workspace.As("viewer"))).Should().Contain(version);
        (await Classify(other.As("viewer"))).Should().NotContain(version);

        // Re-analysis re-scores the stored items with the promoted version; corrections stay.
        var queued = await (await author.PostAsJsonAsync("/api/analysis/reanalyze", new { })).ReadJson(HttpStatusCode.Accepted);
        queued["queued"]!.GetValue<int>().Should().Be(6, "five reviews and one survey comment");
        JsonArray after = [];
        for (var attempt = 0; attempt < 150; attempt++)
        {
            await Task.Delay(100);
            after = (await (await workspace.As("viewer").GetAsync("/api/evidence?pageSize=100")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
            if (after.All(i => i!["analysis"]?["modelVersion"]?.GetValue<string>().Contains(version, StringComparison.Ordinal) == true)) break;
        }
        after.Should().HaveCount(6).And.OnlyContain(i => i!["analysis"]!["modelVersion"]!.GetValue<string>().Contains(version, StringComparison.Ordinal));
        var p1 = after.Single(i => i!["externalId"]?.GetValue<string>() == "p1")!["analysis"]!;
        p1["sentiment"]!.GetValue<string>().Should().Be("negative");
        p1["painPoint"]!.GetValue<string>().Should().Be("delivery-shipping");
        p1["corrected"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("sentiment", "painPoint");
        var x1 = (await (await other.As("viewer").GetAsync("/api/evidence")).ReadJson(HttpStatusCode.OK))["items"]![0]!["analysis"]!;
        x1["modelVersion"]!.GetValue<string>().Should().Contain(SmallBaselineApp.BaselineVersion).And.NotContain(version);
        x1["analyzedAt"]!.GetValue<DateTime>().Should().Be(otherItems["x1"]["analysis"]!["analyzedAt"]!.GetValue<DateTime>(), "not re-analysed");

        // Another start on the same data folder loads the promoted version from disk.
        var settings = Retraining.Settings(app.ModelDirectory);
        settings["Storage:DataDirectory"] = app.DataDirectory;
        settings["Auth:BootstrapKey"] = app.BootstrapKey;
        using var restarted = new ConfiguredApp(settings, app.Database); // same database (a fresh one on PostgreSQL otherwise)
        var reloaded = await Retraining.Models(restarted.ClientWithKey(workspace.Keys["viewer"]));
        reloaded["version"]!.GetValue<string>().Should().Be(version);
        reloaded["source"]!.GetValue<string>().Should().Be("retrained");
        (await Retraining.Models(restarted.ClientWithKey(other.Keys["viewer"])))["source"]!.GetValue<string>().Should().Be("committed");
    }

    private static async Task<string> Classify(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/analysis/classify", new { texts = new[] { "The parcel never came" } });
        return (await response.ReadJson(HttpStatusCode.OK))["results"]![0]!["modelVersion"]!.GetValue<string>();
    }
}
