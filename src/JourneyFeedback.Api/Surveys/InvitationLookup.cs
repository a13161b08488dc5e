using System.Collections.Concurrent;
using System.Data.Common;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Surveys;

/// <summary>What the public side needs of an invitation.</summary>
internal sealed record InvitationRow(Guid Id, Guid WorkspaceId, Guid SurveyId, string? CustomerId, string? ExternalRef, string? Channel,
    Dictionary<string, string> Metadata, DateTime ExpiresAt, DateTime? AnsweredAt);

/// <summary>
/// The link lookup behind every form view, every answer to an older link (one whose token does not name its survey) and
/// every refused answer: one indexed read by token. (An answer to a link that names its survey is not read here: the
/// writer's claim reads the link, <see cref="SurveyAnswerWriter"/>.) Through EF Core each request
/// opened a pooled connection and had SQLite parse the statement again (about a fifth of an answer's CPU,
/// docs/benchmarks.md "Survey answers"); here a few SQLite connections stay open with the statement prepared, and a
/// request borrows one for the read. Each read is its own short transaction, so an idle connection holds no snapshot.
/// </summary>
internal sealed class InvitationLookup(IServiceScopeFactory scopes) : IDisposable
{
    private static readonly string Sql =
        """SELECT "Id", "WorkspaceId", "SurveyId", "CustomerId", "ExternalRef", "Channel", "Metadata", "ExpiresAt", "AnsweredAt" """ +
        """FROM "Invitations" WHERE "Token" = @token""";

    /// <summary>More would only sit idle: reads are short and the machine has this many cores.</summary>
    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount * 2);

    private readonly ConcurrentBag<Reader> _idle = [];

    public async Task<InvitationRow?> FindAsync(string token, CancellationToken ct)
    {
        var reader = _idle.TryTake(out var idle) ? idle : await Reader.OpenAsync(scopes, ct);
        InvitationRow? row;
        try
        {
            row = await reader.ReadAsync(token, ct);
        }
        catch
        {
            // A broken connection (a database restart, a cancelled read) is not reused.
            reader.Dispose();
            throw;
        }
        if (reader.KeepOpen && _idle.Count < MaxIdle) _idle.Add(reader);
        else reader.Dispose();
        return row;
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var reader)) reader.Dispose();
    }

    /// <summary>One open connection with the lookup prepared on it.</summary>
    private sealed class Reader : IDisposable
    {
        /// <summary>
        /// SQLite only. A PostgreSQL connection is a server's slot that every instance shares: it goes back to Npgsql's
        /// pool after the read, which keeps the statement prepared on the physical connection anyway.
        /// </summary>
        public bool KeepOpen => _guidsAsBlobs;

        private readonly AsyncServiceScope _scope;
        private readonly DbCommand _command;
        private readonly bool _guidsAsBlobs;

        private Reader(AsyncServiceScope scope, DbCommand command, bool guidsAsBlobs) =>
            (_scope, _command, _guidsAsBlobs) = (scope, command, guidsAsBlobs);

        /// <remarks>
        /// Async throughout: a burst of answers on PostgreSQL waits for pooled connections, and a synchronous wait
        /// holds a thread-pool thread, so the reads that hold connections could not finish (the pool timed out at 15 s).
        /// </remarks>
        public static async Task<Reader> OpenAsync(IServiceScopeFactory scopes, CancellationToken ct)
        {
            var scope = scopes.CreateAsyncScope();
            try
            {
                var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
                await db.Database.OpenConnectionAsync(ct);
                var connection = db.Database.GetDbConnection();
                var command = connection.CreateCommand();
                command.CommandText = Sql;
                var token = command.CreateParameter();
                token.ParameterName = "@token";
                token.DbType = System.Data.DbType.String;
                token.Size = 64;
                command.Parameters.Add(token);
                await command.PrepareAsync(ct);
                return new Reader(scope, command, connection is Microsoft.Data.Sqlite.SqliteConnection);
            }
            catch
            {
                await scope.DisposeAsync();
                throw;
            }
        }

        public async Task<InvitationRow?> ReadAsync(string token, CancellationToken ct)
        {
            _command.Parameters[0].Value = token;
            await using var row = await _command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
            if (!await row.ReadAsync(ct)) return null;
            return new InvitationRow(
                GuidAt(row, 0), GuidAt(row, 1), GuidAt(row, 2),
                row.IsDBNull(3) ? null : row.GetString(3),
                row.IsDBNull(4) ? null : row.GetString(4),
                row.IsDBNull(5) ? null : row.GetString(5),
                JsonColumn.Read<Dictionary<string, string>>(row.GetString(6)),
                Utc(row.GetDateTime(7)),
                row.IsDBNull(8) ? null : Utc(row.GetDateTime(8)));
        }

        private Guid GuidAt(DbDataReader row, int ordinal) =>
            _guidsAsBlobs ? SqliteGuid.FromBytes((byte[])row.GetValue(ordinal)) : row.GetGuid(ordinal);

        // As the model's converter reads them: every stored timestamp is UTC.
        private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

        public void Dispose()
        {
            _command.Dispose();
            _scope.Dispose();
        }
    }
}
