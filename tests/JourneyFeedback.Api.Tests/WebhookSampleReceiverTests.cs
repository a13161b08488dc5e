using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using JourneyFeedback.Api.Webhooks;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// The README's sample receiver (samples/webhooks/helpdesk_receiver.py, run with python3) against the real API: it
/// checks signatures, opens one ticket per detractor and dedupes on webhook-id.
/// </summary>
public sealed class WebhookSampleReceiverTests(WebhooksApp app) : IClassFixture<WebhooksApp>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeyfeedback-sample-receiver-").FullName;
    private Process? _python;

    [Fact]
    public async Task ADetractorOpensOneTicketEvenWhenItsMessageIsSentAgain()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = workspace.As("admin");
        var port = FreePort();
        var created = await (await admin.PostAsJsonAsync("/api/webhooks", new
        {
            url = $"http://127.0.0.1:{port}/webhooks",
            eventTypes = new[] { "survey.answered", "survey.detractor" },
        })).ReadJson(HttpStatusCode.Created);
        var subscription = created["id"]!.GetValue<string>();
        await StartSample(port, created["secret"]!.GetValue<string>());

        var survey = await (await admin.PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat NPS" })).ReadJson(HttpStatusCode.Created);
        var invited = await (await admin.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = new[] { new { customerId = "cust-1207", externalRef = "chat-5521", metadata = new { agent = "Mira" } } },
        })).ReadJson(HttpStatusCode.Created);
        var token = invited["invitations"]![0]!["token"]!.GetValue<string>();
        (await app.CreateClient().PostAsJsonAsync($"/s/{token}", new { score = 1, comment = "Third chat about the same refund, still no money." }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var ticket = JsonNode.Parse((await WaitForTickets(1)).Single())!;
        ticket["customerId"]!.GetValue<string>().Should().Be("cust-1207");
        ticket["comment"]!.GetValue<string>().Should().Be("Third chat about the same refund, still no money.");
        ticket["externalRef"]!.GetValue<string>().Should().Be("chat-5521");
        ticket["metadata"]!["agent"]!.GetValue<string>().Should().Be("Mira");
        ticket["score"]!.GetValue<int>().Should().Be(1);
        ticket["priority"]!.GetValue<string>().Should().Be("urgent", "NPS 0-3 is a high-severity detractor");

        // Both events were acknowledged (survey.answered opens nothing); then the detractor's message is sent again.
        var deliveries = await WaitForDeliveries(admin, subscription, d => d.Count == 2 && d.All(x => x["status"]!.GetValue<string>() == "succeeded"));
        var detractor = deliveries.Single(d => d["type"]!.GetValue<string>() == "survey.detractor");
        detractor["messageId"]!.GetValue<string>().Should().Be(ticket["webhookId"]!.GetValue<string>());
        var first = detractor["deliveredAt"]!.GetValue<DateTime>();
        (await admin.PostAsync($"/api/webhooks/{subscription}/deliveries/{detractor["id"]}/replay", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await WaitForDeliveries(admin, subscription, d => d.Any(x => x["id"]!.ToString() == detractor["id"]!.ToString()
            && x["status"]!.GetValue<string>() == "succeeded" && x["deliveredAt"]!.GetValue<DateTime>() > first));

        File.ReadAllLines(TicketsFile).Should().ContainSingle("the sample dedupes on webhook-id");
    }

    [Fact]
    public async Task ATamperedBodyAnOldTimestampOrAnotherSecretGet401()
    {
        var secret = WebhookSignature.NewSecret();
        var port = FreePort();
        await StartSample(port, secret);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        const string id = "msg_sample_check";
        const string body = """{"id":"msg_sample_check","type":"webhook.test","data":{"message":"hello"}}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        (await Send(http, id, now, WebhookSignature.Sign(secret, id, now, body), body)).Should().Be(HttpStatusCode.NoContent);
        (await Send(http, id, now, "v1,AAAA " + WebhookSignature.Sign(secret, id, now, body), body))
            .Should().Be(HttpStatusCode.NoContent, "any one signature of the list may match (secret rotation)");

        (await Send(http, id, now, WebhookSignature.Sign(secret, id, now, body), body.Replace("hello", "hellO", StringComparison.Ordinal)))
            .Should().Be(HttpStatusCode.Unauthorized);
        var old = now - 10 * 60;
        (await Send(http, id, old, WebhookSignature.Sign(secret, id, old, body), body)).Should().Be(HttpStatusCode.Unauthorized);
        (await Send(http, id, now, WebhookSignature.Sign(WebhookSignature.NewSecret(), id, now, body), body)).Should().Be(HttpStatusCode.Unauthorized);
        (await Send(http, id, now, null, body)).Should().Be(HttpStatusCode.Unauthorized);
        File.Exists(TicketsFile).Should().BeFalse();
    }

    private static async Task<HttpStatusCode> Send(HttpClient http, string id, long timestamp, string? signature, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (signature is not null) request.Headers.Add("webhook-signature", signature);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private string TicketsFile => Path.Combine(_folder, "tickets.jsonl");

    /// <summary>Starts the sample from the repository's samples/webhooks (copied next to the tests) on a loopback port.</summary>
    private async Task StartSample(int port, string secret)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "samples", "webhooks", "helpdesk_receiver.py");
        File.Exists(script).Should().BeTrue(script);
        var start = new ProcessStartInfo("python3", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder,
        };
        start.Environment["WEBHOOK_SECRET"] = secret;
        start.Environment["TICKETS_FILE"] = TicketsFile;
        start.Environment["SEEN_DB"] = Path.Combine(_folder, "seen.sqlite3");
        // No python3 on the machine fails the test here: CI has it, and the README's sample must keep working.
        _python = Process.Start(start)!;
        var errors = new StringBuilder();
        _python.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        _python.OutputDataReceived += (_, _) => { };
        _python.BeginErrorReadLine();
        _python.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_python.HasExited) throw new InvalidOperationException($"The sample receiver exited: {errors}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private async Task<string[]> WaitForTickets(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(TicketsFile) && File.ReadAllLines(TicketsFile) is { } lines && lines.Length >= count) return lines;
            await Task.Delay(100);
        }
        return File.Exists(TicketsFile) ? File.ReadAllLines(TicketsFile) : [];
    }

    private static async Task<List<JsonNode>> WaitForDeliveries(HttpClient admin, string subscription, Func<List<JsonNode>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonNode> deliveries;
        do
        {
            var page = await (await admin.GetAsync($"/api/webhooks/{subscription}/deliveries")).ReadJson(HttpStatusCode.OK);
            deliveries = [.. page["items"]!.AsArray().Select(d => d!)];
            if (done(deliveries)) return deliveries;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException("The delivery log never showed the expected state: " + string.Join(", ", deliveries.Select(d => d.ToJsonString())));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_python is { HasExited: false }) _python.Kill();
        _python?.WaitForExit();
        _python?.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
