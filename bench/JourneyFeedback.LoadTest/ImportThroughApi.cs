using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

/// <summary>
/// Uploads a support log into a map through the API and waits until the import has finished. The rate is taken from
/// the import's own timestamps (created → finished), so the client's polling interval does not blur a comparison.
/// </summary>
internal static class ImportThroughApi
{
    public static async Task<int> Run(string api, string key, string mapId, string file, string label)
    {
        using var http = InsightsLatency.Client(api, key);
        http.Timeout = TimeSpan.FromMinutes(30);
        await using var stream = File.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(stream), "file", Path.GetFileName(file) },
            { new StringContent("support-log"), "kind" },
            { new StringContent(mapId), "mapId" },
        };
        var accepted = await (await http.PostAsync("/api/imports", form)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var id = accepted!["id"]!.GetValue<string>();

        JsonObject status;
        while (true)
        {
            status = (await http.GetFromJsonAsync<JsonObject>($"/api/imports/{id}"))!;
            if (status["status"]!.GetValue<string>() is not ("queued" or "running")) break;
            await Task.Delay(500);
        }
        var imported = status["imported"]!.GetValue<long>();
        var seconds = (status["finishedAt"]!.GetValue<DateTime>() - status["createdAt"]!.GetValue<DateTime>()).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IMPORT[{label}] status={status["status"]} imported={imported} skipped={status["skippedDuplicates"]} rejected={status["rejected"]} " +
            $"seconds={seconds:F1} rows_per_s={imported / seconds:F0}"));
        return status["status"]!.GetValue<string>() == "succeeded" ? 0 : 1;
    }
}
