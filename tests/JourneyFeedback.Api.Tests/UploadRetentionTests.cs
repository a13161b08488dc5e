using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JourneyFeedback.Api.Tests;

/// <summary>Uploaded files are kept for Imports:KeepUploadsFor after their import finishes, and orphans for a grace period.</summary>
public sealed class UploadRetentionTests
{
    /// <summary>The API with a clock the test moves forward, so days of retention pass in a moment.</summary>
    private sealed class RetentionApp(Dictionary<string, string?> settings) : JourneyFeedbackApp(settings)
    {
        public ShiftableClock Clock { get; } = new();

        public string Imports => Path.Combine(DataDirectory, "imports");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    [Fact]
    public async Task AFinishedImportsUploadIsKeptForTheConfiguredTimeAndOnlyAQueuedOrRunningOneOutlivesIt()
    {
        using var app = new RetentionApp(new()
        {
            ["Imports:KeepUploadsFor"] = "7.00:00:00",
            ["Imports:OrphanUploadsAfter"] = "1.00:00:00",
            ["Imports:UploadSweepSeconds"] = "0.2",
        });
        var workspace = await app.CreateWorkspaceAsync();
        var finished = await ImportRuns.Run(workspace.As("researcher"), "finished.csv", "id,text\n1,The app crashed at checkout\n", "review");
        var finishedFile = Path.Combine(app.Imports, $"{finished["id"]}.csv");
        // An import another instance is running (fresh heartbeat, so no worker here takes it over), with its upload.
        var running = await app.WithDb(async db =>
        {
            var import = new Import
            {
                WorkspaceId = workspace.Id, Kind = "review", FileName = "running.csv", Status = ImportStatus.Running,
                ClaimedBy = "another-instance", HeartbeatAt = DateTime.UtcNow.AddHours(1), StartedAt = DateTime.UtcNow,
            };
            await File.WriteAllTextAsync(Path.Combine(app.Imports, $"{import.Id}.csv"), "id,text\n1,Still being read\n");
            db.Imports.Add(import);
            await db.SaveChangesAsync();
            return Path.Combine(app.Imports, $"{import.Id}.csv");
        });
        var orphan = Path.Combine(app.Imports, $"{Guid.NewGuid()}.csv");
        await File.WriteAllTextAsync(orphan, "id,text\n1,No import owns this file\n");
        var foreign = Path.Combine(app.Imports, "operator-notes.txt");
        await File.WriteAllTextAsync(foreign, "not an upload");

        app.Clock.Advance(TimeSpan.FromDays(6));
        // Written after the clock moved: only a sweep that sees the clock 6 days on takes it for a lost upload.
        var partial = Path.Combine(app.Imports, $"{Guid.NewGuid()}.upload");
        await File.WriteAllTextAsync(partial, "id,text\n1,Cut off by a cr");
        await WaitUntil(() => !File.Exists(partial) && !File.Exists(orphan), "the sweep removed the lost upload and the orphan");
        File.Exists(finishedFile).Should().BeTrue("6 days after it finished, the upload is still within its 7 days");

        app.Clock.Advance(TimeSpan.FromDays(2));
        await WaitUntil(() => !File.Exists(finishedFile), "the finished import's upload is removed after 7 days");
        File.Exists(running).Should().BeTrue("a running import's upload is read again if it is resumed");
        File.Exists(foreign).Should().BeTrue("files the upload did not name are not the sweep's");
        var record = await (await workspace.As("researcher").GetAsync($"/api/imports/{finished["id"]}")).ReadJson(System.Net.HttpStatusCode.OK);
        record["imported"]!.GetValue<long>().Should().Be(1, "the import's record outlives its file");
    }

    [Fact]
    public async Task WithNoRetentionAnUploadIsRemovedAsSoonAsItsImportFinishes()
    {
        // An hour between sweeps: only the wake-up at the end of the import can remove the file within the test.
        using var app = new RetentionApp(new() { ["Imports:KeepUploadsFor"] = "00:00:00", ["Imports:UploadSweepSeconds"] = "3600" });
        var workspace = await app.CreateWorkspaceAsync();
        var finished = await ImportRuns.Run(workspace.As("researcher"), "once.csv", "id,text\n1,Refund took a month\n2,Support was kind\n", "review");
        finished["imported"]!.GetValue<long>().Should().Be(2);
        await WaitUntil(() => !File.Exists(Path.Combine(app.Imports, $"{finished["id"]}.csv")), "the upload is removed once the import finished");
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !condition(); await Task.Delay(50))
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
    }
}
