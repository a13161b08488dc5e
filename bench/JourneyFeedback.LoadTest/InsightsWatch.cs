using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

/// <summary>
/// Insights and evidence-page latency while something else runs: one client asks until a stop file appears. By default
/// it alternates an insights request and an evidence page back to back (the screen under continuous use); with
/// <c>--every MS</c> it asks for insights alone, one request every MS milliseconds (a dashboard polling the map).
/// When insights carry <c>asOf</c> / <c>pendingItems</c>, the largest backlog and staleness seen are reported as well.
/// </summary>
internal static class InsightsWatch
{
    public static async Task<int> Run(string api, string key, string mapId, string stopFile, int everyMs, string label)
    {
        using var http = InsightsLatency.Client(api, key);
        var random = new Random(11);
        var insights = new List<double>();
        var pages = new List<double>();
        List<string> touchpoints = [];
        long? maxPending = null;
        double? maxStalenessMs = null;
        var failures = 0;
        var wall = Stopwatch.StartNew();

        while (!File.Exists(stopFile))
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var body = await http.GetStringAsync(InsightsLatency.InsightsPath(mapId, random));
                insights.Add(clock.Elapsed.TotalMilliseconds);
                var json = JsonNode.Parse(body)!;
                if (touchpoints.Count == 0) touchpoints = InsightsLatency.TouchpointsWithItems(json);
                if (json["pendingItems"] is JsonValue pending && pending.TryGetValue<long>(out var count))
                    maxPending = Math.Max(maxPending ?? 0, count);
                if (json["asOf"] is JsonValue asOf && asOf.TryGetValue<DateTime>(out var at))
                    maxStalenessMs = Math.Max(maxStalenessMs ?? 0, (DateTime.UtcNow - at.ToUniversalTime()).TotalMilliseconds);

                if (everyMs == 0 && touchpoints.Count > 0)
                {
                    clock.Restart();
                    await http.GetStringAsync(InsightsLatency.EvidencePath(mapId, touchpoints, random));
                    pages.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
                failures++;
            }
            if (everyMs > 0 && everyMs - clock.ElapsedMilliseconds is var pause and > 0) await Task.Delay((int)pause);
        }

        var tag = $"[{label}]";
        InsightsLatency.Report("insights" + tag, insights, "WATCH");
        if (everyMs == 0) InsightsLatency.Report("evidence-page" + tag, pages, "WATCH");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WATCH freshness{tag} seconds={wall.Elapsed.TotalSeconds:F0} failures={failures} " +
            $"max_pending_items={(maxPending is { } p ? p.ToString(CultureInfo.InvariantCulture) : "absent")} " +
            $"max_staleness={(maxStalenessMs is { } s ? $"{s / 1000:F1}s" : "absent")}"));
        return 0;
    }
}
