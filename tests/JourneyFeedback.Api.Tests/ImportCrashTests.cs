using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

/// <summary>Killing the API mid-import and starting it again loses nothing and duplicates nothing.</summary>
public sealed class ImportCrashTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
    private readonly TestDatabase _database = TestDatabase.Create();
    private readonly Dictionary<string, string> _settings = new()
    {
        ["Imports:BatchSize"] = "500",
        ["Imports:StaleAfterSeconds"] = "1",
        ["Imports:PollSeconds"] = "1",
    };

    [Fact]
    public async Task KilledImportIsResumedAfterRestartWithExactCountsAndNoDuplicates()
    {
        // 120 batches: the kill lands after the first ones, long before the last.
        const int rows = 60_000;
        const int everyNthRowHasNoText = 1000;
        var csv = new StringBuilder("ticket_id,created_at,customer_id,channel,message\n");
        for (var i = 1; i <= rows; i++)
            csv.Append("T-").Append(i).Append(",2026-10-01T10:00:00Z,C-").Append(i % 5000).Append(",chat,")
               .Append(i % everyNthRowHasNoText == 0 ? "" : $"Parcel {i} is late and the chat queue took twenty minutes").Append('\n');
        var content = Encoding.UTF8.GetBytes(csv.ToString());
        const int expectedRejected = rows / everyNthRowHasNoText;

        string importId;
        long importedBeforeKill;
        using (var first = await ApiProcess.StartAsync(_dataDirectory, "crash-key", _settings, _database))
        {
            var accepted = await (await ImportRuns.Upload(first.Client, "big.csv", content)).ReadJson(HttpStatusCode.Accepted);
            importId = accepted["id"]!.GetValue<string>();
            JsonObject status;
            do
            {
                await Task.Delay(20);
                status = (await first.Client.GetFromJsonAsync<JsonObject>($"/api/imports/{importId}"))!;
            }
            while (status["imported"]!.GetValue<long>() == 0 && status["status"]!.GetValue<string>() != "succeeded");

            status["status"]!.GetValue<string>().Should().Be("running", "the kill must happen in the middle of the import");
            first.Kill();
            importedBeforeKill = status["imported"]!.GetValue<long>();
        }
        importedBeforeKill.Should().BeInRange(1, rows - 1);

        using var second = await ApiProcess.StartAsync(_dataDirectory, "crash-key", _settings, _database);
        var final = await ImportRuns.WaitUntilFinished(second.Client, importId, TimeSpan.FromSeconds(120));

        final["status"]!.GetValue<string>().Should().Be("succeeded", final.ToJsonString());
        final["rowsRead"]!.GetValue<long>().Should().Be(rows);
        final["imported"]!.GetValue<long>().Should().Be(rows - expectedRejected);
        final["rejected"]!.GetValue<long>().Should().Be(expectedRejected);
        final["skippedDuplicates"]!.GetValue<long>().Should().Be(0);
        var evidence = (await second.Client.GetFromJsonAsync<JsonObject>($"/api/evidence?importId={importId}&pageSize=1"))!;
        evidence["total"]!.GetValue<long>().Should().Be(rows - expectedRejected, "every row is stored exactly once");

        var errors = await second.Client.GetStringAsync($"/api/imports/{importId}/errors.csv");
        errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(expectedRejected + 1, "one line per rejected row, plus the header");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
