using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// "No room to write", wherever it surfaces: SQLite's SQLITE_FULL (a full disk, or the database at
/// <c>Storage:MaxDatabaseMegabytes</c>), PostgreSQL's <c>disk_full</c> (SQLSTATE 53100), or a file write in the data
/// folder failing with ENOSPC. Requests answer 507 with this description (<see cref="Hosting.StorageFullExceptionHandler"/>)
/// and an import fails with it as its reason, instead of a generic 500 or a bare "database or disk is full".
/// </summary>
internal sealed class StorageFull(StoragePaths paths, IOptions<StorageOptions> options)
{
    private const int SqliteFull = 13;
    private const string PostgresDiskFull = "53100";
    private const int Enospc = 28; // Linux and macOS errno; .NET puts it in IOException.HResult
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>The storage-full error in <paramref name="exception"/> or its inner exceptions (EF Core wraps them), if any.</summary>
    public static Exception? Find(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is SqliteException { SqliteErrorCode: SqliteFull }
                or PostgresException { SqlState: PostgresDiskFull }
                or IOException { HResult: Enospc or WindowsDiskFull or WindowsHandleDiskFull })
                return exception;
        return null;
    }

    public static bool Is(Exception? exception) => Find(exception) is not null;

    /// <summary>What is full, in words an operator can act on; call only when <see cref="Is"/> holds.</summary>
    public string Describe(Exception exception)
    {
        var cause = Find(exception) ?? exception;
        if (cause is PostgresException)
            return "The PostgreSQL server's disk is full (SQLSTATE 53100 disk_full).";

        var free = FreeSpace();
        // SQLITE_FULL does not say which limit was hit: with a quota set, both are named and the free space tells them apart.
        if (cause is SqliteException && options.Value.MaxDatabaseMegabytes is > 0 and var quota)
            return $"The SQLite database reached its size limit (Storage:MaxDatabaseMegabytes = {quota}) or the disk holding the data folder is full ({free}).";
        return $"The disk holding the data folder is full ({free}).";
    }

    private string FreeSpace()
    {
        try
        {
            var available = new DriveInfo(paths.DataDirectory).AvailableFreeSpace;
            return $"{FormatBytes(available)} free at {paths.DataDirectory}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"free space at {paths.DataDirectory} unknown";
        }
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
