namespace JourneyFeedback.Api.Imports;

/// <summary>What a first look at the file found: encoding, delimiter, header, mapping, date order, rating scale, first rows.</summary>
internal sealed record ImportInspection(
    SniffResult Sniff, string Delimiter, IReadOnlyList<string> Header, ResolvedMapping Mapping, string? SlashDateOrder,
    double? RatingScale, List<MappedRow> PreviewRows, List<MappedEvent> PreviewEvents, List<MappedCustomer> PreviewCustomers,
    List<RowRejection> PreviewRejections)
{
    private const int SampleRows = 1000;
    private const int PreviewSize = 20;

    /// <summary>Reads the header and up to 1,000 rows; returns a reason instead when the file cannot be imported.</summary>
    public static ImportInspection? Inspect(string path, string kind, MappingRequest? explicitMapping, bool redact, DateTime now, out string? problem, out string problemField)
    {
        problemField = "file";
        var sniff = FileSniffer.Sniff(path);
        problem = sniff.Problem;
        if (problem is not null) return null;

        List<string[]> sample = [];
        List<(long Line, bool BadQuote)> positions = [];
        string[] header;
        string delimiter;
        using (var reader = new CsvRecordReader(path, sniff))
        {
            if (!reader.Read(out _, out header, out _) || header.All(string.IsNullOrWhiteSpace))
            {
                problem = "The file has no header row.";
                return null;
            }
            while (sample.Count < SampleRows && reader.Read(out var line, out var record, out var badQuote))
            {
                sample.Add(record);
                positions.Add((line, badQuote));
            }
            delimiter = reader.Delimiter;
        }
        // A header names columns; sentences in it mean the file is prose, not a CSV export.
        if (header.Any(h => h.Length > 100))
        {
            problem = "This does not look like a CSV file: its first line is text, not column names.";
            return null;
        }

        var mapping = ColumnMapper.Resolve(header, explicitMapping, kind, out problem);
        if (mapping is null)
        {
            problemField = "mapping";
            return null;
        }

        var slashOrder = mapping.Column(ImportFields.OccurredAt) is { } dateColumn && explicitMapping?.DateFormat is null
            ? DateParser.DetectSlashOrder(sample.Where(r => r.Length > dateColumn).Select(r => r[dateColumn]))
            : null;
        var scale = explicitMapping?.RatingScale;
        if (scale is null && mapping.Column(ImportFields.Rating) is { } ratingColumn)
        {
            var max = sample.Where(r => r.Length > ratingColumn)
                .Select(r => RowMapper.TryParseRating(r[ratingColumn], out var v) ? v : 0)
                .DefaultIfEmpty(0).Max();
            scale = RowMapper.GuessScale(max);
        }

        var mapper = new RowMapper(kind, mapping, new DateParser(slashOrder, explicitMapping?.DateFormat), scale, redact, now);
        var rows = new List<MappedRow>();
        var events = new List<MappedEvent>();
        var customers = new List<MappedCustomer>();
        var rejections = new List<RowRejection>();
        for (var i = 0; i < sample.Count && i < PreviewSize; i++)
        {
            if (kind == ImportKinds.Events)
            {
                var (mapped, rejected) = mapper.MapEvent(positions[i].Line, sample[i], positions[i].BadQuote);
                if (mapped is not null) events.Add(mapped);
                else rejections.Add(rejected!);
                continue;
            }
            if (kind == ImportKinds.Customers)
            {
                var (customer, rejected) = mapper.MapCustomer(positions[i].Line, sample[i], positions[i].BadQuote);
                if (customer is not null) customers.Add(customer);
                else rejections.Add(rejected!);
                continue;
            }
            var (row, rejection) = mapper.Map(positions[i].Line, sample[i], positions[i].BadQuote);
            if (row is not null) rows.Add(row);
            else rejections.Add(rejection!);
        }
        return new ImportInspection(sniff, delimiter, header, mapping, slashOrder, scale, rows, events, customers, rejections);
    }

    public string? DateFormatDescription(MappingRequest? explicitMapping) => explicitMapping?.DateFormat ?? SlashDateOrder;
}
