using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

/// <summary>The raw stages an import is built from, measured alone on the same file: parsing, and inserting.</summary>
internal static class ImportStages
{
    public static int Measure(string file, string? postgres, string? productDatabase = null)
    {
        // 1. CsvHelper streaming every record, nothing else.
        var clock = Stopwatch.StartNew();
        var records = new List<string[]>();
        long rows = 0;
        using (var parser = new CsvParser(new StreamReader(file), new CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            parser.Read(); // header
            while (parser.Read()) { _ = parser.Record; rows++; }
        }
        var parseRate = rows / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"STAGE parse rows={rows} seconds={clock.Elapsed.TotalSeconds:F2} rows_per_s={parseRate:F0}");

        if (postgres is not null) return MeasurePostgresCopy(postgres, rows);

        // 2. A prepared, reused raw SQLite insert of the same number of rows (12 columns) in one transaction, with the
        //    page size and journal the API gives its database (8 KB pages, WAL).
        var dbFile = Path.Combine(Path.GetTempPath(), $"raw-insert-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={dbFile}");
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = """
                    PRAGMA page_size = 8192;
                    PRAGMA journal_mode = 'wal';
                    CREATE TABLE Items (Id TEXT PRIMARY KEY, WorkspaceId TEXT, Kind TEXT, Text TEXT, CustomerId TEXT, ExternalId TEXT,
                        OccurredAt TEXT, Channel TEXT, Metadata TEXT, ImportId TEXT, LineNumber INTEGER, DedupKey TEXT);
                    """;
                create.ExecuteNonQuery();
            }
            clock.Restart();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Items VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
            var parameters = Enumerable.Range(1, 12).Select(i => insert.Parameters.Add($"${i}", SqliteType.Text)).ToArray();
            insert.Prepare();
            var workspace = Guid.NewGuid().ToString().ToUpperInvariant();
            for (long i = 0; i < rows; i++)
            {
                parameters[0].Value = Guid.CreateVersion7().ToByteArray(bigEndian: true);
                parameters[1].Value = workspace;
                parameters[2].Value = "support-log";
                parameters[3].Value = "I returned order 55821 and the refund still has not arrived after 12 days. Very disappointed.";
                parameters[4].Value = "C-" + i;
                parameters[5].Value = "ZD-" + i;
                parameters[6].Value = "2026-10-01 10:00:00";
                parameters[7].Value = "chat";
                parameters[8].Value = "{\"agent\":\"Ola\",\"priority\":\"normal\"}";
                parameters[9].Value = workspace;
                parameters[10].Value = i + 2;
                parameters[11].Value = "x:support-log::ZD-" + i;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            var insertRate = rows / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"STAGE raw-insert rows={rows} seconds={clock.Elapsed.TotalSeconds:F2} rows_per_s={insertRate:F0}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(dbFile) + "*")) File.Delete(f);
        }
        GC.KeepAlive(records);
        if (productDatabase is not null) MeasureProductTable(productDatabase, rows);
        return 0;
    }

    /// <summary>
    /// 3. The same raw insert into the API's own table: its schema (every column, the five indexes an imported row
    /// enters, the foreign key) copied from a database the API created, and the values an imported support-log row
    /// has (16 of its columns), in one transaction. The floor of storing these rows, with no pipeline around it.
    /// </summary>
    private static void MeasureProductTable(string productDatabase, long rows)
    {
        var dbFile = Path.Combine(Path.GetTempPath(), $"raw-product-{Guid.NewGuid():N}.db");
        try
        {
            var schema = new List<string>();
            using (var source = new SqliteConnection($"Data Source={productDatabase};Mode=ReadOnly"))
            {
                source.Open();
                using var read = source.CreateCommand();
                // Tables, then their indexes, then the triggers (which reference Maps): each statement after what it names.
                read.CommandText = "SELECT sql FROM sqlite_schema WHERE tbl_name IN ('Workspaces', 'Maps', 'FeedbackItems') AND sql IS NOT NULL " +
                    "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name";
                using var reader = read.ExecuteReader();
                while (reader.Read()) schema.Add(reader.GetString(0));
            }
            using var connection = new SqliteConnection($"Data Source={dbFile}");
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = $"PRAGMA page_size = 8192; PRAGMA journal_mode = 'wal'; {string.Join(";\n", schema)};";
                create.ExecuteNonQuery();
            }
            // GUIDs as the API stores them on SQLite: 16-byte blobs, big-endian.
            var workspace = Guid.NewGuid().ToByteArray(bigEndian: true);
            using (var insertWorkspace = connection.CreateCommand())
            {
                insertWorkspace.CommandText = "INSERT INTO \"Workspaces\" (\"Id\", \"Name\", \"IsDefault\", \"CreatedAt\", \"RedactPersonalData\") VALUES ($id, 'raw', 0, '2026-11-23 00:00:00', 1)";
                insertWorkspace.Parameters.AddWithValue("$id", workspace);
                insertWorkspace.ExecuteNonQuery();
            }
            string[] columns = ["Id", "WorkspaceId", "Kind", "Text", "CustomerId", "ExternalId", "OccurredAt", "Channel", "Title", "Metadata",
                "ImportId", "LineNumber", "ContentHash", "DedupKey", "CreatedAt", "LowConfidence"];
            var clock = Stopwatch.StartNew();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO \"FeedbackItems\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                $"VALUES ({string.Join(", ", columns.Select((_, i) => $"${i + 1}"))}) ON CONFLICT (\"WorkspaceId\", \"DedupKey\") DO NOTHING";
            var parameters = columns.Select((c, i) => insert.Parameters.Add($"${i + 1}", c is "Id" or "WorkspaceId" or "ImportId" ? SqliteType.Blob : SqliteType.Text)).ToArray();
            insert.Prepare();
            var import = Guid.CreateVersion7().ToByteArray(bigEndian: true);
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (long i = 0; i < rows; i++)
            {
                parameters[0].Value = Guid.CreateVersion7().ToByteArray(bigEndian: true);
                parameters[1].Value = workspace;
                parameters[2].Value = "support-log";
                parameters[3].Value = "I returned order 55821 and the refund still has not arrived after 12 days. Very disappointed.";
                parameters[4].Value = "C-" + i;
                parameters[5].Value = "ZD-" + i;
                parameters[6].Value = start.AddSeconds(i * 17).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                parameters[7].Value = "chat";
                parameters[8].Value = "Refund";
                parameters[9].Value = "{\"agent\":\"Ola\",\"priority\":\"normal\"}";
                parameters[10].Value = import;
                parameters[11].Value = i + 2;
                parameters[12].Value = Convert.ToHexStringLower(BitConverter.GetBytes((ulong)i * 0x9E3779B97F4A7C15UL)) + "5c0e3f1b9a7d2e4c6b8a0f1e3d5c7b9a2e4c6b8a0f1e3d5c";
                parameters[13].Value = "x:support-log::ZD-" + i;
                parameters[14].Value = "2026-11-23 17:39:55.7275423";
                parameters[15].Value = 0;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            Console.WriteLine($"STAGE raw-insert-product-table rows={rows} seconds={clock.Elapsed.TotalSeconds:F2} rows_per_s={rows / clock.Elapsed.TotalSeconds:F0}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(dbFile) + "*")) File.Delete(f);
        }
    }

    /// <summary>2'. PostgreSQL's raw stage: binary COPY of the same rows (12 columns, primary key only) in one transaction.</summary>
    private static int MeasurePostgresCopy(string connectionString, long rows)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var create = new NpgsqlCommand(
            """
            DROP TABLE IF EXISTS raw_items;
            CREATE TABLE raw_items ("Id" uuid PRIMARY KEY, "WorkspaceId" uuid, "Kind" text, "Text" text, "CustomerId" text, "ExternalId" text,
                "OccurredAt" timestamptz, "Channel" text, "Metadata" text, "ImportId" uuid, "LineNumber" bigint, "DedupKey" text);
            """, connection))
            create.ExecuteNonQuery();

        var clock = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using (var copy = connection.BeginBinaryImport("COPY raw_items FROM STDIN (FORMAT BINARY)"))
            {
                var workspace = Guid.NewGuid();
                var occurred = new DateTime(2026, 10, 1, 10, 0, 0, DateTimeKind.Utc);
                for (long i = 0; i < rows; i++)
                {
                    copy.StartRow();
                    copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    copy.Write(workspace, NpgsqlDbType.Uuid);
                    copy.Write("support-log", NpgsqlDbType.Text);
                    copy.Write("I returned order 55821 and the refund still has not arrived after 12 days. Very disappointed.", NpgsqlDbType.Text);
                    copy.Write("C-" + i, NpgsqlDbType.Text);
                    copy.Write("ZD-" + i, NpgsqlDbType.Text);
                    copy.Write(occurred, NpgsqlDbType.TimestampTz);
                    copy.Write("chat", NpgsqlDbType.Text);
                    copy.Write("{\"agent\":\"Ola\",\"priority\":\"normal\"}", NpgsqlDbType.Text);
                    copy.Write(workspace, NpgsqlDbType.Uuid);
                    copy.Write(i + 2, NpgsqlDbType.Bigint);
                    copy.Write("x:support-log::ZD-" + i, NpgsqlDbType.Text);
                }
                copy.Complete();
            }
            transaction.Commit();
        }
        Console.WriteLine($"STAGE raw-copy-postgres rows={rows} seconds={clock.Elapsed.TotalSeconds:F2} rows_per_s={rows / clock.Elapsed.TotalSeconds:F0}");
        using var drop = new NpgsqlCommand("DROP TABLE raw_items", connection);
        drop.ExecuteNonQuery();
        return 0;
    }
}
