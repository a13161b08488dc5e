using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace JourneyFeedback.Api.Tests.Infrastructure;

public static class ImportRuns
{
    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "imports", name);

    public static Task<HttpResponseMessage> Upload(HttpClient client, string fileName, byte[] content, string? kind = "support-log",
        Dictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        if (kind is not null) form.Add(new StringContent(kind), "kind");
        foreach (var (name, value) in fields ?? []) form.Add(new StringContent(value), name);
        return client.PostAsync("/api/imports", form);
    }

    public static Task<HttpResponseMessage> Upload(HttpClient client, string fileName, string utf8Content, string kind = "support-log",
        Dictionary<string, string>? fields = null) => Upload(client, fileName, Encoding.UTF8.GetBytes(utf8Content), kind, fields);

    /// <summary>Uploads and waits until the background import finishes; returns its final status.</summary>
    public static async Task<JsonObject> Run(HttpClient client, string fileName, byte[] content, string kind = "support-log",
        Dictionary<string, string>? fields = null)
    {
        var accepted = await (await Upload(client, fileName, content, kind, fields)).ReadJson(HttpStatusCode.Accepted);
        return await WaitUntilFinished(client, accepted["id"]!.GetValue<string>());
    }

    public static Task<JsonObject> Run(HttpClient client, string fileName, string utf8Content, string kind = "support-log",
        Dictionary<string, string>? fields = null) => Run(client, fileName, Encoding.UTF8.GetBytes(utf8Content), kind, fields);

    public static async Task<JsonObject> WaitUntilFinished(HttpClient client, string importId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var status = await (await client.GetAsync($"/api/imports/{importId}")).ReadJson(HttpStatusCode.OK);
            if (status["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled") return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Import {importId} did not finish: {status.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
