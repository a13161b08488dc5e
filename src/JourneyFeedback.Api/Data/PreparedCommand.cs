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
        Bind(values);
        return await _command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row, converted to <typeparamref name="T"/> (its default when there is no row).</summary>
    public async Task<T> ScalarAsync<T>(CancellationToken ct, params object?[] values)
    {
        Bind(values);
        return await _command.ExecuteScalarAsync(ct) is { } value and not DBNull ? (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture) : default!;
    }

    private void Bind(object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            _command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                Guid guid when _guidsAsBlobs => SqliteGuid.ToBytes(guid),
                var value => value,
            };
    }

    public void Dispose() => _command.Dispose();
}

