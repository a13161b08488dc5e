using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// A prepared, reusable SQL command for hot bulk paths. Parameters are created by EF Core's own type mappings,
/// so values are stored exactly as EF stores them, on whichever provider is configured.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly DbCommand _command;
    private readonly bool _guidsAsBlobs;

    public PreparedCommand(DbContext db, DbConnection connection, DbTransaction transaction, string sql, params (string Name, Type Type)[] parameters)
    {
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        // The model's GUID converter does not reach raw parameters: on SQLite they are bound as the blobs it stores.
        _guidsAsBlobs = connection is Microsoft.Data.Sqlite.SqliteConnection;
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var mapping = mappings.FindMapping(_guidsAsBlobs && type == typeof(Guid) ? typeof(byte[]) : type) ?? throw new InvalidOperationException($"No database type for {type}.");
            _command.Parameters.Add(mapping.CreateParameter(_command, name, value: null, nullable: true));
        }
        _command.Prepare();
    }

    public async Task<int> ExecuteAsync(CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            _command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                Guid guid when _guidsAsBlobs => SqliteGuid.ToBytes(guid),
                var value => value,
            };
        return await _command.ExecuteNonQueryAsync(ct);
    }

    public void Dispose() => _command.Dispose();
}

