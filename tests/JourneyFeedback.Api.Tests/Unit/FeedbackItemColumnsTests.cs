using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Data.Postgres;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Imports;
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
