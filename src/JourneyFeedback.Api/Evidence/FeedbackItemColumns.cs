using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Evidence;

/// <summary>How a column's value is stored; the bulk writers switch on it to write each value without boxing.</summary>
internal enum ColumnKind { Uuid, Text, Timestamp, Real, Integer, Flag }

/// <summary>The raw-SQL writers of feedback items (EF Core writes the rest through the model).</summary>
[Flags]
internal enum FeedbackItemWriters
{
    None = 0,
    Import = 1,
    SurveyAnswer = 2,
    Analysis = 4,
    Matching = 8,
    Themes = 16,
}

/// <summary>
/// One column of <c>FeedbackItems</c> as the raw writers see it: its name, how it is stored, and the entity property
/// its value comes from. Each writer fills a <see cref="FeedbackItem"/> by property name and lets the columns read it,
/// so no writer keeps a list of names or a value order of its own.
/// </summary>
internal sealed class FeedbackItemColumn
{
    // One typed delegate per column (its type follows Kind), so the bulk paths read values without boxing.
    private readonly Delegate _value;

    private FeedbackItemColumn(string name, ColumnKind kind, Delegate value, FeedbackItemWriters writtenBy, string? keptWhen, string? notImported)
    {
        Name = name;
        Kind = kind;
        _value = value;
        WrittenBy = writtenBy;
        KeptWhen = keptWhen;
        NotImported = notImported;
    }

    public string Name { get; }
    public ColumnKind Kind { get; }
    public FeedbackItemWriters WrittenBy { get; }

    /// <summary>The correction flag that keeps a person's value in this column from being overwritten by a model.</summary>
    public string? KeptWhen { get; }

    /// <summary>Why imports leave the column to its default (null when they write it).</summary>
    public string? NotImported { get; }

    /// <summary>The parameter that carries the column's value in a raw statement.</summary>
    public string Parameter => "@" + Name;

    /// <summary>The CLR type of the column's values, for typed (and, when null, still typed) parameters.</summary>
    public Type Type => Kind switch
    {
        ColumnKind.Uuid => typeof(Guid),
        ColumnKind.Text => typeof(string),
        ColumnKind.Timestamp => typeof(DateTime),
        ColumnKind.Real => typeof(double),
        ColumnKind.Integer => typeof(long),
        _ => typeof(bool),
    };

    public static FeedbackItemColumn Uuid(string name, Func<FeedbackItem, Guid?> value, FeedbackItemWriters by, string? notImported = null) =>
        new(name, ColumnKind.Uuid, value, by, null, notImported);

    public static FeedbackItemColumn Text(string name, Func<FeedbackItem, string?> value, FeedbackItemWriters by, string? keptWhen = null,
        string? notImported = null) => new(name, ColumnKind.Text, value, by, keptWhen, notImported);

    public static FeedbackItemColumn Timestamp(string name, Func<FeedbackItem, DateTime?> value, FeedbackItemWriters by, string? notImported = null) =>
        new(name, ColumnKind.Timestamp, value, by, null, notImported);

    public static FeedbackItemColumn Real(string name, Func<FeedbackItem, double?> value, FeedbackItemWriters by, string? keptWhen = null) =>
        new(name, ColumnKind.Real, value, by, keptWhen, null);

    public static FeedbackItemColumn Integer(string name, Func<FeedbackItem, long?> value, FeedbackItemWriters by) =>
        new(name, ColumnKind.Integer, value, by, null, null);

    /// <summary>A NOT NULL boolean: always written.</summary>
    public static FeedbackItemColumn Flag(string name, Func<FeedbackItem, bool> value, FeedbackItemWriters by, string? notImported = null) =>
        new(name, ColumnKind.Flag, value, by, null, notImported);

    public Guid? UuidOf(FeedbackItem item) => ((Func<FeedbackItem, Guid?>)_value)(item);
    public string? TextOf(FeedbackItem item) => ((Func<FeedbackItem, string?>)_value)(item);
    public DateTime? TimestampOf(FeedbackItem item) => ((Func<FeedbackItem, DateTime?>)_value)(item);
    public double? RealOf(FeedbackItem item) => ((Func<FeedbackItem, double?>)_value)(item);
    public long? IntegerOf(FeedbackItem item) => ((Func<FeedbackItem, long?>)_value)(item);
    public bool FlagOf(FeedbackItem item) => ((Func<FeedbackItem, bool>)_value)(item);

    /// <summary>The value boxed, for statements that bind through ADO.NET parameters anyway.</summary>
    public object? ValueOf(FeedbackItem item) => Kind switch
    {
        ColumnKind.Uuid => UuidOf(item),
        ColumnKind.Text => TextOf(item),
        ColumnKind.Timestamp => TimestampOf(item),
        ColumnKind.Real => RealOf(item),
        ColumnKind.Integer => IntegerOf(item),
        _ => FlagOf(item),
    };
}

/// <summary>
/// The columns of <c>FeedbackItems</c> that raw SQL writes: the bulk inserters of both engines (SQLite binds, PostgreSQL
/// COPY) write <see cref="Imported"/> in this order, and the survey answer writer and the analysis and matching workers
/// write their named subsets. A new property of <see cref="FeedbackItem"/> goes here, once (a test checks the model).
/// </summary>
internal static class FeedbackItemColumns
{
    private const FeedbackItemWriters Import = FeedbackItemWriters.Import;
    private const FeedbackItemWriters Survey = FeedbackItemWriters.SurveyAnswer;
    private const FeedbackItemWriters Analysis = FeedbackItemWriters.Analysis;
    private const FeedbackItemWriters Matching = FeedbackItemWriters.Matching;
    private const string OnlySurveyAnswers = "only survey answers have a survey, an answer and an invitation";
    private const string OnlyPeople = "set only by a person's correction (through EF Core); new items are uncorrected";

    public static readonly FeedbackItemColumn[] All =
    [
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.Id), f => f.Id, Import | Survey),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.WorkspaceId), f => f.WorkspaceId, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Kind), f => f.Kind, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Text), f => f.Text, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.CustomerId), f => f.CustomerId, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.ExternalId), f => f.ExternalId, Import),
        FeedbackItemColumn.Timestamp(nameof(FeedbackItem.OccurredAt), f => f.OccurredAt, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Channel), f => f.Channel, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Source), f => f.Source, Import | Survey),
        FeedbackItemColumn.Real(nameof(FeedbackItem.Rating), f => f.Rating, Import | Survey),
        FeedbackItemColumn.Real(nameof(FeedbackItem.RatingScale), f => f.RatingScale, Import | Survey),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Title), f => f.Title, Import),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Language), f => f.Language, Import),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Participant), f => f.Participant, Import),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Question), f => f.Question, Import),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Metadata), f => f.Metadata, Import | Survey),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.ImportId), f => f.ImportId, Import),
        FeedbackItemColumn.Integer(nameof(FeedbackItem.LineNumber), f => f.LineNumber, Import),
        FeedbackItemColumn.Text(nameof(FeedbackItem.ContentHash), f => f.ContentHash, Import),
        FeedbackItemColumn.Text(nameof(FeedbackItem.DedupKey), f => f.DedupKey, Import),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.SurveyId), f => f.SurveyId, Survey, notImported: OnlySurveyAnswers),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.SurveyAnswerId), f => f.SurveyAnswerId, Survey, notImported: OnlySurveyAnswers),
        FeedbackItemColumn.Text(nameof(FeedbackItem.InvitationRef), f => f.InvitationRef, Survey, notImported: OnlySurveyAnswers),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.MapId), f => f.MapId, Import | Survey),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.TouchpointId), f => f.TouchpointId, Import | Survey | Matching),
        FeedbackItemColumn.Text(nameof(FeedbackItem.MatchReason), f => f.MatchReason, Import | Survey | Matching),
        FeedbackItemColumn.Real(nameof(FeedbackItem.MatchConfidence), f => f.MatchConfidence, Import | Survey | Matching),
        FeedbackItemColumn.Timestamp(nameof(FeedbackItem.MatchedAt), f => f.MatchedAt, Import | Survey | Matching),
        FeedbackItemColumn.Uuid(nameof(FeedbackItem.ThemeId), f => f.ThemeId, FeedbackItemWriters.Themes, notImported: "set by the theme refresh, after analysis and matching"),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Sentiment), f => f.Sentiment, Import | Analysis, keptWhen: nameof(FeedbackItem.SentimentCorrected)),
        FeedbackItemColumn.Real(nameof(FeedbackItem.SentimentNegative), f => f.SentimentNegative, Import | Analysis, keptWhen: nameof(FeedbackItem.SentimentCorrected)),
        FeedbackItemColumn.Real(nameof(FeedbackItem.SentimentNeutral), f => f.SentimentNeutral, Import | Analysis, keptWhen: nameof(FeedbackItem.SentimentCorrected)),
        FeedbackItemColumn.Real(nameof(FeedbackItem.SentimentPositive), f => f.SentimentPositive, Import | Analysis, keptWhen: nameof(FeedbackItem.SentimentCorrected)),
        FeedbackItemColumn.Text(nameof(FeedbackItem.Emotions), f => f.Emotions, Import | Analysis, keptWhen: nameof(FeedbackItem.EmotionsCorrected)),
        FeedbackItemColumn.Text(nameof(FeedbackItem.PainPoint), f => f.PainPoint, Import | Analysis, keptWhen: nameof(FeedbackItem.PainPointCorrected)),
        FeedbackItemColumn.Text(nameof(FeedbackItem.PainPoints), f => f.PainPoints, Import | Analysis, keptWhen: nameof(FeedbackItem.PainPointCorrected)),
        FeedbackItemColumn.Text(nameof(FeedbackItem.KeyPhrases), f => f.KeyPhrases, Import | Analysis),
        FeedbackItemColumn.Text(nameof(FeedbackItem.DetectedLanguage), f => f.DetectedLanguage, Import | Analysis),
        FeedbackItemColumn.Flag(nameof(FeedbackItem.LowConfidence), f => f.LowConfidence, Import | Analysis),
        FeedbackItemColumn.Text(nameof(FeedbackItem.ModelVersion), f => f.ModelVersion, Import | Analysis),
        FeedbackItemColumn.Text(nameof(FeedbackItem.ModelLanguage), f => f.ModelLanguage, Import | Analysis),
        FeedbackItemColumn.Timestamp(nameof(FeedbackItem.AnalyzedAt), f => f.AnalyzedAt, Import | Analysis),
        FeedbackItemColumn.Flag(nameof(FeedbackItem.SentimentCorrected), f => f.SentimentCorrected, FeedbackItemWriters.None, notImported: OnlyPeople),
        FeedbackItemColumn.Flag(nameof(FeedbackItem.EmotionsCorrected), f => f.EmotionsCorrected, FeedbackItemWriters.None, notImported: OnlyPeople),
        FeedbackItemColumn.Flag(nameof(FeedbackItem.PainPointCorrected), f => f.PainPointCorrected, FeedbackItemWriters.None, notImported: OnlyPeople),
        FeedbackItemColumn.Timestamp(nameof(FeedbackItem.CorrectedAt), f => f.CorrectedAt, FeedbackItemWriters.None, notImported: OnlyPeople),
        FeedbackItemColumn.Timestamp(nameof(FeedbackItem.CreatedAt), f => f.CreatedAt, Import | Survey),
        // Imports and the survey writer (on SQLite) stamp their rows with the map's version read in their transaction, and
        // updates use StampChange: a row left at 0 costs the trigger an UPDATE of its own, which fires the update trigger too.
        FeedbackItemColumn.Integer(nameof(FeedbackItem.ChangeVersion), f => f.ChangeVersion, Import | Survey),
    ];

    /// <summary>
    /// The SET clause that stamps an updated row with its map's next change version (read in the writer's transaction),
    /// so the triggers need not stamp it again (<see cref="Data.EvidenceVersionTriggers"/>); every raw UPDATE adds it.
    /// </summary>
    public const string StampChange =
        "\"ChangeVersion\" = COALESCE((SELECT m.\"EvidenceVersion\" + 1 FROM \"Maps\" m WHERE m.\"Id\" = \"FeedbackItems\".\"MapId\"), 0)";

    /// <summary>What the bulk inserters write; the rest keeps its column default (see <see cref="FeedbackItemColumn.NotImported"/>).</summary>
    public static readonly FeedbackItemColumn[] Imported = WrittenBy(Import);

    /// <summary>A survey answer's comment as a feedback item.</summary>
    public static readonly FeedbackItemColumn[] SurveyAnswer = WrittenBy(Survey);

    /// <summary>The analysis columns: what the models say about an item, and when they said it.</summary>
    public static readonly FeedbackItemColumn[] AnalysisResults = WrittenBy(Analysis);

    /// <summary>The match columns: where an item sits on its map, why, and when the matcher looked.</summary>
    public static readonly FeedbackItemColumn[] Match = WrittenBy(Matching);

    /// <summary>The theme column: which pain-point theme an item belongs to.</summary>
    public static readonly FeedbackItemColumn[] Theme = WrittenBy(FeedbackItemWriters.Themes);

    /// <summary>
    /// The SET list of a raw UPDATE of <paramref name="columns"/> (each to its parameter, or to <paramref name="value"/>),
    /// with the change stamp (<see cref="StampChange"/>).
    /// </summary>
    public static string Set(IEnumerable<FeedbackItemColumn> columns, Func<FeedbackItemColumn, string>? value = null) =>
        string.Join(", ", columns.Select(c => $"\"{c.Name}\" = {(value is null ? c.Parameter : value(c))}").Append(StampChange));

    /// <summary>The quoted names, comma-separated, for a column list.</summary>
    public static string Names(IEnumerable<FeedbackItemColumn> columns) => string.Join(", ", columns.Select(c => $"\"{c.Name}\""));

    /// <summary>The columns' values of <paramref name="item"/> in column order, then <paramref name="more"/> (e.g. a WHERE's).</summary>
    public static object?[] Values(IReadOnlyList<FeedbackItemColumn> columns, FeedbackItem item, params object?[] more)
    {
        var values = new object?[columns.Count + more.Length];
        for (var i = 0; i < columns.Count; i++) values[i] = columns[i].ValueOf(item);
        more.CopyTo(values, columns.Count);
        return values;
    }

    /// <summary>
    /// One short write transaction that runs <paramref name="updateSql"/>, an UPDATE of <paramref name="columns"/> ending in
    /// <c>WHERE "Id" = @id …</c>, for every row. The rows' maps (<paramref name="onMaps"/>) are locked first
    /// (<see cref="Data.EvidenceVersionTriggers.LockMapsAsync(System.Data.Common.DbConnection, System.Data.Common.DbTransaction?, IEnumerable{Guid?}, CancellationToken)"/>).
    /// Inside the caller's EF transaction, when there is one (its other writes then commit or fail with these).
    /// SQLite: the statement once per row, prepared once (one writer, row triggers: a row costs microseconds).
    /// PostgreSQL: <see cref="PostgresUpdateRows"/> rows per statement (<see cref="SetBased"/>).
    /// </summary>
    public static async Task UpdateEachAsync<TRow>(Data.JourneyFeedbackDb db, string updateSql, IReadOnlyList<FeedbackItemColumn> columns,
        IEnumerable<TRow> rows, IEnumerable<Guid?> onMaps, Func<TRow, FeedbackItem, Guid> fill, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var ambient = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var owned = ambient is null ? await connection.BeginTransactionAsync(ct) : null;
            var transaction = ambient ?? owned!;
            await Data.EvidenceVersionTriggers.LockMapsAsync(connection, transaction, onMaps, ct);
            var values = new FeedbackItem { Kind = "", Text = "" };
            if (connection is Npgsql.NpgsqlConnection postgres)
            {
                await using var update = new Npgsql.NpgsqlCommand(SetBased(updateSql, columns), postgres, (Npgsql.NpgsqlTransaction)transaction);
                foreach (var chunk in rows.Select(row => (Id: fill(row, values), Values: Values(columns, values))).Chunk(PostgresUpdateRows))
                {
                    update.Parameters.Clear();
                    for (var c = 0; c < columns.Count; c++)
                        update.Parameters.Add(ArrayParameter(columns[c].Kind, chunk.Select(r => r.Values[c])));
                    update.Parameters.Add(ArrayParameter(ColumnKind.Uuid, chunk.Select(r => (object?)r.Id)));
                    await update.ExecuteNonQueryAsync(ct);
                }
            }
            else
            {
                using var update = new Data.PreparedCommand(db, connection, transaction, updateSql,
                    [.. columns.Select(c => (c.Parameter, c.Type)), ("@id", typeof(Guid))]);
                foreach (var row in rows)
                {
                    var id = fill(row, values);
                    await update.ExecuteAsync(ct, Values(columns, values, id));
                }
            }
            if (owned is not null) await owned.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Rows per statement of a PostgreSQL update. Its statement triggers bump the map once per statement: one statement per
    /// row made a theme refresh of 300,000 items bump one map row 300,000 times in one transaction, each slower than the
    /// last, for over 15 minutes while imports into the map waited for its lock (docs/benchmarks.md).
    /// </summary>
    public const int PostgresUpdateRows = 5_000;

    private const string ById = "WHERE \"Id\" = @id";

    /// <summary>
    /// <paramref name="updateSql"/> (one row: <c>… SET "X" = @X … WHERE "Id" = @id …</c>) as one statement for many rows:
    /// the values come from arrays unnested side by side (<c>$1</c> … one per column, the ids last), joined by id.
    /// Duplicate ids in one statement would update a row once with either value; callers pass each item once.
    /// </summary>
    private static string SetBased(string updateSql, IReadOnlyList<FeedbackItemColumn> columns)
    {
        var where = updateSql.IndexOf(ById, StringComparison.Ordinal);
        if (where < 0 || updateSql.IndexOf(ById, where + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"An item update ends in {ById} (once).", nameof(updateSql));
        var set = updateSql[..where];
        // Longest names first, so no parameter is replaced inside a longer one (@Sentiment inside @SentimentNegative).
        foreach (var (column, i) in columns.Select((c, i) => (c, i)).OrderByDescending(p => p.c.Parameter.Length))
            set = set.Replace(column.Parameter, $"v.\"c{i}\"", StringComparison.Ordinal);
        var arrays = string.Join(", ", columns.Select((c, i) => $"${i + 1}::{PostgresType(c.Kind)}[]").Append($"${columns.Count + 1}::uuid[]"));
        var names = string.Join(", ", columns.Select((_, i) => $"\"c{i}\"").Append("\"id\""));
        return $"{set}FROM unnest({arrays}) AS v({names}) WHERE \"FeedbackItems\".\"Id\" = v.\"id\"{updateSql[(where + ById.Length)..]}";
    }

    private static string PostgresType(ColumnKind kind) => kind switch
    {
        ColumnKind.Uuid => "uuid",
        ColumnKind.Text => "text",
        ColumnKind.Timestamp => "timestamptz",
        ColumnKind.Real => "double precision",
        ColumnKind.Integer => "bigint",
        _ => "boolean",
    };

    private static Npgsql.NpgsqlParameter ArrayParameter(ColumnKind kind, IEnumerable<object?> values) => kind switch
    {
        ColumnKind.Uuid => new() { Value = values.Select(v => (Guid?)v).ToArray() },
        ColumnKind.Text => new() { Value = values.Select(v => (string?)v).ToArray() },
        ColumnKind.Timestamp => new() { Value = values.Select(v => (DateTime?)v).ToArray() },
        ColumnKind.Real => new() { Value = values.Select(v => (double?)v).ToArray() },
        ColumnKind.Integer => new() { Value = values.Select(v => (long?)v).ToArray() },
        _ => new() { Value = values.Select(v => (bool)v!).ToArray() },
    };

    private static FeedbackItemColumn[] WrittenBy(FeedbackItemWriters writer) => All.Where(c => c.WrittenBy.HasFlag(writer)).ToArray();
}
