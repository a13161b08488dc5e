using System.Globalization;
using System.Text;

/// <summary>Generates a support-log export that looks like the real thing: varied messages, quotes, commas, a few multi-line rows.</summary>
internal static class SupportLog
{
    private static readonly string[] Channels = ["chat", "email", "phone", "web-form"];
    private static readonly string[] Agents = ["Ola", "Piotr", "Marta", "Jan", "Ana", "Luca", "Ioana", "Sam"];
    private static readonly string[] Subjects = ["Parcel late", "Refund", "Card declined", "Login", "Wrong size", "Damaged item", "Invoice", "Returns label"];
    private static readonly string[] Openers = ["Hi,", "Hello team,", "", "Good morning,", "Please help:"];
    private static readonly string[] Problems =
    [
        "my parcel {0} has not moved in tracking for {1} days",
        "I returned order {0} and the refund still has not arrived after {1} days",
        "checkout says \"payment declined\" for order {0}, tried {1} times",
        "the verification code for my account never arrives, waited {1} minutes",
        "received size {1} instead of the size I ordered on {0}",
        "the box for order {0} arrived damaged, the shoes are scratched",
        "the invoice for {0} has the wrong VAT number, please resend",
        "the returns portal shows an error when printing the label for {0}",
    ];
    private static readonly string[] Closers = ["Thanks.", "Very disappointed.", "Please call me back.", "", "This is the second time, not happy!"];

    public static int Generate(int rows, string file)
    {
        var random = new Random(42);
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("ticket_id,created_at,customer_id,channel,agent,subject,message,priority\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var line = new StringBuilder(256);
        for (var i = 1; i <= rows; i++)
        {
            var problem = random.Next(Problems.Length);
            var order = random.Next(10_000, 99_999);
            var message = $"{Openers[random.Next(Openers.Length)]} {string.Format(CultureInfo.InvariantCulture, Problems[problem], order, random.Next(2, 30))}. {Closers[random.Next(Closers.Length)]}".Trim();
            if (i % 50 == 0) message += "\nSent from my phone";
            line.Clear()
                .Append("ZD-").Append(i).Append(',')
                .Append(start.AddSeconds(i * 17L).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append("C-").Append(random.Next(1, 200_000)).Append(',')
                .Append(Channels[random.Next(Channels.Length)]).Append(',')
                .Append(Agents[random.Next(Agents.Length)]).Append(',')
                .Append(Subjects[problem]).Append(',')
                .Append('"').Append(message.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",")
                .Append(random.Next(3) == 0 ? "high" : "normal").Append('\n');
            writer.Write(line);
        }
        return 0;
    }
}
