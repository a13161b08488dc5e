using System.Diagnostics;
using System.Globalization;
using JourneyFeedback.Api.Journeys;

namespace JourneyFeedback.Bench;

/// <summary>
/// Times JourneyAnalysis.Analyze and FunnelAnalysis.Analyze (ordered, strict, any) on a synthetic contact log:
/// 18 touchpoints in 6 stages, customers on random walks with a forward bias, backward jumps, repeats, long breaks
/// (new journeys) and support tickets with themes and sentiment. Both analyses run on the calling thread only.
/// </summary>
internal static class JourneysBench
{
    private const int Runs = 20;

    public static int Run(string[] args)
    {
        var contacts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var clock = Stopwatch.StartNew();
        var log = SyntheticLog(contacts, customers, seed: 15);
        Console.WriteLine($"log: {log.Count:N0} contacts, {log.Customers:N0} customers, {log.Touchpoints.Length} touchpoints, built in {clock.ElapsedMilliseconds} ms");

        var journeys = new JourneyQuery(null, null, null, TimeSpan.FromDays(30), CollapseLoops: false, VariantLimit: 10);
        var graph = JourneyAnalysis.Analyze(log, journeys);
        Console.WriteLine($"graph: {graph.Journeys:N0} journeys, {graph.Transitions:N0} transitions, {graph.Edges.Length} edges, "
            + $"{graph.DistinctVariants:N0} variants, backward share {graph.Squiggle.BackwardShare:F3}, rework share {graph.Squiggle.ReworkShare:F3}");

        // Awareness (stage) → Website → Consideration (stage) → Checkout, 14 days.
        FunnelStep[] steps =
        [
            new(Guid.NewGuid(), "Awareness", "stage", [0, 1, 2]),
            new(Guid.NewGuid(), "Website", "touchpoint", [5]),
            new(Guid.NewGuid(), "Consideration", "stage", [6, 7, 8]),
            new(Guid.NewGuid(), "Checkout", "touchpoint", [10]),
        ];
        FunnelQuery Funnel(FunnelMode mode) => new(null, null, null, steps, TimeSpan.FromDays(14), mode, ThemeLimit: 5);
        foreach (var mode in new[] { FunnelMode.Ordered, FunnelMode.Strict, FunnelMode.Any })
        {
            var funnel = FunnelAnalysis.Analyze(log, Funnel(mode));
            Console.WriteLine($"funnel {funnel.Mode,-7}: entered {funnel.Entered:N0}, reached "
                + string.Join(" → ", funnel.Steps.Select(s => s.Customers.ToString("N0", CultureInfo.InvariantCulture))));
        }

        Console.WriteLine($"{"call",-26} {"min ms",8} {"median",8} {"p95",8} {"alloc KB",9}");
        Time("journeys", () => JourneyAnalysis.Analyze(log, journeys));
        Time("journeys collapseLoops", () => JourneyAnalysis.Analyze(log, journeys with { CollapseLoops = true }));
        Time("funnel ordered", () => FunnelAnalysis.Analyze(log, Funnel(FunnelMode.Ordered)));
        Time("funnel strict", () => FunnelAnalysis.Analyze(log, Funnel(FunnelMode.Strict)));
        Time("funnel any", () => FunnelAnalysis.Analyze(log, Funnel(FunnelMode.Any)));
        // A month and a segment (customers with an app contact): the binary searches and the per-contact delegate.
        DateTime from = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), to = from.AddMonths(1);
        Func<int, bool> app = i => log.Source[i] == 1;
        Time("journeys month+segment", () => JourneyAnalysis.Analyze(log, journeys with { From = from, To = to, ContactInSegment = app }));
        Time("funnel month+segment", () => FunnelAnalysis.Analyze(log, Funnel(FunnelMode.Ordered) with { From = from, To = to, ContactInSegment = app }));
        return 0;
    }

    private static void Time(string name, Func<object> call)
    {
        call(); // warm-up: JIT and pooled arrays
        var ms = new double[Runs];
        long allocated = 0;
        for (var r = 0; r < Runs; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(call());
            ms[r] = clock.Elapsed.TotalMilliseconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(ms);
        var p95 = ms[(int)Math.Ceiling(0.95 * Runs) - 1];
        Console.WriteLine($"{name,-26} {ms[0],8:F1} {ms[Runs / 2],8:F1} {p95,8:F1} {allocated / Runs / 1024.0,9:F0}");
    }

    /// <summary>Touchpoints whose contacts are mostly support tickets (chat, help desk, returns) or reviews.</summary>
    private static readonly int[] Support = [7, 8, 14];
    private const int ReviewTouchpoint = 16;

    public static ContactLog SyntheticLog(int contacts, int customers, int seed)
    {
        string[] stages = ["Awareness", "Interest", "Consideration", "Purchase", "Delivery", "Loyalty"];
        string[] names =
        [
            "Social media", "Paid ads", "Search results", "Review sites", "Product videos", "Website",
            "Comparison", "Live chat", "Help desk", "Cart", "Checkout", "Order e-mail",
            "Tracking", "Delivery", "Returns", "Newsletter", "Review request", "Referral programme",
        ];
        var stageIds = stages.Select(_ => Guid.NewGuid()).ToArray();
        var touchpoints = names.Select((n, i) => new JourneyTouchpoint(Guid.NewGuid(), n, stageIds[i / 3], stages[i / 3], i / 3)).ToArray();
        string[] themeNames = ["Late parcel", "Double charge", "Payment declined", "Login code", "Refund missing", "Chat queue", "Broken item", "Moved delivery"];

        var random = new Random(seed);
        // 1..19 contacts per customer (mean 10), then nudged so they add up to the requested total.
        var perCustomer = new int[customers];
        long sum = 0;
        for (var c = 0; c < customers; c++)
        {
            perCustomer[c] = 1 + random.Next(19);
            sum += perCustomer[c];
        }
        while (sum != contacts)
        {
            var c = random.Next(customers);
            if (sum < contacts) { perCustomer[c]++; sum++; }
            else if (perCustomer[c] > 1) { perCustomer[c]--; sum--; }
        }

        var start = new int[customers + 1];
        var ticks = new long[contacts];
        var touchpoint = new short[contacts];
        var kind = new byte[contacts];
        var sentiment = new sbyte[contacts];
        var theme = new int[contacts];
        var itemId = new Guid[contacts];
        var source = new int[contacts];
        var channel = new int[contacts];
        var origin = new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var i = 0;
        for (var c = 0; c < customers; c++)
        {
            start[c] = i;
            var t = origin + (long)(random.NextDouble() * TimeSpan.TicksPerDay * 120);
            // Most journeys start in Awareness, some straight in Interest or Consideration.
            var tp = random.NextDouble() < 0.7 ? random.Next(3) : 3 + random.Next(6);
            for (var n = 0; n < perCustomer[c]; n++, i++)
            {
                if (n > 0)
                {
                    var stage = tp / 3;
                    var r = random.NextDouble();
                    if (r < 0.15) { } // the same touchpoint again (a run, merged into one step)
                    else if (r < 0.6) tp = Math.Min(5, stage + random.Next(2)) * 3 + random.Next(3); // forward
                    else if (r < 0.75 && stage > 0) tp = random.Next(stage) * 3 + random.Next(3); // back to an earlier stage
                    else tp = Math.Clamp(stage + random.Next(-1, 2), 0, 5) * 3 + random.Next(3);

                    var gap = random.NextDouble();
                    t += gap < 0.04 ? TimeSpan.TicksPerDay * random.Next(31, 90) // a new journey
                        : gap < 0.25 ? (long)(random.NextDouble() * TimeSpan.TicksPerDay * 10) // another session
                        : TimeSpan.TicksPerSecond * random.Next(5, 1800);
                }
                ticks[i] = t;
                touchpoint[i] = (short)tp;
                itemId[i] = Guid.NewGuid();
                source[i] = random.Next(3);
                channel[i] = random.Next(2);
                var support = Array.IndexOf(Support, tp) >= 0 && random.NextDouble() < 0.8;
                var review = tp == ReviewTouchpoint && random.NextDouble() < 0.5;
                if (support || review)
                {
                    kind[i] = ContactKinds.Of(support ? "support-log" : "review");
                    var s = random.NextDouble();
                    sentiment[i] = s < 0.1 ? ContactLog.NoSentiment : s < 0.6 ? (sbyte)-1 : s < 0.85 ? (sbyte)0 : (sbyte)1;
                    theme[i] = random.NextDouble() < 0.7 ? random.Next(themeNames.Length) : -1;
                }
                else
                {
                    kind[i] = ContactKinds.Event;
                    sentiment[i] = ContactLog.NoSentiment;
                    theme[i] = -1;
                }
            }
        }
        start[customers] = i;
        return new ContactLog
        {
            Touchpoints = touchpoints,
            Themes = themeNames.Select(n => new JourneyTheme(Guid.NewGuid(), n)).ToArray(),
            CustomerStart = start,
            CustomerIds = Enumerable.Range(0, customers).Select(c => $"C-{c:D6}").ToArray(),
            Ticks = ticks, Touchpoint = touchpoint, Kind = kind, Sentiment = sentiment, Theme = theme, ItemId = itemId,
            Sources = ["web", "app", "store"], Source = source, Channels = ["organic", "paid"], Channel = channel,
        };
    }
}
