using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// A statement prepared once on the raw SQLite handle and bound by parameter index, for the bulk insert paths. Binding
/// by name through ADO.NET (a name lookup and a marshalled string per parameter and row) was the largest cost of an import
/// (measured with dotnet-trace); binding by index removes it. Text is encoded into one reused UTF-8 buffer (SQLite
/// copies bound text). Values are stored as the model stores them: GUIDs as 16-byte blobs (<see cref="SqliteGuid"/>),
/// dates as "yyyy-MM-dd HH:mm:ss.FFFFFFF" (UTC). Unbound parameters are NULL after <see cref="Clear"/>.
/// A SELECT's rows are read with <see cref="Read"/> and the column readers, which call SQLite with the statement's raw
/// pointer: through ADO.NET, SQLitePCL marshals the statement's SafeHandle on every column call (a reference count up and
/// down), which cost more than SQLite's own work in the evidence snapshot's reads (perf, docs/benchmarks.md). The handle
/// is referenced once, for the statement's lifetime, instead.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private readonly bool _referenced;
    private byte[] _utf8 = new byte[4096];
    private readonly byte[] _guid = new byte[16];

    // A parameter's last timestamp stays formatted: a batch's CreatedAt (and AnalyzedAt, MatchedAt) is one instant.
    private readonly DateTime?[] _lastTimestamps;
    private readonly byte[][] _formatted;
    private readonly int[] _formattedLengths;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _statement.DangerousAddRef(ref _referenced);
        _handle = _statement.DangerousGetHandle();
        var parameters = raw.sqlite3_bind_parameter_count(_statement) + 1;
        _lastTimestamps = new DateTime?[parameters];
        _formatted = new byte[parameters][];
        _formattedLengths = new int[parameters];
    }

    /// <summary>
    /// The VALUES list of a multi-row INSERT, its parameters numbered row after row: <c>(?1, ?2), (?3, ?4)</c> for two rows
    /// of two columns; row r's column c binds at index r × columns + c + 1.
    /// </summary>
    public static string Rows(int rows, int columns) =>
        string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(r * columns + 1, columns).Select(i => "?" + i)) + ")"));

    /// <summary>Sets every parameter to NULL: only values need binding, which halves the calls for a typical row.</summary>
    public void Clear() => raw.sqlite3_clear_bindings(_statement);

    public void Bind(int index, string? value)
    {
        if (value is null) return;
        var most = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < most) _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        var length = System.Text.Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, length)));
    }

    public void Bind(int index, Guid? value)
    {
        if (value is not { } guid) return;
        Span<byte> bytes = stackalloc byte[16];
        SqliteGuid.Write(guid, bytes);
        Check(raw.sqlite3_bind_blob(_statement, index, bytes));
    }

    public void Bind(int index, double? value)
    {
        if (value is { } v) Check(raw.sqlite3_bind_double(_statement, index, v));
    }

    public void Bind(int index, long? value)
    {
        if (value is { } v) Check(raw.sqlite3_bind_int64(_statement, index, v));
    }

    /// <summary>A NOT NULL boolean: always bound.</summary>
    public void BindFlag(int index, bool value) => Check(raw.sqlite3_bind_int(_statement, index, value ? 1 : 0));

    public void BindTimestamp(int index, DateTime? utc)
    {
        if (utc is not { } value) return;
        if (_lastTimestamps[index] != value)
        {
            _formatted[index] ??= new byte[32];
            value.TryFormat(_formatted[index], out _formattedLengths[index], DateFormat, CultureInfo.InvariantCulture);
            _lastTimestamps[index] = value;
        }
        Check(raw.sqlite3_bind_text(_statement, index, _formatted[index].AsSpan(0, _formattedLengths[index])));
    }

    /// <summary>
    /// Binds <paramref name="values"/> by their runtime type to the parameters from <paramref name="firstIndex"/> on (nulls
    /// stay as <see cref="Clear"/> left them), for statements that share their values with an ADO.NET path: a few boxed values
    /// per row cost less than binding by name.
    /// </summary>
    public void Bind(int firstIndex, ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var index = firstIndex + i;
            switch (values[i])
            {
                case null: break;
                case Guid v: Bind(index, v); break;
                case string v: Bind(index, v); break;
                case DateTime v: BindTimestamp(index, v); break;
                case int v: Bind(index, (long)v); break;
                case long v: Bind(index, v); break;
                case double v: Bind(index, v); break;
                case bool v: BindFlag(index, v); break;
                case var v: throw new NotSupportedException($"No SQLite binding for {v.GetType().Name}.");
            }
        }
    }

    /// <summary>Runs the statement (an INSERT or UPDATE) with the bound values; returns the rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc != raw.SQLITE_DONE) Check(rc);
        var changed = raw.sqlite3_changes(_db);
        raw.sqlite3_reset(_statement);
        return changed;
    }

    /// <summary>
    /// Runs a statement that returns at most one row (an UPDATE … RETURNING on a unique key) and reads that row with
    /// <paramref name="read"/>; null when it returned none. The statement is reset for the next use.
    /// </summary>
    public T? ReadOne<T>(Func<SqliteRawStatement, T> read) where T : class
    {
        try
        {
            if (!Read()) return null;
            var row = read(this);
            if (Read()) throw new InvalidOperationException("The statement returned more than one row.");
            return row;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs a SELECT of one integer column and at most one row; null when it returned none. Reset for the next use.</summary>
    public long? ReadInt64()
    {
        try
        {
            return Read() ? Int64(0) : null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Moves a SELECT to its next row; false after the last.</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc != raw.SQLITE_DONE) Check(rc);
        return false;
    }

    public long Int64(int column) => ColumnInt64(_handle, column);

    public double? Double(int column) => ColumnType(_handle, column) == SqliteNull ? null : ColumnDouble(_handle, column);

    public string? Text(int column)
    {
        var text = ColumnText(_handle, column);
        return text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text, ColumnBytes(_handle, column));
    }

    public Guid? Guid(int column)
    {
        var blob = ColumnBlob(_handle, column);
        if (blob == IntPtr.Zero || ColumnBytes(_handle, column) != 16) return null;
        Marshal.Copy(blob, _guid, 0, 16);
        return new Guid(_guid, bigEndian: true);
    }

    /// <summary>A stored timestamp, read as Microsoft.Data.Sqlite reads the same text.</summary>
    public DateTime DateTime(int column) => System.DateTime.Parse(Text(column)!, CultureInfo.InvariantCulture);

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose()
    {
        if (_referenced) _statement.DangerousRelease();
        _statement.Dispose();
    }

    private const int SqliteNull = 5;

    // The library SQLitePCL's provider binds (SQLitePCLRaw.lib.e_sqlite3), with the statement as a plain pointer.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_column_type")]
    private static extern int ColumnType(IntPtr statement, int column);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_column_int64")]
    private static extern long ColumnInt64(IntPtr statement, int column);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_column_double")]
    private static extern double ColumnDouble(IntPtr statement, int column);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_column_text")]
    private static extern IntPtr ColumnText(IntPtr statement, int column);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_column_blob")]
    private static extern IntPtr ColumnBlob(IntPtr statement, int column);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_column_bytes")]
    private static extern int ColumnBytes(IntPtr statement, int column);
}
