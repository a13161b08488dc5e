using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Data.Postgres;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Tests.Infrastructure;
using JourneyFeedback.Api.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// The one column definition the raw writers share (<see cref="FeedbackItemColumns"/>) covers the model, and the bulk
/// inserter puts every value in its own column: on SQLite, or on PostgreSQL when JF_TEST_POSTGRES is set.
/// </summary>
public sealed class FeedbackItemColumnsTests : IDisposable
{
    private readonly TestDatabase _database = TestDatabase.Create();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"columns-{Guid.NewGuid():N}.db");

    private JourneyFeedbackDb Open() => _database.ConnectionString is { } postgres
        ? new PostgresJourneyFeedbackDb(new DbContextOptionsBuilder<PostgresJourneyFeedbackDb>().UseNpgsql(postgres).Options)
        : new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite($"Data Source={_file}").Options);

    private static IEntityType Items(JourneyFeedbackDb db) => db.Model.FindEntityType(typeof(FeedbackItem))!;

    [Fact]
    public void EveryMappedPropertyHasOneColumnOfItsType()
    {
        using var db = Open();
        var properties = Items(db).GetProperties().ToList();
        properties.Select(p => p.GetColumnName()).Except(FeedbackItemColumns.All.Select(c => c.Name))
            .Should().BeEmpty("every mapped property of FeedbackItem needs its column in FeedbackItemColumns.All");
        FeedbackItemColumns.All.Should().HaveSameCount(properties, "every column is a mapped property, once");
        var columns = FeedbackItemColumns.All.ToDictionary(c => c.Name);
        foreach (var property in properties)
            columns[property.GetColumnName()].Type.Should().Be(Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType, property.Name);
    }

    [Fact]
    public void ImportsLeaveAColumnToItsDefaultOnlyWithAReason()
    {
        foreach (var column in FeedbackItemColumns.All)
            if (column.WrittenBy.HasFlag(FeedbackItemWriters.Import)) column.NotImported.Should().BeNull(column.Name);
            else column.NotImported.Should().NotBeNullOrWhiteSpace($"imports leave {column.Name} to its default: say why");
        FeedbackItemColumns.Imported.Should().Equal(FeedbackItemColumns.All.Where(c => c.NotImported is null));
    }

    [Fact]
    public async Task EveryImportedValueLandsInItsOwnColumn()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        var workspace = new Workspace { Name = "Columns" };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();

        // Every column gets a value no other column has (the one flag excepted: there are only two), so a value bound
        // to the wrong column reads back in the wrong property.
        var item = new FeedbackItem { Kind = "k", Text = "t" };
        var expected = new Dictionary<IProperty, object?>();
        var n = 0;
        foreach (var property in Items(db).GetProperties())
        {
            var value = property.Name == nameof(FeedbackItem.WorkspaceId) ? workspace.Id : Distinct(property.ClrType, ++n);
            property.PropertyInfo!.SetValue(item, value);
            var imported = FeedbackItemColumns.Imported.Any(c => c.Name == property.GetColumnName());
            expected[property] = imported ? value : Default(property.ClrType);
        }

        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using var inserter = FeedbackItemInserter.Create(connection);
            // Among other rows, not first: SQLite binds several rows per statement, each at its own offset.
            var rows = Enumerable.Range(0, FeedbackItemInserter.SqliteRowsPerStatement + 2).Select(i => i == 1 ? item : new FeedbackItem
            {
                WorkspaceId = workspace.Id, Kind = "k", Text = $"other {i}", DedupKey = $"other-{i}", OccurredAt = DateTime.UtcNow,
            }).ToList();
            (await inserter.InsertAsync(workspace.Id, rows.Count, i => rows[i], CancellationToken.None)).Should().Be(rows.Count);
            await transaction.CommitAsync();
        }

        var stored = await db.FeedbackItems.AsNoTracking().SingleAsync(f => f.Id == item.Id);
        foreach (var (property, value) in expected)
            property.PropertyInfo!.GetValue(stored).Should().Be(value, $"{property.Name} reads back what was written to its column");
    }

    /// <summary>
    /// The analysis and matching workers' updates (and the theme refresh's) through <see cref="FeedbackItemColumns.UpdateEachAsync"/>,
    /// over more rows than one PostgreSQL statement takes: each row gets its own values, a person's correction and the
    /// matching worker's "not matched yet" condition hold per row, every changed row is stamped inside the versions the
    /// map moved through, and on PostgreSQL the map moves once per statement, not once per row (one statement per row
    /// bumped one map row hundreds of thousands of times in a theme refresh's transaction, for over 15 minutes).
    /// </summary>
    [Fact]
    public async Task AnUpdateOfManyItemsWritesEachRowsValuesAndMovesTheMapOncePerStatement()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        var workspace = new Workspace { Name = "Updates" };
        var map = new JourneyMap { WorkspaceId = workspace.Id, Name = "Updates", Template = "custom" };
        var stage = new Stage { WorkspaceId = workspace.Id, MapId = map.Id, Name = "Stage" };
        var touchpoint = new Touchpoint { WorkspaceId = workspace.Id, MapId = map.Id, StageId = stage.Id, Name = "Touchpoint" };
        db.AddRange(workspace, map, stage, touchpoint);
        await db.SaveChangesAsync();

        const int count = FeedbackItemColumns.PostgresUpdateRows + 7;
        var at = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var items = Enumerable.Range(0, count).Select(i => new FeedbackItem
        {
            WorkspaceId = workspace.Id, MapId = map.Id, Kind = "k", Text = $"text {i}", DedupKey = $"key-{i}", OccurredAt = at,
            // Every 10th was matched before (the matching update must leave it); every 7th has a person's sentiment.
            MatchedAt = i % 10 == 0 ? at : null, MatchConfidence = i % 10 == 0 ? 0.25 : null,
            Sentiment = i % 7 == 0 ? "corrected" : null, SentimentCorrected = i % 7 == 0,
        }).ToList();
        await db.Database.OpenConnectionAsync();
        await using (var transaction = await db.Database.GetDbConnection().BeginTransactionAsync())
        {
            using var inserter = FeedbackItemInserter.Create(db.Database.GetDbConnection());
            (await inserter.InsertAsync(workspace.Id, count, i => items[i], CancellationToken.None)).Should().Be(count);
            await transaction.CommitAsync();
        }
        await db.Database.CloseConnectionAsync();
        // The person's flag is not an imported column: set it as a correction would.
        await db.FeedbackItems.Where(f => f.Sentiment == "corrected").ExecuteUpdateAsync(u => u.SetProperty(f => f.SentimentCorrected, true));
        var before = await MapVersionAsync(db, map.Id);

        var rows = Enumerable.Range(0, count).ToList();
        await FeedbackItemColumns.UpdateEachAsync(db, AnalysisWorker.UpdateSql, FeedbackItemColumns.AnalysisResults, rows, [map.Id], (i, values) =>
        {
            values.Sentiment = $"s{i}";
            values.SentimentNegative = i + 0.5;
            values.LowConfidence = i % 2 == 1;
            values.AnalyzedAt = at.AddSeconds(i);
            return items[i].Id;
        }, CancellationToken.None);
        await FeedbackItemColumns.UpdateEachAsync(db, MatchingWorker.UpdateSql, FeedbackItemColumns.Match, rows, [map.Id], (i, values) =>
        {
            values.TouchpointId = touchpoint.Id;
            values.MatchReason = "semantic";
            values.MatchConfidence = i / (double)count;
            values.MatchedAt = at.AddMinutes(1);
            return items[i].Id;
        }, CancellationToken.None);

        var after = await MapVersionAsync(db, map.Id);
        var stored = await db.FeedbackItems.AsNoTracking().Where(f => f.MapId == map.Id).ToDictionaryAsync(f => f.Id);
        for (var i = 0; i < count; i++)
        {
            var item = stored[items[i].Id];
            item.Sentiment.Should().Be(i % 7 == 0 ? "corrected" : $"s{i}", $"row {i}'s sentiment");
            item.SentimentNegative.Should().Be(i % 7 == 0 ? null : i + 0.5);
            item.LowConfidence.Should().Be(i % 2 == 1);
            item.AnalyzedAt.Should().Be(at.AddSeconds(i));
            item.MatchConfidence.Should().Be(i % 10 == 0 ? 0.25 : i / (double)count, $"row {i} is matched once");
            item.TouchpointId.Should().Be(i % 10 == 0 ? null : touchpoint.Id);
            item.ChangeVersion.Should().BeGreaterThan(before).And.BeLessThanOrEqualTo(after, "a reader that saw the map before the updates reads every changed row");
        }
        if (_database.ConnectionString is not null)
            (after - before).Should().BeLessThanOrEqualTo(2 * 2, "two updates of two statements each");
    }

    private static Task<long> MapVersionAsync(JourneyFeedbackDb db, Guid mapId) =>
        db.Maps.AsNoTracking().Where(m => m.Id == mapId).Select(m => m.EvidenceVersion).SingleAsync();

    private static object Distinct(Type type, int n) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => Guid.Parse($"00000000-0000-7000-8000-{n:D12}"),
        var t when t == typeof(string) => $"v{n}", // short: MatchReason holds 10 characters
        // Whole milliseconds: PostgreSQL keeps microseconds.
        var t when t == typeof(DateTime) => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(n).AddMilliseconds(n),
        var t when t == typeof(double) => n + 0.5,
        var t when t == typeof(long) => 1000L + n,
        var t when t == typeof(bool) => true,
        var t => throw new NotSupportedException($"No distinct test value for {t}."),
    };

    private static object? Default(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_file) + "*")) File.Delete(f);
    }
}
