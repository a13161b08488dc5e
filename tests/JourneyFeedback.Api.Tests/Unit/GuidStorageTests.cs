using JourneyFeedback.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>SQLite stores GUIDs as 16-byte blobs; a database written before that keeps every row and every link.</summary>
public sealed class GuidStorageTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"guids-{Guid.NewGuid():N}.db");

    private JourneyFeedbackDb Open() => new(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite($"Data Source={_file}").Options);

    [Fact]
    public async Task UpgradingADatabaseWithTextGuidsKeepsRowsAndTheirLinks()
    {
        var workspaceId = Guid.NewGuid();
        var itemId = Guid.CreateVersion7();
        var importId = Guid.CreateVersion7();
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261123162234_RestoreNotAnalyzedIndex");
            // Written as the earlier schema stored them: upper-case text.
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "Workspaces" ("Id", "Name", "IsDefault", "CreatedAt", "RedactPersonalData") VALUES ({0}, 'Old', 0, '2026-11-01 10:00:00', 1);
                INSERT INTO "FeedbackItems" ("Id", "WorkspaceId", "Kind", "Text", "OccurredAt", "CreatedAt", "ImportId", "LineNumber", "DedupKey")
                VALUES ({1}, {0}, 'review', 'Parcel arrived late', '2026-10-01 09:00:00', '2026-11-01 10:00:00', {2}, 7, 'x:review::1');
                """,
                workspaceId.ToString().ToUpperInvariant(), itemId.ToString().ToUpperInvariant(), importId.ToString().ToUpperInvariant());
        }

        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            var item = await db.FeedbackItems.AsNoTracking().SingleAsync(f => f.Id == itemId);
            item.WorkspaceId.Should().Be(workspaceId);
            item.ImportId.Should().Be(importId);
            (await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspaceId)).Name.Should().Be("Old");
            (await db.FeedbackItems.Join(db.Workspaces, f => f.WorkspaceId, w => w.Id, (f, w) => w.Name).SingleAsync()).Should().Be("Old");
        }

        await using var connection = new SqliteConnection($"Data Source={_file}");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = """SELECT typeof("Id") || ' ' || length("Id") || ' ' || hex("Id") FROM "FeedbackItems" """;
        (await check.ExecuteScalarAsync()).Should().Be("blob 16 " + itemId.ToString("N").ToUpperInvariant(),
            "stored big-endian, as PostgreSQL's uuid, so version 7 ids sort by time");
        check.CommandText = "PRAGMA foreign_key_check";
        (await check.ExecuteScalarAsync()).Should().BeNull();
    }

    [Fact]
    public void BytesRoundTripInRfcOrder()
    {
        var id = Guid.Parse("01a2097e-34da-7c77-8b94-1994131be2f7");
        SqliteGuid.ToBytes(id)[0].Should().Be(0x01);
        SqliteGuid.FromBytes(SqliteGuid.ToBytes(id)).Should().Be(id);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_file) + "*")) File.Delete(f);
    }
}
