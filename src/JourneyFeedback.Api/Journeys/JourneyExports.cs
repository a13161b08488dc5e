using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Journeys;

/// <summary>The journey graph and the funnel as CSV (Excel-safe), for analytics tools and spreadsheets.</summary>
internal static class JourneyExports
{
    /// <summary>One row per directly-follows edge.</summary>
    public static byte[] GraphCsv(JourneyGraph graph) => Write(csv =>
    {
        foreach (var header in new[] { "from", "to", "transitions", "customers", "median_seconds", "p90_seconds", "backward", "from_touchpoint_id", "to_touchpoint_id" })
            csv.WriteField(header);
        csv.NextRecord();
        foreach (var e in graph.Edges)
        {
            csv.WriteField(e.FromName);
            csv.WriteField(e.ToName);
            csv.WriteField(e.Transitions);
            csv.WriteField(e.Customers);
            csv.WriteField(e.MedianSeconds);
            csv.WriteField(e.P90Seconds);
            csv.WriteField(e.Backward);
            csv.WriteField(e.FromTouchpointId);
            csv.WriteField(e.ToTouchpointId);
            csv.NextRecord();
        }
    });

    /// <summary>One row per step, with who stopped after it: their most frequent last touchpoint and top theme.</summary>
    public static byte[] FunnelCsv(Funnel funnel) => Write(csv =>
    {
        foreach (var header in new[] { "step", "type", "customers", "conversion_from_previous", "conversion_from_start", "dropped_after", "drop_off_rate",
            "median_seconds_from_previous", "median_seconds_from_start", "top_last_touchpoint", "negative_comments", "top_theme", "top_theme_items", "step_id" })
            csv.WriteField(header);
        csv.NextRecord();
        foreach (var s in funnel.Steps)
        {
            csv.WriteField(s.Name);
            csv.WriteField(s.Type);
            csv.WriteField(s.Customers);
            csv.WriteField(s.ConversionFromPrevious);
            csv.WriteField(s.ConversionFromStart);
            csv.WriteField(s.DroppedAfter);
            csv.WriteField(s.DropOffRate);
            csv.WriteField(s.MedianSecondsFromPrevious);
            csv.WriteField(s.MedianSecondsFromStart);
            csv.WriteField(s.DropOff?.LastTouchpoints.FirstOrDefault()?.Name);
            csv.WriteField(s.DropOff?.Sentiment.Negative);
            csv.WriteField(s.DropOff?.Themes.FirstOrDefault()?.Name);
            csv.WriteField(s.DropOff?.Themes.FirstOrDefault()?.Items);
            csv.WriteField(s.Id);
            csv.NextRecord();
        }
    });

    private static byte[] Write(Action<CsvHelper.CsvWriter> rows)
    {
        using var stream = new MemoryStream();
        using (var csv = ExcelCsv.Create(stream))
        {
            rows(csv);
        }
        return stream.ToArray();
    }
}
