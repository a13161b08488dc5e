using System.Collections.Concurrent;
using System.Globalization;

/// <summary>One request of the soak: what, to which instance, when it left and came back, and the status (0: no answer).</summary>
internal readonly record struct SoakCall(string Kind, int Instance, DateTime Sent, DateTime Done, int Status, bool RetryAfter);

/// <summary>A stretch of time in which an instance (or, with <see cref="Instance"/> -1, all of them) was allowed to fail.</summary>
internal sealed record FaultWindow(string What, int Instance, DateTime Start)
{
    public DateTime? End { get; set; }

    public bool Covers(SoakCall call) =>
        (Instance < 0 || Instance == call.Instance) && call.Done >= Start && (End is not { } end || call.Sent <= end);
}

/// <summary>One /proc reading of an API process.</summary>
internal readonly record struct ProcessSample(DateTime At, long RssKb, int OpenFiles);

/// <summary>Every request and fault of a soak, kept for the checks at the end.</summary>
internal sealed class SoakLedger
{
    private readonly ConcurrentQueue<SoakCall> _calls = new();
    private readonly List<FaultWindow> _windows = [];
    private readonly Dictionary<(int Instance, int Pid), List<ProcessSample>> _processes = [];

    public void Record(SoakCall call) => _calls.Enqueue(call);

    public FaultWindow Open(string what, int instance)
    {
        var window = new FaultWindow(what, instance, DateTime.UtcNow);
        lock (_windows) _windows.Add(window);
        return window;
    }

    public IReadOnlyList<FaultWindow> Windows { get { lock (_windows) return [.. _windows]; } }

    public void Sample(int instance, int pid, ProcessSample sample)
    {
        lock (_processes)
        {
            if (!_processes.TryGetValue((instance, pid), out var samples)) _processes[(instance, pid)] = samples = [];
            samples.Add(sample);
        }
    }

    /// <summary>Each process lifetime (instance, pid) and its samples.</summary>
    public IReadOnlyDictionary<(int Instance, int Pid), List<ProcessSample>> Processes { get { lock (_processes) return new Dictionary<(int, int), List<ProcessSample>>(_processes); } }

    public IReadOnlyList<SoakCall> Calls => [.. _calls];

    /// <summary>A 5xx other than 503, or no answer at all, outside every fault window of its instance.</summary>
    public List<SoakCall> Unexcused() =>
        Calls.Where(c => (c.Status == 0 || c.Status >= 500 && c.Status != 503) && !Windows.Any(w => w.Covers(c))).ToList();

    /// <summary>"kind: 201×n 409×m …" per kind of request.</summary>
    public IEnumerable<string> Summary() =>
        Calls.GroupBy(c => c.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"{g.Key}: " + string.Join(" ", g.GroupBy(c => c.Status).OrderBy(s => s.Key)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{(s.Key == 0 ? "noanswer" : s.Key.ToString(CultureInfo.InvariantCulture))}×{s.Count()}")))
            + Latency(g.Select(c => (c.Done - c.Sent).TotalMilliseconds).Order().ToList()));

    private static string Latency(List<double> ms) => string.Create(CultureInfo.InvariantCulture,
        $"; ms p50 {ms[ms.Count / 2]:F0}, p95 {ms[(int)(ms.Count * 0.95)]:F0}, max {ms[^1]:F0}");
}
