using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// SQLite lets one writer in at a time. Without a busy timeout a second writer gets SQLITE_BUSY at once and
/// Microsoft.Data.Sqlite retries it after a fixed 150 ms sleep; with one, SQLite itself waits for the lock in steps of
/// a few milliseconds. Two writers that meet (the answer writer and the webhook dispatcher, say) then cost each other
/// the length of a transaction, not 150 ms (docs/benchmarks.md, "Webhooks").
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
