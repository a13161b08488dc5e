using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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

    [Fact]
    public async Task AnUploadOverTheInstancesCapIs429WithRetryAfterBeforeItsBodyIsRead()
    {
        var dataDirectory = Path.Combine(_app.DataDirectory, "capped");
        using var database = TestDatabase.Create();
        using var api = await ApiProcess.StartAsync(dataDirectory, "cap-key", new() { ["Imports:MaxConcurrentUploads"] = "1" }, database);
        var form = new MultipartFormDataContent
        {
            { new StringContent("id,text\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},Slow upload row {i}\n"))), "file", "slow.csv" },
            { new StringContent("review"), "kind" },
        };
        var body = await form.ReadAsByteArrayAsync();
        var address = api.Client.BaseAddress!;

        // A slow client: half the body now, the rest later. Until then it holds the instance's only upload slot.
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await slow.ConnectAsync(address.Host, address.Port);
        await slow.SendAsync(Encoding.ASCII.GetBytes($"POST /api/imports HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer cap-key\r\n" +
            $"Content-Type: {form.Headers.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await slow.SendAsync(body.AsMemory(0, body.Length / 2));
        var imports = Path.Combine(dataDirectory, "imports");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !Directory.Exists(imports) || Directory.GetFiles(imports, "*.upload").Length == 0; await Task.Delay(20))
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The slow upload never reached the disk.");

        var refused = await ImportRuns.Upload(api.Client, "second.csv", "id,text\n1,Refused while the other one is in flight\n", "review");
        var problem = await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        problem["detail"]!.GetValue<string>().Should().Contain("Imports:MaxConcurrentUploads");

        await slow.SendAsync(body.AsMemory(body.Length / 2));
        var response = new MemoryStream();
        var buffer = new byte[4096];
        for (int read; (read = await slow.ReceiveAsync(buffer)) > 0;) response.Write(buffer, 0, read);
        Encoding.UTF8.GetString(response.ToArray()).Should().StartWith("HTTP/1.1 202", "the slow upload is accepted once it has all arrived");
        // The slot is free again once the upload has been received.
        await (await ImportRuns.Upload(api.Client, "third.csv", "id,text\n1,Accepted now\n", "review")).ReadJson(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task ImportsOfAKeyAtItsLimitStayQueuedWithTheReasonWhileOtherKeysGoAhead()
    {
        using var limited = new ConfiguredApp(new Dictionary<string, string?> { ["Imports:MaxConcurrentPerKey"] = "1", ["Imports:PollSeconds"] = "1" });
        var workspace = await limited.CreateWorkspaceAsync();
        var researcher = workspace.As("researcher");
        var researcherKey = ApiKeyHasher.Hash(workspace.Keys["researcher"]);
        // The key's one allowed import is being processed by another instance (its heartbeat stays fresh for the test).
        var elsewhere = await limited.WithDb(async db =>
        {
            var keyId = await db.ApiKeys.Where(k => k.KeyHash == researcherKey).Select(k => k.Id).SingleAsync();
            var import = new Import
            {
                WorkspaceId = workspace.Id, Kind = "review", FileName = "elsewhere.csv", RequestedByKeyId = keyId, Status = ImportStatus.Running,
                ClaimedBy = "another-instance", HeartbeatAt = DateTime.UtcNow.AddHours(1), StartedAt = DateTime.UtcNow,
            };
            db.Imports.Add(import);
            await db.SaveChangesAsync();
            return import.Id;
        });

        var waiting = await (await ImportRuns.Upload(researcher, "mine.csv", "id,text\n1,Waits for the key's running import\n", "review"))
            .ReadJson(HttpStatusCode.Accepted);
        waiting["status"]!.GetValue<string>().Should().Be("queued");
        waiting["queuedReason"]!.GetValue<string>().Should().Contain("Imports:MaxConcurrentPerKey");
        var waitingId = waiting["id"]!.GetValue<string>();

        // Uploaded later by another key, it is processed first: the worker is free and passes over the waiting one.
        var other = await ImportRuns.Run(workspace.As("admin"), "other.csv", "id,text\n1,Another key's import\n", "review");
        other["status"]!.GetValue<string>().Should().Be("succeeded");
        var still = await (await researcher.GetAsync($"/api/imports/{waitingId}")).ReadJson(HttpStatusCode.OK);
        still["status"]!.GetValue<string>().Should().Be("queued");
        still["queuePosition"]!.GetValue<int>().Should().Be(1);
        still["queuedReason"]!.GetValue<string>().Should().Contain("same API key");

        await limited.WithDb(db => db.Imports.Where(i => i.Id == elsewhere)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Succeeded).SetProperty(i => i.FinishedAt, DateTime.UtcNow)));
        var final = await ImportRuns.WaitUntilFinished(researcher, waitingId);
        final["status"]!.GetValue<string>().Should().Be("succeeded");
        final["queuedReason"].Should().BeNull();
    }

    public void Dispose() => _app.Dispose();
}
