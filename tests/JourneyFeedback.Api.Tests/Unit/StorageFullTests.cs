using JourneyFeedback.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// Which errors mean "no room to write" (answered 507, an import's failure reason), checked against the errors the
/// runtime and the engines really raise: a write to /dev/full (ENOSPC), SQLite past max_page_count (SQLITE_FULL).
/// PostgreSQL's disk_full cannot be provoked without filling a server's disk: its SQLSTATE is checked on the exception
/// Npgsql builds from the server's message (DiskFullTests raises the real one from a trigger).
/// </summary>
public sealed class StorageFullTests
{
    private static StorageFull Storage(int? quota = null) =>
        new(new StoragePaths(Path.GetTempPath()), Options.Create(new StorageOptions { MaxDatabaseMegabytes = quota }));

    [Fact]
    public async Task AWriteToAFullDeviceIsStorageFull()
    {
        var full = await Record(async () =>
        {
            await using var device = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16, useAsync: true);
            await device.WriteAsync(new byte[1 << 17]);
            await device.FlushAsync();
        });

        full.Should().BeOfType<IOException>();
        StorageFull.Is(full).Should().BeTrue(full.ToString());
        Storage(quota: 5).Describe(full).Should().StartWith("The disk holding the data folder is full (").And.Contain(" free at ");
        StorageFull.Is(new IOException("Unexpected end of Stream, the content may have already been read by another component.")).Should().BeFalse();
        StorageFull.Is(await Record(() => File.ReadAllBytesAsync(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))))).Should().BeFalse();
    }

    [Fact]
    public async Task SqlitePastItsPageLimitIsStorageFullAndOtherSqliteErrorsAreNot()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await Execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB); PRAGMA max_page_count = 20;");

        var full = await Record(() => Execute(connection, "INSERT INTO t (body) VALUES (zeroblob(1000000));"));
        var duplicate = await Record(() => Execute(connection, "INSERT INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (1);"));

        full.Should().BeOfType<SqliteException>().Which.SqliteErrorCode.Should().Be(13);
        StorageFull.Is(full).Should().BeTrue();
        StorageFull.Is(new DbUpdateException("An error occurred while saving the entity changes.", full)).Should().BeTrue("EF Core wraps it");
        StorageFull.Is(duplicate).Should().BeFalse(duplicate.ToString());
        Storage(quota: 5).Describe(full).Should().Contain("Storage:MaxDatabaseMegabytes = 5").And.Contain("disk holding the data folder is full");
        Storage().Describe(full).Should().StartWith("The disk holding the data folder is full (");
    }

    [Fact]
    public void PostgresDiskFullIsStorageFullAndOtherResourceErrorsAreNot()
    {
        var diskFull = new PostgresException("could not extend file \"base/16384/16999\": No space left on device", "ERROR", "ERROR", "53100");
        var outOfMemory = new PostgresException("out of memory", "ERROR", "ERROR", "53200");

        StorageFull.Is(diskFull).Should().BeTrue();
        StorageFull.Is(new DbUpdateException("An error occurred while saving the entity changes.", diskFull)).Should().BeTrue();
        StorageFull.Is(outOfMemory).Should().BeFalse();
        Storage(quota: 5).Describe(diskFull).Should().Be("The PostgreSQL server's disk is full (SQLSTATE 53100 disk_full).");
        // Npgsql calls it transient, which would make it a 503 "retry in 1 s": the 507 handler is registered before that one.
        diskFull.IsTransient.Should().BeTrue();
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Exception> Record(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            return ex;
        }
        throw new InvalidOperationException("Expected the action to fail.");
    }
}
