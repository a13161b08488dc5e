using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// <c>Storage:MaxDatabaseMegabytes</c>: SQLite's <c>max_page_count</c> belongs to the native connection, so it is set
/// once on each one the pool opens (like <see cref="SqliteBusyTimeout"/>). The limit is in pages, and a new file's page
/// size is only fixed when its first page is written (<see cref="DatabaseInitializer"/> sets 8 KB), so a connection to
/// an empty file is limited on a later open. A limit below the current size holds the database at its current size
/// (SQLite raises it silently).
/// </summary>
internal sealed class SqliteDatabaseQuota(int megabytes) : DbConnectionInterceptor
{
    private const string Size = "SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size();";
    private readonly ConditionalWeakTable<object, object> _set = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || _set.TryGetValue(handle, out _)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Size;
        long pages, pageSize;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (pages, pageSize) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        if (pages == 0) return;
        command.CommandText = Limit(pageSize);
        command.ExecuteNonQuery();
        _set.TryAdd(handle, _set);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || _set.TryGetValue(handle, out _)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Size;
        long pages, pageSize;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (pages, pageSize) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        if (pages == 0) return;
        command.CommandText = Limit(pageSize);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _set.TryAdd(handle, _set);
    }

    private string Limit(long pageSize) => $"PRAGMA max_page_count = {Math.Max(1, megabytes * (1L << 20) / pageSize)};";
}
