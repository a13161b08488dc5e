using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>Retraining against the shipped models, at test size (so a candidate is genuinely worse and is rejected).</summary>
public sealed class RetrainTests(RetrainApp app) : IClassFixture<RetrainApp>
{
    [Fact]
    public async Task RetrainWithNothingToLearnFromIsAConflict()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await ImportRuns.Run(workspace.As("researcher"), "plain.csv", "id,text\n1,The parcel was late\n");

        var problem = await (await workspace.As("author").PostAsJsonAsync("/api/analysis/retrain", new { })).ShouldBeProblem(HttpStatusCode.Conflict);
        problem["title"]!.GetValue<string>().Should().Be("Nothing to learn from yet");
        (await app.WithDb(db => Task.FromResult(db.RetrainJobs.Count(j => j.WorkspaceId == workspace.Id)))).Should().Be(0);
    }

    [Fact]
    public async Task DryRunCountsOnlyTheCallersCorrectionsAndWeakLabels()
    {
        var workspace = await app.CreateWorkspaceAsync("Own");
        var items = await Retraining.ImportReviews(workspace.As("researcher"),
            ("r1", "Fell apart after a week", 1), ("r2", "Not great, the sole came loose", 2), ("r3", "They are fine", 3),
            ("r4", "Comfortable and quick delivery", 4), ("r5", "Perfect fit, love them", 5), ("r6", "Best shoes I ever bought", 5));
        var author = workspace.As("author");
        await Retraining.Correct(author, items["r1"], new { sentiment = "negative" });
        await Retraining.Correct(author, items["r2"], new { emotions = new[] { "disappointment" } });
        await Retraining.Correct(author, items["r3"], new { painPoint = "none" });
        await Retraining.AnswerNps(app, workspace, 9, "Friendly agent, sorted my problem quickly");
        await Retraining.AnswerNps(app, workspace, 3, "Nobody answered my emails for a week");

        var other = await app.CreateWorkspaceAsync("Other");
        var otherItems = await Retraining.ImportReviews(other.As("researcher"), ("o1", "Terrible", 1), ("o2", "Great", 5));
        await Retraining.Correct(other.As("author"), otherItems["o1"], new { painPoint = "product-quality" });

        var preview = await (await author.PostAsJsonAsync("/api/analysis/retrain", new { dryRun = true })).ReadJson(HttpStatusCode.OK);
        var examples = preview["examples"]!;
        examples["sentimentCorrections"]!.GetValue<int>().Should().Be(1);
        examples["emotionCorrections"]!.GetValue<int>().Should().Be(1);
        examples["painPointCorrections"]!.GetValue<int>().Should().Be(1);
        examples["weakLabelsFromRatings"]!.GetValue<int>().Should().Be(5, "six rated reviews, but r1's sentiment was corrected: the correction is the label");
        examples["weakLabelsFromNps"]!.GetValue<int>().Should().Be(2);
        preview["maxRowsPerSource"]!.GetValue<int>().Should().Be(100);

        var otherPreview = await (await other.As("admin").PostAsJsonAsync("/api/analysis/retrain", new { dryRun = true })).ReadJson(HttpStatusCode.OK);
        otherPreview["examples"]!.ToJsonString().Should().Be(
            """{"sentimentCorrections":0,"emotionCorrections":0,"painPointCorrections":1,"weakLabelsFromRatings":2,"weakLabelsFromNps":0}""");
        (await app.WithDb(db => Task.FromResult(db.RetrainJobs.Count(j => j.WorkspaceId == workspace.Id)))).Should().Be(0, "a dry run stores nothing");
    }

    [Theory]
    [InlineData("researcher")]
    [InlineData("agent")]
    [InlineData("viewer")]
    public async Task OnlyAdminsAndAuthorsMayRetrain(string role)
    {
        var workspace = await app.CreateWorkspaceAsync();
        await (await workspace.As(role).PostAsJsonAsync("/api/analysis/retrain", new { })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await workspace.As(role).PostAsJsonAsync("/api/analysis/retrain", new { dryRun = true })).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await workspace.As(role).GetAsync("/api/analysis/retrain")).StatusCode.Should().Be(HttpStatusCode.OK, "reading jobs is open to every role");
    }

    [Fact]
    public async Task AWorseCandidateIsRejectedOnRealHeldOutMetricsAndTheShippedModelsStay()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var items = await Retraining.ImportReviews(workspace.As("researcher"),
            ("a", "The box arrived crushed and the shoes were scuffed", 1), ("b", "Arrived on time, fits well", 5), ("c", "Okay for the price", 3));
        await Retraining.Correct(workspace.As("author"), items["a"], new { painPoint = "delivery-shipping", emotions = new[] { "annoyance" } });
        var modelsBefore = await Retraining.Models(workspace.As("viewer"));

        var response = await workspace.As("author").PostAsync("/api/analysis/retrain", null);
        var accepted = await response.ReadJson(HttpStatusCode.Accepted);
        var location = response.Headers.Location!.ToString();
        location.Should().Be($"/api/analysis/retrain/{accepted["id"]}");
        accepted["status"]!.GetValue<string>().Should().BeOneOf("queued", "running");
        accepted["decision"].Should().BeNull();

        // One retrain per workspace at a time; another workspace is not held up.
        var second = await (await workspace.As("admin").PostAsJsonAsync("/api/analysis/retrain", new { })).ShouldBeProblem(HttpStatusCode.Conflict);
        second["jobId"]!.GetValue<string>().Should().Be(accepted["id"]!.GetValue<string>());

        var job = await Retraining.WaitForDecision(workspace.As("viewer"), location);

        job["status"]!.GetValue<string>().Should().Be("rejected", job.ToJsonString());
        job["decision"]!.GetValue<string>().Should().Be("rejected");
        job["reason"]!.GetValue<string>().Should().StartWith("Worse than the version in use").And.Contain("emotions.ekman_macro_f1");
        job["examples"]!["painPointCorrections"]!.GetValue<int>().Should().Be(1);
        job["examples"]!["emotionCorrections"]!.GetValue<int>().Should().Be(1);
        job["examples"]!["weakLabelsFromRatings"]!.GetValue<int>().Should().Be(3);
        job["currentVersion"]!.GetValue<string>().Should().Be(modelsBefore["version"]!.GetValue<string>());
        job["candidateVersion"]!.GetValue<string>().Should().EndWith("-w" + workspace.Id.ToString("N")[..8]);
        job["tolerance"]!.GetValue<double>().Should().Be(0.005);
        job["finishedAt"].Should().NotBeNull();

        // Both versions measured on the same held-out rows: the shipped model's own numbers, and a worse candidate.
        var shippedEmotions = modelsBefore["models"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "emotions")!;
        Retraining.Metric(job, "emotions", "ekman_macro_f1", "current")
            .Should().BeApproximately(shippedEmotions["heldOutMetrics"]!["values"]!["ekman_macro_f1"]!.GetValue<double>(), 0.0001);
        Retraining.Metric(job, "emotions", "ekman_macro_f1", "candidate").Should().BeLessThan(Retraining.Metric(job, "emotions", "ekman_macro_f1", "current") - 0.005);
        job["heldOutMetrics"]!.AsObject().Select(m => m.Key).Should().Equal("sentiment", "emotions", "painpoints");

        var modelsAfter = await Retraining.Models(workspace.As("viewer"));
        modelsAfter["source"]!.GetValue<string>().Should().Be("committed");
        modelsAfter["version"]!.GetValue<string>().Should().Be(modelsBefore["version"]!.GetValue<string>());
        Directory.Exists(Path.Combine(app.DataDirectory, "models", workspace.Id.ToString())).Should().BeFalse("a rejected candidate is not kept");

        var listed = await (await workspace.As("viewer").GetAsync("/api/analysis/retrain")).Content.ReadFromJsonAsync<JsonArray>();
        listed!.Select(j => j!["id"]!.GetValue<string>()).Should().Equal(accepted["id"]!.GetValue<string>());
        var stranger = await app.CreateWorkspaceAsync();
        await (await stranger.As("admin").GetAsync(location)).ShouldBeProblem(HttpStatusCode.NotFound);
        (await stranger.As("admin").GetFromJsonAsync<JsonArray>("/api/analysis/retrain"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task UnknownJobIsNotFound() =>
        await (await (await app.CreateWorkspaceAsync()).As("viewer").GetAsync($"/api/analysis/retrain/{Guid.NewGuid()}"))
            .ShouldBeProblem(HttpStatusCode.NotFound);
}

/// <summary>A job left running when the API died is failed at the next start, and no longer blocks the workspace.</summary>
public sealed class RetrainRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
    private readonly TestDatabase _database = TestDatabase.Create(); // both starts use it (SQLite: the data folder decides)

    [Fact]
    public async Task AJobLeftRunningByACrashIsMarkedFailedAtStartUp()
    {
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _dataDirectory };
        TestWorkspace workspace;
        var jobId = Guid.CreateVersion7();
        using (var first = new ConfiguredApp(settings, _database))
        {
            workspace = await first.CreateWorkspaceAsync();
            // What a crash mid-training leaves behind: a running job whose heartbeat stopped.
            await first.WithDb(db =>
            {
                db.RetrainJobs.Add(new RetrainJob
                {
                    Id = jobId, WorkspaceId = workspace.Id, Status = RetrainStatus.Running, ClaimedBy = "crashed-instance",
                    StartedAt = DateTime.UtcNow.AddMinutes(-5), HeartbeatAt = DateTime.UtcNow.AddMinutes(-5),
                });
                return db.SaveChangesAsync();
            });
        }

        using var second = new ConfiguredApp(settings, _database);
        var viewer = second.ClientWithKey(workspace.Keys["viewer"]);
        JsonObject job;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100);
            job = await (await viewer.GetAsync($"/api/analysis/retrain/{jobId}")).ReadJson(HttpStatusCode.OK);
        }
        while (job["status"]!.GetValue<string>() == "running" && DateTime.UtcNow < deadline);

        job["status"]!.GetValue<string>().Should().Be("failed");
        job["reason"]!.GetValue<string>().Should().Contain("Interrupted");
        job["decision"].Should().BeNull();
        job["finishedAt"].Should().NotBeNull();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
