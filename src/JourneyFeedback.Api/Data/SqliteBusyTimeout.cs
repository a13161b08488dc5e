using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// SQLite lets one writer in at a time. Without a busy timeout a second writer gets SQLITE_BUSY at once and
/// Microsoft.Data.Sqlite retries it after a fixed 150 ms sleep; with one, SQLite itself waits for the lock in steps of
/// a few milliseconds. Two writers that meet (the answer writer and the webhook dispatcher, say) then cost each other
/// the length of a transaction, not 150 ms (docs/benchmarks.md, "Webhooks"). The setting belongs to the native
/// connection, which the pool reuses: it is set once per native connection, not on every open.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 5000;";
    private static readonly ConditionalWeakTable<object, object> Set = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Set.TryAdd(handle, Set);
}
