using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

/// <summary>
/// Latency of what a map author's screen asks for: insights over varying date windows and segments, and pages of a
/// touchpoint's evidence with varying filters. One client, requests one after another, after one cold request.
/// </summary>
internal static class InsightsLatency
{
    public static async Task<int> Measure(string api, string key, string mapId, int requests)
    {
        using var http = Client(api, key);
        var random = new Random(7);

        var cold = Stopwatch.StartNew();
        var first = JsonNode.Parse(await http.GetStringAsync($"/api/maps/{mapId}/insights"))!;
        cold.Stop();
        Console.WriteLine(FormattableString.Invariant($"COLD insights (builds the map's evidence index) {cold.Elapsed.TotalMilliseconds:F0} ms, items={first["items"]}"));
        var touchpoints = TouchpointsWithItems(first);

        var insights = await Time(requests, () => http.GetStringAsync(InsightsPath(mapId, random)));
        Report("insights", insights);
        var pages = await Time(requests, () => http.GetStringAsync(EvidencePath(mapId, touchpoints, random)));
        Report("evidence-page", pages);
        return 0;
    }

    public static HttpClient Client(string api, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public static List<string> TouchpointsWithItems(JsonNode insights) =>
        insights["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .Where(t => t!["items"]!.GetValue<int>() > 0).Select(t => t!["id"]!.GetValue<string>()).ToList();

    private static readonly DateTime DataStart = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A window of 7–180 days somewhere in the data, sometimes the whole range, sometimes one segment.</summary>
    public static string InsightsPath(string mapId, Random random)
    {
        var query = random.Next(5) == 0 ? "" : Window(random);
        if (random.Next(4) == 0) query += (query.Length == 0 ? "?" : "&") + "segment=kind:support-log";
        return $"/api/maps/{mapId}/insights{query}";
    }

    private static readonly string[] Sentiments = ["", "negative", "neutral", "positive"];
    private static readonly string[] PainPoints = ["", "delivery-shipping", "refunds-returns", "payment-checkout", "account-login-verification"];

    /// <summary>A page of a random touchpoint's evidence, with random sentiment, pain-point and date filters.</summary>
    public static string EvidencePath(string mapId, List<string> touchpoints, Random random)
    {
        var touchpoint = touchpoints[random.Next(touchpoints.Count)];
        var query = $"?page={random.Next(1, 50)}&pageSize=50";
        if (Sentiments[random.Next(Sentiments.Length)] is { Length: > 0 } sentiment) query += "&sentiment=" + sentiment;
        if (PainPoints[random.Next(PainPoints.Length)] is { Length: > 0 } painPoint) query += "&painPoint=" + painPoint;
        if (random.Next(3) == 0) query += "&" + Window(random)[1..];
        return $"/api/maps/{mapId}/touchpoints/{touchpoint}/evidence{query}";
    }

    private static string Window(Random random)
    {
        var from = DataStart.AddDays(random.Next(0, 150));
        return FormattableString.Invariant($"?from={from:yyyy-MM-dd}&to={from.AddDays(random.Next(7, 180)):yyyy-MM-dd}");
    }

    public static async Task<List<double>> Time(int requests, Func<Task<string>> send)
    {
        var latencies = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            await send();
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }

    public static void Report(string name, List<double> latencies, string prefix = "LATENCY")
    {
        if (latencies.Count == 0)
        {
            Console.WriteLine($"{prefix} {name} requests=0");
            return;
        }
        latencies.Sort();
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prefix} {name} requests={latencies.Count} p50={P(0.50):F1}ms p95={P(0.95):F1}ms p99={P(0.99):F1}ms max={latencies[^1]:F1}ms"));
    }
}
