using System.Diagnostics;
using JourneyFeedback.Analysis.Serving;

// journeys: the journey graph and the funnel over a synthetic 1M-contact log, on one core (see JourneysBench.cs).
if (args.FirstOrDefault() == "journeys")
{
    return JourneyFeedback.Bench.JourneysBench.Run(args[1..]);
}

// analysis-languages: English-only against a mixed file (a quarter each English, Polish, Italian, Romanian), one
// round after the other, several rounds; texts are our own customer texts (TrainingData/own), so both sides are real.
if (args.FirstOrDefault() == "analysis-languages")
{
    return JourneyFeedback.Bench.LanguagesBench.Run(args[1..]);
}

// analysis: texts/s of every model together (featurize once + sentiment + emotions + pain points,
// plus key phrases and language), at batch sizes 1, 64 and 1024, on all cores.
if (args.FirstOrDefault() != "analysis")
{
    Console.Error.WriteLine("usage: JourneyFeedback.Bench analysis [totalTexts] | analysis-languages [texts] [rounds] | journeys [contacts] [customers]");
    return 2;
}
int total = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
var analyzer = FeedbackAnalyzer.Load();
var texts = CustomerTexts(total);
Console.WriteLine($"cores={Environment.ProcessorCount} texts={texts.Count} avgChars={texts.Average(t => t.Length):F0}");
analyzer.Analyze(texts.Take(2048).ToList()); // warm-up: JIT and engine pool

foreach (int batchSize in new[] { 1, 64, 1024 })
{
    var batches = texts.Chunk(batchSize).Select(b => (IReadOnlyList<string>)b).ToList();
    var clock = Stopwatch.StartNew();
    if (batchSize == 1)
    {
        // Single-text calls from one caller per core, as concurrent API requests would make them.
        Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t => analyzer.Analyze(t));
    }
    else
    {
        foreach (var batch in batches)
        {
            analyzer.Analyze(batch);
        }
    }
    clock.Stop();
    Console.WriteLine($"batch={batchSize,5}  {texts.Count / clock.Elapsed.TotalSeconds,10:F0} texts/s  ({clock.Elapsed.TotalSeconds:F1}s)");
}
return 0;

// Realistic 60–120 character customer texts assembled from parts, so caching cannot help.
static List<string> CustomerTexts(int count)
{
    string[] openers = ["Hi, ", "Honestly ", "Dear team, ", "", "Ugh, ", "Thanks, but ", "Just so you know, "];
    string[] issues =
    [
        "my parcel still hasn't arrived after {0} days",
        "I was charged twice for order {0}",
        "the app crashes every time I open my basket",
        "payment was declined at checkout although my card works",
        "I can't log in, the verification code never comes",
        "I've been waiting {0} minutes in the chat queue",
        "the refund for my return is still missing",
        "the jacket fell apart after {0} washes",
        "nobody told me the delivery was moved",
        "great service, the courier was friendly and quick",
    ];
    string[] endings = [".", "!", " - please fix this.", ", really disappointed.", ", thank you.", " Any update?"];
    var random = new Random(7);
    var list = new List<string>(count);
    while (list.Count < count)
    {
        string text = openers[random.Next(openers.Length)] + string.Format(System.Globalization.CultureInfo.InvariantCulture, issues[random.Next(issues.Length)], random.Next(2, 60))
            + endings[random.Next(endings.Length)];
        if (text.Length < 60)
        {
            text += " This is the " + (random.Next(2, 9)) + "th time it happened to me this year.";
        }
        list.Add(text.Length > 120 ? text[..120] : text);
    }
    return list;
}
