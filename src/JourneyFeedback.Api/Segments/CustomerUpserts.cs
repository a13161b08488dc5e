using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using JourneyFeedback.Api.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JourneyFeedback.Api.Segments;

/// <summary>
/// The attribute writes of one batch (an import batch, one invitations call), merged in memory before they reach the
/// database: one entry per customer, the last value per key winning. PostgreSQL refuses to update one row twice in a
/// statement, and merging first also spares SQLite the repeated writes.
/// </summary>
internal sealed class CustomerAttributeChanges
{
    private readonly Dictionary<string, Dictionary<string, string>> _byCustomer = new(StringComparer.Ordinal);

    public int Count => _byCustomer.Count;

    /// <summary>The customer exists, with no attribute changed (a customers import row whose cells are all empty).</summary>
    public Dictionary<string, string> Customer(string customerId)
    {
        _rows = null;
        if (!_byCustomer.TryGetValue(customerId, out var attributes))
            _byCustomer[customerId] = attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        return attributes;
    }

    /// <summary>Sets already normalised attributes (<see cref="CustomerAttributes.Key"/>, <see cref="CustomerAttributes.Value"/>).</summary>
    public void Set(string customerId, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        var stored = Customer(customerId);
        foreach (var (key, value) in attributes) stored[key] = value;
    }

    /// <summary>Raw keys and values (survey invitation metadata): normalised here; an empty key or value changes nothing.</summary>
    public void SetRaw(string customerId, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var stored = Customer(customerId);
        foreach (var (rawKey, rawValue) in attributes)
            if (CustomerAttributes.Key(rawKey) is { } key && CustomerAttributes.Value(rawValue) is { } value) stored[key] = value;
    }

    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private List<(string CustomerId, string Json)>? _rows;

    /// <summary>
    /// The customers in ordinal order of their ids (every writer takes the row locks in the same order), each with its
    /// changes as a JSON object. An import calls it on its reading thread, so the writer only binds.
    /// </summary>
    internal List<(string CustomerId, string Json)> ToRows() => _rows ??= BuildRows();

    private List<(string CustomerId, string Json)> BuildRows()
    {
        var rows = new List<(string, string)>(_byCustomer.Count);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer, Relaxed);
        foreach (var (customerId, attributes) in _byCustomer.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (attributes.Count == 0) { rows.Add((customerId, "{}")); continue; }
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            foreach (var (key, value) in attributes) writer.WriteString(key, value);
            writer.WriteEndObject();
            writer.Flush();
            rows.Add((customerId, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)));
        }
        return rows;
    }
}

/// <summary>
/// The one write of customer attributes, used by every source (customers imports, imported feedback rows, survey
/// invitations), inside the caller's transaction: <c>INSERT … ON CONFLICT (workspace, customer id) DO UPDATE</c> whose
/// merge keeps the keys a write does not mention and overwrites those it does (SQLite <c>json_patch</c>, PostgreSQL
/// <c>jsonb ||</c>). A write that changes nothing leaves the row (and its <c>UpdatedAt</c>) alone. Each call bumps
/// <see cref="Workspaces.Workspace.CustomersVersion"/> once, in the same transaction.
/// </summary>
internal sealed class CustomerUpserts(DbConnection connection, DbTransaction transaction) : IDisposable
{
    /// <summary>Rows per SQLite statement; the rest of a batch goes one row at a time (as the feedback-item inserter does).</summary>
    private const int SqliteRowsPerStatement = 64;

    private SqliteRawStatement? _sqliteMany, _sqliteOne, _sqliteBump;

    /// <summary>Writes the changes for the workspace's customers; returns how many customers they touched.</summary>
    public async Task<int> UpsertAsync(Guid workspaceId, CustomerAttributeChanges changes, DateTime now, CancellationToken ct)
    {
        if (changes.Count == 0) return 0;
        var rows = changes.ToRows();
        var ids = Imports.FeedbackItemInserter.Version7Ids(rows.Count, now);
        switch (connection)
        {
            case SqliteConnection sqlite: UpsertSqlite(sqlite, workspaceId, rows, ids, now, ct); break;
            case NpgsqlConnection postgres: await UpsertPostgres(postgres, workspaceId, rows, ids, now, ct); break;
            default: throw new NotSupportedException($"No customer upsert for {connection.GetType().Name}.");
        }
        return rows.Count;
    }

    private void UpsertSqlite(SqliteConnection sqlite, Guid workspaceId, List<(string CustomerId, string Json)> rows, Guid[] ids, DateTime now,
        CancellationToken ct)
    {
        for (var first = 0; first < rows.Count;)
        {
            ct.ThrowIfCancellationRequested();
            var count = rows.Count - first >= SqliteRowsPerStatement ? SqliteRowsPerStatement : 1;
            var statement = count == SqliteRowsPerStatement
                ? _sqliteMany ??= new SqliteRawStatement(sqlite, SqliteSql(SqliteRowsPerStatement))
                : _sqliteOne ??= new SqliteRawStatement(sqlite, SqliteSql(1));
            statement.Clear();
            for (var r = 0; r < count; r++)
            {
                var (customerId, json) = rows[first + r];
                var p = r * 5;
                statement.Bind(p + 1, ids[first + r]);
                statement.Bind(p + 2, workspaceId);
                statement.Bind(p + 3, customerId);
                statement.Bind(p + 4, json);
                statement.BindTimestamp(p + 5, now);
            }
            statement.Execute();
            first += count;
        }
        _sqliteBump ??= new SqliteRawStatement(sqlite, """UPDATE "Workspaces" SET "CustomersVersion" = "CustomersVersion" + 1 WHERE "Id" = ?1""");
        _sqliteBump.Clear();
        _sqliteBump.Bind(1, workspaceId);
        _sqliteBump.Execute();
    }

    private static string SqliteSql(int rows) =>
        """INSERT INTO "Customers" ("Id", "WorkspaceId", "CustomerId", "Attributes", "UpdatedAt") VALUES """ +
        string.Join(", ", Enumerable.Range(0, rows).Select(r => $"(?{r * 5 + 1}, ?{r * 5 + 2}, ?{r * 5 + 3}, ?{r * 5 + 4}, ?{r * 5 + 5})")) +
        """
         ON CONFLICT ("WorkspaceId", "CustomerId") DO UPDATE
            SET "Attributes" = json_patch("Customers"."Attributes", excluded."Attributes"), "UpdatedAt" = excluded."UpdatedAt"
            WHERE json_patch("Customers"."Attributes", excluded."Attributes") <> "Customers"."Attributes"
        """;

    /// <summary>
    /// PostgreSQL: the whole batch as arrays in one prepared statement (one round trip); the column is text, so the merge
    /// goes through jsonb and back. New rows are stored as jsonb prints them too, so the comparison below sees like with like.
    /// </summary>
    private async Task UpsertPostgres(NpgsqlConnection postgres, Guid workspaceId, List<(string CustomerId, string Json)> rows, Guid[] ids,
        DateTime now, CancellationToken ct)
    {
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO "Customers" ("Id", "WorkspaceId", "CustomerId", "Attributes", "UpdatedAt")
            SELECT t.id, $2, t.customer, t.attributes::jsonb::text, $5 FROM unnest($1::uuid[], $3::text[], $4::text[]) AS t(id, customer, attributes)
            ON CONFLICT ("WorkspaceId", "CustomerId") DO UPDATE
                SET "Attributes" = ("Customers"."Attributes"::jsonb || excluded."Attributes"::jsonb)::text, "UpdatedAt" = excluded."UpdatedAt"
                WHERE ("Customers"."Attributes"::jsonb || excluded."Attributes"::jsonb) <> "Customers"."Attributes"::jsonb
            """, postgres, (NpgsqlTransaction)transaction);
        upsert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        upsert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = workspaceId });
        upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.CustomerId).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Json).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await upsert.PrepareAsync(ct);
        await upsert.ExecuteNonQueryAsync(ct);

        await using var bump = new NpgsqlCommand("""UPDATE "Workspaces" SET "CustomersVersion" = "CustomersVersion" + 1 WHERE "Id" = $1""",
            postgres, (NpgsqlTransaction)transaction);
        bump.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = workspaceId });
        await bump.ExecuteNonQueryAsync(ct);
    }

    public void Dispose()
    {
        _sqliteMany?.Dispose();
        _sqliteOne?.Dispose();
        _sqliteBump?.Dispose();
    }
}
