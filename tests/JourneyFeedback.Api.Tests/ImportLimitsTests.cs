using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

public sealed class ImportLimitsTests : IDisposable
{
    private readonly ConfiguredApp _app = new(new Dictionary<string, string?>
    {
        ["Limits:MaxUploadBytes"] = "200000",
        ["Imports:BatchSize"] = "500",
    });

    [Fact]
    public async Task UploadOverTheLimitIs413AndStoresNothing()
    {
        var client = _app.BootstrapClient();
        var big = "id,text\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{i},feedback number {i}\n"));
        await (await ImportRuns.Upload(client, "big.csv", big)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        (await client.GetFromJsonAsync<JsonArray>("/api/imports"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task ChunkedUploadOverTheLimitIs413OnKestrelAndThePartialFileIsDeleted()
    {
        var dataDirectory = Path.Combine(_app.DataDirectory, "kestrel");
        using var database = TestDatabase.Create();
        using var api = await ApiProcess.StartAsync(dataDirectory, "limit-key", new() { ["Limits:MaxUploadBytes"] = "200000" }, database);
        var form = new MultipartFormDataContent { { new StringContent(new string('x', 300_000)), "file", "big.csv" }, { new StringContent("review"), "kind" } };
        var chunked = new UnknownLengthContent(await form.ReadAsByteArrayAsync());
        chunked.Headers.ContentType = form.Headers.ContentType;

        var response = await api.Client.PostAsync("/api/imports", chunked);
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        (await api.Client.GetFromJsonAsync<JsonArray>("/api/imports"))!.Should().BeEmpty();
        Directory.GetFiles(Path.Combine(dataDirectory, "imports")).Should().BeEmpty("the partial upload is deleted");
    }

    /// <summary>A body without Content-Length, as a streaming client sends it.</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task CancellingARunningImportStopsItBetweenBatches()
    {
        using var unlimited = new ConfiguredApp(new Dictionary<string, string?> { ["Imports:BatchSize"] = "200" });
        var client = unlimited.BootstrapClient();
        var csv = new StringBuilder("id,text\n");
        for (var i = 0; i < 300_000; i++) csv.Append(i).Append(",The refund for order ").Append(i).Append(" has not arrived\n");

        var accepted = await (await ImportRuns.Upload(client, "long.csv", csv.ToString())).ReadJson(HttpStatusCode.Accepted);
        var id = accepted["id"]!.GetValue<string>();
        var cancel = await client.DeleteAsync($"/api/imports/{id}");
        cancel.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var final = await ImportRuns.WaitUntilFinished(client, id);
        final["status"]!.GetValue<string>().Should().Be("cancelled");
        final["imported"]!.GetValue<long>().Should().BeLessThan(300_000);
        var stored = (await client.GetFromJsonAsync<JsonObject>($"/api/evidence?importId={id}&pageSize=1"))!["total"]!.GetValue<long>();
        stored.Should().Be(final["imported"]!.GetValue<long>(), "the counts match what was committed");
    }

    public void Dispose() => _app.Dispose();
}
