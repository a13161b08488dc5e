using System.Diagnostics;
using System.Globalization;
using System.Text;

/// <summary>
/// Latency of segmented reads on a big map: insights for a segment over varying windows, period comparisons (two
/// consecutive months, one segment) and segment comparisons (two segments, one period). The first request of each
/// expression is reported apart: it computes the segment's mask over the snapshot, later ones reuse it.
/// </summary>
internal static class SegmentsLatency
{
    /// <summary>Expressions a team would save: plan, country, tenure, persona, acquisition and item fields mixed.</summary>
    private static readonly string[] Expressions =
    [
        "plan = pro",
        "plan IN (pro, team) AND country IN (PL, RO)",
        "tenureMonths >= 12",
        "persona = \"Busy parent\" AND channel = email",
        "NOT country = DE AND kind = support-log",
        "acquisition = referral OR tenureMonths < 3",
        "plan = free AND signupDate >= 2025-06-01",
        "country = IT AND persona IN (\"Small business\", Student)",
    ];

    private static readonly DateTime DataStart = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<int> Measure(string api, string key, string mapId, int requests)
    {
        using var http = InsightsLatency.Client(api, key);
        var random = new Random(11);

        var firstUse = new List<double>();
        foreach (var expression in Expressions)
        {
            var clock = Stopwatch.StartNew();
            await http.GetStringAsync($"/api/maps/{mapId}/insights?segment={Uri.EscapeDataString(expression)}");
            firstUse.Add(clock.Elapsed.TotalMilliseconds);
        }
        InsightsLatency.Report("segmented-insights-first-use", firstUse);

        InsightsLatency.Report("segmented-insights", await InsightsLatency.Time(requests, () => http.GetStringAsync(InsightsPath(mapId, random))));
        InsightsLatency.Report("compare-periods", await InsightsLatency.Time(requests, () => http.GetStringAsync(PeriodsPath(mapId, random))));
        InsightsLatency.Report("compare-segments", await InsightsLatency.Time(requests, () => http.GetStringAsync(SegmentsPath(mapId, random))));
        return 0;
    }

    private static string Segment(Random random) => Uri.EscapeDataString(Expressions[random.Next(Expressions.Length)]);

    private static string InsightsPath(string mapId, Random random)
    {
        var query = new StringBuilder("?segment=").Append(Segment(random));
        if (random.Next(5) != 0)
        {
            var from = DataStart.AddDays(random.Next(0, 150));
            query.Append(CultureInfo.InvariantCulture, $"&from={from:yyyy-MM-dd}&to={from.AddDays(random.Next(7, 180)):yyyy-MM-dd}");
        }
        return $"/api/maps/{mapId}/insights{query}";
    }

    /// <summary>One month against the month before, for a segment.</summary>
    private static string PeriodsPath(string mapId, Random random)
    {
        var month = DataStart.AddMonths(random.Next(1, 6));
        string Period(DateTime start) => FormattableString.Invariant($"{start:yyyy-MM-dd}/{start.AddMonths(1).AddDays(-1):yyyy-MM-dd}");
        return $"/api/maps/{mapId}/compare?current={Period(month)}&previous={Period(month.AddMonths(-1))}&segment={Segment(random)}";
    }

    /// <summary>Two different segments over a 30–180-day period.</summary>
    private static string SegmentsPath(string mapId, Random random)
    {
        var a = random.Next(Expressions.Length);
        var b = (a + 1 + random.Next(Expressions.Length - 1)) % Expressions.Length;
        var from = DataStart.AddDays(random.Next(0, 60));
        return $"/api/maps/{mapId}/compare?a={Uri.EscapeDataString(Expressions[a])}&b={Uri.EscapeDataString(Expressions[b])}"
            + FormattableString.Invariant($"&period={from:yyyy-MM-dd}/{from.AddDays(random.Next(30, 180)):yyyy-MM-dd}");
    }

    /// <summary>
    /// Attributes of customers C-1 … C-n (the ids the generated support logs use), as a customers import file:
    /// plan, country, tenure in months, acquisition channel, persona label and signup date, drawn with a fixed seed.
    /// </summary>
    public static int GenerateCustomers(int count, string file)
    {
        string[] plans = ["free", "free", "free", "pro", "pro", "team"];
        string[] countries = ["PL", "PL", "RO", "IT", "IT", "DE", "FR", "ES", "GB", "NL"];
        string[] acquisition = ["organic search", "referral", "paid ads", "social", "partner", "direct"];
        string[] personas = ["Busy parent", "Student", "Small business", "Retiree", "Frequent traveller", "Bargain hunter"];
        var random = new Random(5);
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("customer_id,plan,country,tenure_months,acquisition,persona,signup_date\n");
        var today = new DateTime(2026, 7, 1);
        for (var i = 1; i <= count; i++)
        {
            var tenure = (int)(60 * Math.Pow(random.NextDouble(), 2));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"C-{i},{plans[random.Next(plans.Length)]},{countries[random.Next(countries.Length)]},{tenure},{acquisition[random.Next(acquisition.Length)]},{personas[random.Next(personas.Length)]},{today.AddMonths(-tenure).AddDays(-random.Next(28)):yyyy-MM-dd}\n"));
        }
        return 0;
    }
}
