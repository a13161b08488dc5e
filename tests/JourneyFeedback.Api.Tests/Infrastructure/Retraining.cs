using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Analysis.Training;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>Retraining at test size: every built-in training source capped at 100 rows, so one retrain takes seconds.</summary>
public sealed class RetrainApp() : JourneyFeedbackApp(new Dictionary<string, string?> { ["Analysis:RetrainMaxRowsPerSource"] = Retraining.TestRowsPerSource });

/// <summary>
/// The API whose committed models are a baseline trained exactly like a test-size retrain (same rows per source, same
/// seed) but without any workspace's examples: at test size, the same relation the shipped models have to a full-size
/// retrain. Promotion then depends on real held-out metrics, as in production.
/// </summary>
public sealed class SmallBaselineApp : JourneyFeedbackApp
{
    public SmallBaselineApp() : this(TrainBaseline()) { }

    private SmallBaselineApp(string modelDirectory) : base(Retraining.Settings(modelDirectory)) => ModelDirectory = modelDirectory;

    public string ModelDirectory { get; }

    public const string BaselineVersion = "baseline-small";

    private static string TrainBaseline()
    {
        var directory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", "baseline-" + Guid.NewGuid().ToString("N"));
        AnalysisTrainer.Train(new TrainingOptions { MaxRowsPerSource = int.Parse(Retraining.TestRowsPerSource), Version = BaselineVersion }).SaveTo(directory);
        return directory;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(ModelDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class Retraining
{
    public const string TestRowsPerSource = "100";

    public static Dictionary<string, string?> Settings(string modelDirectory) => new()
    {
        ["Analysis:ModelDirectory"] = modelDirectory,
        ["Analysis:RetrainMaxRowsPerSource"] = TestRowsPerSource,
    };

    /// <summary>Imports reviews with star ratings (1–5); returns the stored items by their external id.</summary>
    public static async Task<Dictionary<string, JsonObject>> ImportReviews(HttpClient client, params (string Id, string Text, int Stars)[] reviews)
    {
        var csv = "review_id,review_text,stars\n" + string.Concat(reviews.Select(r => $"{r.Id},\"{r.Text}\",{r.Stars}\n"));
        var import = await ImportRuns.Run(client, $"reviews-{Guid.NewGuid():N}.csv", csv, "review");
        import["status"]!.GetValue<string>().Should().Be("succeeded", import.ToJsonString());
        var items = (await (await client.GetAsync($"/api/evidence?importId={import["id"]}&pageSize=100")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();
        return items.ToDictionary(i => i!["externalId"]!.GetValue<string>(), i => i!.AsObject());
    }

    /// <summary>Answers a new NPS invitation with a score and a comment (which becomes a feedback item).</summary>
    public static async Task AnswerNps(JourneyFeedbackApp app, TestWorkspace workspace, int score, string comment)
    {
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new { type = "nps", name = $"NPS {Guid.NewGuid():N}" }))
            .ReadJson(HttpStatusCode.Created);
        var invitations = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = Guid.NewGuid().ToString("N") } } })).ReadJson(HttpStatusCode.Created);
        var token = invitations["invitations"]![0]!["token"]!.GetValue<string>();
        (await app.CreateClient().PostAsJsonAsync($"/s/{token}", new { score, comment })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    public static async Task Correct(HttpClient author, JsonObject item, object correction) =>
        (await author.PatchAsJsonAsync($"/api/evidence/{item["id"]}", correction)).StatusCode.Should().Be(HttpStatusCode.OK);

    /// <summary>Polls a retrain job until it is promoted, rejected or failed.</summary>
    public static async Task<JsonObject> WaitForDecision(HttpClient client, string location, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var job = await (await client.GetAsync(location)).ReadJson(HttpStatusCode.OK);
            if (job["status"]!.GetValue<string>() is "promoted" or "rejected" or "failed") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Retrain {location} did not finish: {job.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    public static async Task<JsonObject> Models(HttpClient client) => await (await client.GetAsync("/api/analysis/models")).ReadJson(HttpStatusCode.OK);

    public static double Metric(JsonObject job, string model, string metric, string which) =>
        job["heldOutMetrics"]![model]![metric]![which]!.GetValue<double>();
}
