using System.Text;

namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>Customer attributes stored the way users store them: a <c>kind=customers</c> import of a generated CSV.</summary>
public static class CustomerFiles
{
    public static async Task ImportAsync(HttpClient client, IReadOnlyDictionary<string, Dictionary<string, string>> customers)
    {
        var keys = customers.Values.SelectMany(a => a.Keys).Distinct(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder("customer_id");
        foreach (var key in keys) csv.Append(',').Append(key);
        csv.Append('\n');
        foreach (var (id, attributes) in customers)
        {
            csv.Append(Quote(id));
            foreach (var key in keys) csv.Append(',').Append(Quote(attributes.GetValueOrDefault(key, "")));
            csv.Append('\n');
        }
        var status = await ImportRuns.Run(client, "customers.csv", csv.ToString(), "customers");
        if (status["status"]!.GetValue<string>() != "succeeded" || status["imported"]!.GetValue<int>() != customers.Count)
            throw new InvalidOperationException($"The customers import did not store every row: {status.ToJsonString()}");
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";
}
