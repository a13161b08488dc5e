using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// A SELECT read on the raw SQLite handle, for the evidence snapshot's reads (a full build reads every row of a map, a
/// catch-up every changed one). Through ADO.NET, SQLitePCL marshals the statement's SafeHandle on every column call
/// (an interlocked reference count up and down): with ~18 columns a row that cost more than SQLite's own work (perf of a
/// 300,000-item build, docs/benchmarks.md). Here the column functions get the raw statement pointer, and the handle is
/// referenced once for the reader's lifetime. Values are decoded as the model stores them (<see cref="SqliteRawStatement"/>).
/// </summary>
internal sealed class SqliteRawReader : IDisposable
{
    private const int Null = 5; // SQLITE_NULL
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private readonly bool _referenced;
    private readonly byte[] _guid = new byte[16];

    public SqliteRawReader(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _statement.DangerousAddRef(ref _referenced);
        _handle = _statement.DangerousGetHandle();
    }

    public void Bind(int index, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        SqliteGuid.Write(value, bytes);
        Check(raw.sqlite3_bind_blob(_statement, index, bytes));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc != raw.SQLITE_DONE) Check(rc);
        return false;
    }

    public bool IsNull(int column) => ColumnType(_handle, column) == Null;

    public long Int64(int column) => ColumnInt64(_handle, column);

    public double? Double(int column) => IsNull(column) ? null : ColumnDouble(_handle, column);

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
