using System.Net;
using System.Net.Http.Json;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>A published folder retrains as it is: the built-in training data travels in it, next to the app.</summary>
public sealed class PublishedRetrainTests(PublishedApi published) : IClassFixture<PublishedApi>, IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));

    [SqliteOnlyFact]
    public async Task APublishedFolderRetrainsWithTheTrainingDataPublishedInIt()
    {
        var trainingData = Path.Combine(published.Folder, "TrainingData");
        foreach (var source in new[] { "banking77", "goemotions", "rt-polarity", "uci-sentences" })
            File.Exists(Path.Combine(trainingData, source, "SOURCE.md")).Should().BeTrue($"{source}'s attribution travels with its data");
        for (var above = Directory.GetParent(published.Folder); above is not null; above = above.Parent)
            Directory.Exists(Path.Combine(above.FullName, "src", "JourneyFeedback.Analysis", "TrainingData")).Should()
                .BeFalse($"no clone may be above the published folder, and {above.FullName} holds one");

        // Started elsewhere, so neither the content root nor the current directory leads to the data.
        var workingDirectory = Directory.CreateDirectory(Path.Combine(_scratch, "cwd")).FullName;
        using var api = await ApiProcess.StartAsync(Path.Combine(_scratch, "data"), "published-key",
            new() { ["Analysis:RetrainMaxRowsPerSource"] = Retraining.TestRowsPerSource }, apiAssembly: published.Assembly, workingDirectory: workingDirectory);
        await Retraining.ImportReviews(api.Client, ("p1", "Fell apart after a week", 1), ("p2", "Perfect fit, love them", 5));

        var started = await api.Client.PostAsJsonAsync("/api/analysis/retrain", new { });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var job = await Retraining.WaitForDecision(api.Client, started.Headers.Location!.ToString());

        job["status"]!.GetValue<string>().Should().BeOneOf(["promoted", "rejected"], job.ToJsonString());
        job["examples"]!["weakLabelsFromRatings"]!.GetValue<int>().Should().Be(2);
        job["candidateVersion"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        Retraining.Metric(job, "painpoints", "own_heldout_accuracy", "candidate").Should().BeGreaterThan(0, "the candidate was evaluated on the published held-out data");

        // The copy in the published folder is what it used: without it, retraining is unavailable again.
        Directory.Move(trainingData, trainingData + "-moved");
        try
        {
            var problem = await (await api.Client.PostAsJsonAsync("/api/analysis/retrain", new { })).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            problem["detail"]!.GetValue<string>().Should().Contain("Analysis:TrainingDataDirectory");
        }
        finally
        {
            Directory.Move(trainingData + "-moved", trainingData);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
