using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>SQLite stores GUIDs as 16-byte blobs in RFC 9562 byte order (as PostgreSQL's uuid), so version 7 ids sort by time.</summary>
public sealed class GuidStorageTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"guids-{Guid.NewGuid():N}.db");

    private JourneyFeedbackDb Open() => new(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite($"Data Source={_file}").Options);

    [Fact]
    public async Task GuidsAreStoredAsBigEndianBlobsAndReadBack()
    {
        var workspace = new Workspace { Name = "Blobs" };
        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }
        await using (var db = Open())
            (await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspace.Id)).Name.Should().Be("Blobs");

        await using var connection = new SqliteConnection($"Data Source={_file}");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = """SELECT typeof("Id") || ' ' || length("Id") || ' ' || hex("Id") FROM "Workspaces" """;
        (await check.ExecuteScalarAsync()).Should().Be("blob 16 " + workspace.Id.ToString("N").ToUpperInvariant());
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
