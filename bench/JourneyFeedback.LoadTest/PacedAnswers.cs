using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CsvHelper;

/// <summary>
/// Survey answers at a fixed rate (wrk has no rate option): answer i is due at start + i / rate, and <c>connections</c>
/// workers take the next due answer each, so the rate holds as long as the server keeps up and falls behind (reported)
/// when it does not. Each answer uses its own single-use link and a comment taken from a support log, so the comments
/// are as varied as the imported text. Runs until the stop file appears or the links run out. Options: scores drawn
/// from <c>minScore..maxScore</c> (default 0..10); <c>recordFile</c>: one line "index,unix ms" per 201, the moment
/// the answer of link <c>index</c> (its line in the tokens file) was acknowledged (bench/webhooks matches it to deliveries).
/// </summary>
internal static class PacedAnswers
{
    public static async Task<int> Run(string api, string tokensFile, double rate, int connections, string stopFile, string commentsFile,
        int minScore = 0, int maxScore = 10, string? recordFile = null)
    {
        var tokens = File.ReadAllLines(tokensFile);
        var comments = Comments(commentsFile, 20_000);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(api),
            Timeout = TimeSpan.FromSeconds(30),
        };

        var next = -1L;
        long created = 0, rejected = 0, failed = 0;
        var latencies = new List<double>[connections];
        var acknowledged = new List<(long Index, long UnixMs)>[connections];
        var stop = false;
        var clock = Stopwatch.StartNew();
        var stopWatcher = Task.Run(async () =>
        {
            while (!File.Exists(stopFile)) await Task.Delay(200);
            Volatile.Write(ref stop, true);
        });

        async Task Worker(int w)
        {
            var random = new Random(w);
            var mine = latencies[w] = [];
            var acks = acknowledged[w] = [];
            while (!Volatile.Read(ref stop))
            {
                var i = Interlocked.Increment(ref next);
                if (i >= tokens.Length) return;
                var due = TimeSpan.FromSeconds(i / rate);
                if (due - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
                var body = JsonSerializer.Serialize(new { score = random.Next(minScore, maxScore + 1), comment = comments[(int)(i % comments.Count)] });
                var sent = clock.Elapsed;
                try
                {
                    using var response = await http.PostAsync($"/s/{tokens[i]}", new StringContent(body, Encoding.UTF8, "application/json"));
                    mine.Add((clock.Elapsed - sent).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref created);
                        if (recordFile is not null) acks.Add((i, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                    }
                    else Interlocked.Increment(ref rejected);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        var ranOut = Math.Min(Interlocked.Read(ref next), tokens.Length) >= tokens.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ANSWERS target_rps={rate:F0} achieved_rps={created / seconds:F0} created={created} non201={rejected} errors={failed} " +
            $"seconds={seconds:F1} connections={connections} links_ran_out={(ranOut ? "yes" : "no")}"));
        InsightsLatency.Report("answer-post", all, "ANSWERS");
        if (recordFile is not null)
            await File.WriteAllLinesAsync(recordFile, acknowledged.SelectMany(a => a).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Index},{a.UnixMs}")));
        return 0;
    }

    /// <summary>The message column of a support log (the first <paramref name="count"/> rows), cut to the comment limit.</summary>
    internal static List<string> Comments(string file, int count)
    {
        using var reader = new StreamReader(file);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var comments = new List<string>(count);
        while (comments.Count < count && csv.Read())
            if (csv.GetField("message") is { Length: > 0 } message) comments.Add(message.Length > 2000 ? message[..2000] : message);
        return comments;
    }
}
