using System.Globalization;
using System.Text;
using JourneyFeedback.Analysis.Training;

/// <summary>
/// A support log whose messages are real people's sentences, recombined: customer-service requests (BANKING77),
/// product and restaurant reviews (UCI Sentiment Labelled Sentences), movie-review snippets (rt-polarity) and Reddit
/// comments (GoEmotions), read at run time from the train splits the analysis library ships in TrainingData/.
/// Rows are questions, complaints, praise or a mix, one short line to several sentences, with skewed channels and
/// repeat customers; the columns are those of <see cref="SupportLog"/>, so an import maps both the same way.
/// The sentence pools are loaded once (a few MB); rows are written as they are made, so memory is flat in the row count.
/// </summary>
internal static class VariedSupportLog
{
    private static readonly string[] Agents = ["Ola", "Piotr", "Marta", "Jan", "Ana", "Luca", "Ioana", "Sam"];
    private static readonly (string Name, int Weight)[] Channels = [("chat", 35), ("email", 30), ("web-form", 15), ("phone", 10), ("app", 10)];
    private static readonly string[] Greetings = ["Hi,", "Hello,", "Hi there,", "Good morning,", "Dear support,", "Hey,"];
    private static readonly string[] Closings = ["Thanks.", "Thank you!", "Please get back to me.", "Regards", "Any update?", "Cheers"];

    // GoEmotions labels (emotions.txt) whose comments read like one side of a support conversation.
    private static readonly string[] NegativeEmotions = ["anger", "annoyance", "disappointment", "disapproval", "sadness", "disgust", "nervousness"];
    private static readonly string[] PositiveEmotions = ["gratitude", "admiration", "approval", "joy", "relief", "love"];
    private static readonly string[] QuestionEmotions = ["confusion", "curiosity"];

    private enum Kind { Question, Complaint, Praise, Mixed }

    private sealed record Request(string Text, string Subject);

    /// <summary>A pool of sentences drawn from several sets, each set with a share of the draws.</summary>
    private sealed class Mixture(params (List<string> Sentences, int Weight)[] sources)
    {
        public string Draw(Random random)
        {
            var roll = random.Next(sources.Sum(s => s.Weight));
            foreach (var (sentences, weight) in sources)
            {
                if (roll < weight) return sentences[random.Next(sentences.Count)];
                roll -= weight;
            }
            throw new InvalidOperationException("weights");
        }
    }

    private sealed record Pools(List<Request> Requests, Mixture Negative, Mixture Positive, Mixture Questions);

    public static int Generate(int rows, string file, int seed, string idPrefix = "ZD")
    {
        var pools = Load(TrainingDataLocator.Require());
        var random = new Random(seed);
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("ticket_id,created_at,customer_id,channel,agent,subject,message,priority\n");
        var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var line = new StringBuilder(1024);
        var message = new StringBuilder(1024);
        for (var i = 1; i <= rows; i++)
        {
            // Arrivals at random (exponential gaps, 17 s on average, as the template log's fixed step).
            time = time.AddSeconds(-17 * Math.Log(1 - random.NextDouble()));
            var channel = Pick(random, Channels);
            var kind = random.Next(100) switch { < 38 => Kind.Question, < 70 => Kind.Complaint, < 85 => Kind.Praise, _ => Kind.Mixed };
            var subject = Compose(random, pools, kind, channel, message);
            // Customers write more than once, a few of them often: u³ skews ids towards the low end.
            var customer = 1 + (int)(200_000 * Math.Pow(random.NextDouble(), 3));
            var priority = kind == Kind.Complaint ? (random.Next(2) == 0 ? "high" : "normal") : (random.Next(7) == 0 ? "high" : "normal");
            line.Clear()
                .Append(idPrefix).Append('-').Append(i).Append(',')
                .Append(time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append("C-").Append(customer).Append(',')
                .Append(channel).Append(',')
                .Append(Agents[random.Next(Agents.Length)]).Append(',');
            AppendQuoted(line, subject).Append(',');
            AppendQuoted(line, message.ToString()).Append(',')
                .Append(priority).Append('\n');
            writer.Write(line);
        }
        return 0;
    }

    /// <summary>Writes one message into <paramref name="message"/> and returns its subject line.</summary>
    private static string Compose(Random random, Pools pools, Kind kind, string channel, StringBuilder message)
    {
        message.Clear();
        var sentences = new List<string>(6);
        string subject;
        // Sentence counts: mostly one or two, sometimes a paragraph (1: 40%, 2: 30%, 3: 17%, 4: 9%, 5: 4%).
        var extra = random.Next(100) switch { < 40 => 0, < 70 => 1, < 87 => 2, < 96 => 3, _ => 4 };
        switch (kind)
        {
            case Kind.Question:
            {
                var request = pools.Requests[random.Next(pools.Requests.Count)];
                sentences.Add(request.Text);
                subject = request.Subject;
                for (var k = 0; k < extra; k++)
                    sentences.Add(random.Next(4) == 0 ? Any(random, pools.Questions) : pools.Requests[random.Next(pools.Requests.Count)].Text);
                break;
            }
            case Kind.Complaint:
            {
                // Often a concrete request with the frustration around it; sometimes frustration alone.
                if (random.Next(4) != 0)
                {
                    var request = pools.Requests[random.Next(pools.Requests.Count)];
                    sentences.Add(request.Text);
                    subject = request.Subject;
                }
                else
                {
                    sentences.Add(Any(random, pools.Negative));
                    subject = "Complaint";
                }
                for (var k = 0; k < extra; k++) sentences.Add(Any(random, pools.Negative));
                break;
            }
            case Kind.Praise:
                subject = random.Next(2) == 0 ? "Feedback" : "Thank you";
                sentences.Add(Any(random, pools.Positive));
                for (var k = 0; k < Math.Min(extra, 2); k++) sentences.Add(Any(random, pools.Positive));
                break;
            default:
            {
                sentences.Add(Any(random, pools.Positive));
                if (random.Next(2) == 0)
                {
                    var request = pools.Requests[random.Next(pools.Requests.Count)];
                    sentences.Add(request.Text);
                    subject = request.Subject;
                }
                else
                {
                    sentences.Add(Any(random, pools.Negative));
                    subject = "Feedback";
                }
                for (var k = 0; k < extra - 1; k++) sentences.Add(random.Next(2) == 0 ? Any(random, pools.Negative) : Any(random, pools.Positive));
                break;
            }
        }

        // Email and forms carry greetings and sign-offs, on separate lines; chat is terse.
        var formal = channel is "email" or "web-form";
        if (random.Next(100) < (formal ? 60 : 12)) message.Append(Greetings[random.Next(Greetings.Length)]).Append(formal ? '\n' : ' ');
        for (var k = 0; k < sentences.Count; k++)
        {
            if (k > 0) message.Append(formal && random.Next(4) == 0 ? '\n' : ' ');
            message.Append(sentences[k]);
        }
        if (random.Next(100) < (formal ? 45 : 10)) message.Append(formal ? '\n' : ' ').Append(Closings[random.Next(Closings.Length)]);
        if (channel == "app" && random.Next(8) == 0) message.Append("\nSent from my phone");
        return random.Next(10) == 0 ? "" : subject;
    }

    private static string Any(Random random, Mixture pool) => pool.Draw(random);

    private static string Pick(Random random, (string Name, int Weight)[] weighted)
    {
        var roll = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (name, weight) in weighted)
        {
            if (roll < weight) return name;
            roll -= weight;
        }
        return weighted[^1].Name;
    }

    private static StringBuilder AppendQuoted(StringBuilder line, string field) =>
        line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    private static Pools Load(string directory)
    {
        // BANKING77 (CSV, quoted fields, some with line breaks): the request, and its intent as a subject line.
        var requests = new List<Request>();
        using (var parser = new CsvHelper.CsvParser(new StreamReader(Path.Combine(directory, "banking77", "train.csv")), CultureInfo.InvariantCulture))
        {
            parser.Read();
            while (parser.Read())
            {
                var text = Clean(parser.Record![0]);
                if (text.Length > 0) requests.Add(new Request(text, Humanize(parser.Record[1])));
            }
        }

        // UCI sentences (text, label, source) and rt-polarity (text, label, lower-cased and tokenised): praise and complaints.
        List<string> uciPositive = [], uciNegative = [], rtPositive = [], rtNegative = [];
        foreach (var parts in File.ReadLines(Path.Combine(directory, "uci-sentences", "train.tsv")).Skip(1).Select(l => l.Split('\t')))
            (parts[1] == "1" ? uciPositive : uciNegative).Add(Clean(parts[0]));
        foreach (var parts in File.ReadLines(Path.Combine(directory, "rt-polarity", "train.tsv")).Skip(1).Select(l => l.Split('\t')))
            (parts[1] == "1" ? rtPositive : rtNegative).Add(Detokenize(parts[0]));

        // GoEmotions (text, emotion ids, comment id): short comments whose emotions fit a pool, as the asides people add
        // ("Guilty :(", "Thank you so much!"). Long Reddit threads, masked names and subreddits read oddly here.
        List<string> goNegative = [], goPositive = [], goQuestions = [];
        var emotions = File.ReadAllLines(Path.Combine(directory, "goemotions", "emotions.txt")).Select(l => l.Trim()).ToList();
        int[] Ids(string[] names) => names.Select(n => emotions.IndexOf(n)).Where(i => i >= 0).ToArray();
        var (negative, positive, question) = (Ids(NegativeEmotions), Ids(PositiveEmotions), Ids(QuestionEmotions));
        foreach (var parts in File.ReadLines(Path.Combine(directory, "goemotions", "train.tsv")).Select(l => l.Split('\t')))
        {
            var text = Clean(parts[0]);
            if (text.Length is < 8 or > 90 || text.Contains('[', StringComparison.Ordinal) || text.Contains("r/", StringComparison.Ordinal)) continue;
            var ids = parts[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (ids.Any(negative.Contains)) goNegative.Add(text);
            else if (ids.Any(positive.Contains)) goPositive.Add(text);
            else if (ids.Any(question.Contains)) goQuestions.Add(text);
        }

        // Shares of the draws, not of the sets' sizes: GoEmotions alone has more sentences than the rest together.
        return new Pools(requests,
            Negative: new Mixture((uciNegative, 4), (rtNegative, 2), (goNegative, 4)),
            Positive: new Mixture((uciPositive, 4), (rtPositive, 2), (goPositive, 4)),
            Questions: new Mixture((goQuestions, 1)));
    }

    private static string Clean(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Humanize(string category)
    {
        var words = category.Replace('_', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>"it 's a mess , really ." → "It's a mess, really."</summary>
    private static string Detokenize(string text)
    {
        var result = new StringBuilder(text.Trim());
        foreach (var (from, to) in new[] { (" ,", ","), (" .", "."), (" !", "!"), (" ?", "?"), (" 's", "'s"), (" n't", "n't"), (" 're", "'re"), (" 've", "'ve"), (" 'll", "'ll"), (" :", ":"), (" ;", ";") })
            result.Replace(from, to);
        if (result.Length > 0) result[0] = char.ToUpperInvariant(result[0]);
        return result.ToString();
    }
}
