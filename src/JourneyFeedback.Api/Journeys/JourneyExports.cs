using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Journeys;

/// <summary>The journey graph and the funnel as CSV (Excel-safe), for analytics tools and spreadsheets.</summary>
internal static class JourneyExports
{
    /// <summary>One row per directly-follows edge.</summary>
    public static byte[] GraphCsv(JourneyGraph graph) => Table(
        ["from", "to", "transitions", "customers", "median_seconds", "p90_seconds", "backward", "from_touchpoint_id", "to_touchpoint_id"],
        graph.Edges.Select(e => new object?[]
            { e.FromName, e.ToName, e.Transitions, e.Customers, e.MedianSeconds, e.P90Seconds, e.Backward, e.FromTouchpointId, e.ToTouchpointId }));

    /// <summary>One row per step, with who stopped after it: their most frequent last touchpoint and top theme.</summary>
    public static byte[] FunnelCsv(Funnel funnel) => Table(
        ["step", "type", "customers", "conversion_from_previous", "conversion_from_start", "dropped_after", "drop_off_rate",
            "median_seconds_from_previous", "median_seconds_from_start", "top_last_touchpoint", "negative_comments", "top_theme", "top_theme_items", "step_id"],
        funnel.Steps.Select(s => new object?[]
        {
            s.Name, s.Type, s.Customers, s.ConversionFromPrevious, s.ConversionFromStart, s.DroppedAfter, s.DropOffRate, s.MedianSecondsFromPrevious,
            s.MedianSecondsFromStart, s.DropOff?.LastTouchpoints.FirstOrDefault()?.Name, s.DropOff?.Sentiment.Negative,
            s.DropOff?.Themes.FirstOrDefault()?.Name, s.DropOff?.Themes.FirstOrDefault()?.Items, s.Id,
        }));

    private static byte[] Table(string[] headers, IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var csv = ExcelCsv.Create(stream))
        {
            foreach (var header in headers) csv.WriteField(header);
            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var value in row) csv.WriteField(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }
}
