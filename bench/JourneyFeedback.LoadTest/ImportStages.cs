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
    public static int Measure(string file, string? postgres)
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

        // 2. A prepared, reused raw SQLite insert of the same number of rows (12 columns) in one transaction.
        var dbFile = Path.Combine(Path.GetTempPath(), $"raw-insert-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={dbFile}");
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = """
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
                parameters[0].Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
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
        return 0;
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
