using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// Insights keep a snapshot per map and follow it by reading only the rows changed since (docs/insights.md). The
/// database keeps the three numbers that make this safe, in the writer's own transaction, so no writer (raw bulk insert,
/// EF, ExecuteUpdate, a foreign-key action) can leave a snapshot stale by forgetting to:
/// <list type="bullet">
/// <item><c>Maps.EvidenceVersion</c> moves on whenever an item on the map is inserted, updated or deleted;</item>
/// <item>each changed row's <c>FeedbackItems.ChangeVersion</c> is above every version a reader could have seen before the
/// change and not above the version that shows it: raw writers stamp it themselves (<see cref="Evidence.FeedbackItemColumns.StampChange"/>,
/// or the version they read in their transaction + 1), and the triggers stamp a row a writer left unstamped or stamped
/// before another transaction moved the map on;</item>
/// <item><c>Maps.EvidenceResetVersion</c> records when an item left the map or moved in time, which a reader of changed
/// rows cannot see: snapshots older than it rebuild.</item>
/// </list>
/// Created by the ChangeCounter migration (the InitialCreate ones only bumped the version); declared in the model with <c>HasTrigger</c>.
/// </summary>
internal static class EvidenceVersionTriggers
{
    /// <summary>
    /// PostgreSQL: locks the maps' rows in id order, as the triggers do at the end of each statement. A transaction that
    /// changes items already stored calls this before its first item row. Otherwise it can hold an item's row while it
    /// waits for the map, against a writer that holds the map and waits for that item: a deadlock (40P01), seen between
    /// a correction and the matching worker in the soak. SQLite: one writer at a time, nothing to do.
    /// </summary>
    public static Task LockMapsAsync(JourneyFeedbackDb db, IEnumerable<Guid?> mapIds, CancellationToken ct) =>
        LockMapsAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), mapIds, ct);

    /// <inheritdoc cref="LockMapsAsync(JourneyFeedbackDb, IEnumerable{Guid?}, CancellationToken)"/>
    public static async Task LockMapsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        IEnumerable<Guid?> mapIds, CancellationToken ct)
    {
        if (connection is not Npgsql.NpgsqlConnection) return;
        var ids = mapIds.OfType<Guid>().Distinct().ToArray();
        if (ids.Length == 0) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM \"Maps\" WHERE \"Id\" = ANY(@ids) ORDER BY \"Id\" FOR NO KEY UPDATE";
        command.Parameters.Add(new Npgsql.NpgsqlParameter("ids", ids));
        await command.ExecuteNonQueryAsync(ct);
    }

    public const string Insert = "FeedbackItems_EvidenceVersion_Insert";
    public const string Update = "FeedbackItems_EvidenceVersion_Update";
    public const string Delete = "FeedbackItems_EvidenceVersion_Delete";
    public static readonly string[] All = [Insert, Update, Delete];

    /// <summary>
    /// SQLite has row triggers only, and one writer at a time (its transactions start IMMEDIATE), so a stamp read inside
    /// the writer's transaction is above anything a reader saw before it commits. A row a writer did not stamp (an insert
    /// at 0, an update that kept the old stamp) is stamped here. SQLite does not fire a trigger from its own body
    /// (recursive_triggers is off), so the update trigger's stamping does not fire it again.
    /// </summary>
    public const string CreateSqlite =
        $"""
        CREATE TRIGGER "{Insert}" AFTER INSERT ON "FeedbackItems" WHEN NEW."MapId" IS NOT NULL
        BEGIN
            UPDATE "FeedbackItems" SET "ChangeVersion" = (SELECT "EvidenceVersion" + 1 FROM "Maps" WHERE "Id" = NEW."MapId")
            WHERE NEW."ChangeVersion" = 0 AND rowid = NEW.rowid;
            UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = NEW."MapId";
        END;
        CREATE TRIGGER "{Update}" AFTER UPDATE ON "FeedbackItems" WHEN OLD."MapId" IS NOT NULL OR NEW."MapId" IS NOT NULL
        BEGIN
            UPDATE "FeedbackItems" SET "ChangeVersion" = (SELECT "EvidenceVersion" + 1 FROM "Maps" WHERE "Id" = NEW."MapId")
            WHERE NEW."MapId" IS NOT NULL AND NEW."ChangeVersion" <= OLD."ChangeVersion" AND rowid = NEW.rowid;
            UPDATE "Maps" SET "EvidenceResetVersion" = "EvidenceVersion" + 1
            WHERE "Id" = OLD."MapId" AND (OLD."MapId" IS NOT NEW."MapId" OR OLD."OccurredAt" IS NOT NEW."OccurredAt");
            UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" IN (OLD."MapId", NEW."MapId");
        END;
        CREATE TRIGGER "{Delete}" AFTER DELETE ON "FeedbackItems" WHEN OLD."MapId" IS NOT NULL
        BEGIN
            UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1, "EvidenceResetVersion" = "EvidenceVersion" + 1 WHERE "Id" = OLD."MapId";
        END;
        """;

    public const string DropSqlite = InitialDropSqlite;

    /// <summary>
    /// PostgreSQL: statement triggers with transition tables, so a COPY of 5,000 rows bumps each of its maps once. The maps
    /// are locked in id order (as every multi-map writer does, so instances cannot deadlock on them); under the lock the
    /// version is the latest committed one, and every new row must carry exactly the version this statement makes. A row
    /// whose stamp differs (unstamped, or stamped from a version another instance has since moved on from) is stamped
    /// again by one UPDATE; a transaction-local flag keeps that UPDATE from firing the bump again.
    /// </summary>
    public const string CreatePostgres =
        $$"""
        CREATE FUNCTION "BumpEvidenceVersion"() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF current_setting('jf.stamping', true) = 'on' THEN RETURN NULL; END IF;
            IF TG_OP = 'DELETE' THEN
                PERFORM 1 FROM "Maps" WHERE "Id" IN (SELECT "MapId" FROM old_items) ORDER BY "Id" FOR NO KEY UPDATE;
                UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1, "EvidenceResetVersion" = "EvidenceVersion" + 1
                WHERE "Id" IN (SELECT "MapId" FROM old_items);
                RETURN NULL;
            END IF;
            IF TG_OP = 'INSERT' THEN
                PERFORM 1 FROM "Maps" WHERE "Id" IN (SELECT "MapId" FROM new_items) ORDER BY "Id" FOR NO KEY UPDATE;
            ELSE
                PERFORM 1 FROM "Maps" WHERE "Id" IN (SELECT "MapId" FROM old_items UNION SELECT "MapId" FROM new_items) ORDER BY "Id" FOR NO KEY UPDATE;
                UPDATE "Maps" SET "EvidenceResetVersion" = "EvidenceVersion" + 1
                WHERE "Id" IN (SELECT o."MapId" FROM old_items o JOIN new_items n ON n."Id" = o."Id"
                               WHERE o."MapId" IS DISTINCT FROM n."MapId" OR o."OccurredAt" IS DISTINCT FROM n."OccurredAt");
                UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1
                WHERE "Id" IN (SELECT "MapId" FROM old_items EXCEPT SELECT "MapId" FROM new_items);
            END IF;
            IF EXISTS (SELECT 1 FROM new_items n JOIN "Maps" m ON m."Id" = n."MapId" WHERE n."ChangeVersion" <> m."EvidenceVersion" + 1) THEN
                PERFORM set_config('jf.stamping', 'on', true);
                UPDATE "FeedbackItems" f SET "ChangeVersion" = m."EvidenceVersion" + 1
                FROM new_items n JOIN "Maps" m ON m."Id" = n."MapId"
                WHERE f."Id" = n."Id" AND n."ChangeVersion" <> m."EvidenceVersion" + 1;
                PERFORM set_config('jf.stamping', 'off', true);
            END IF;
            UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" IN (SELECT "MapId" FROM new_items);
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER "{{Insert}}" AFTER INSERT ON "FeedbackItems" REFERENCING NEW TABLE AS new_items
            FOR EACH STATEMENT EXECUTE FUNCTION "BumpEvidenceVersion"();
        CREATE TRIGGER "{{Update}}" AFTER UPDATE ON "FeedbackItems" REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
            FOR EACH STATEMENT EXECUTE FUNCTION "BumpEvidenceVersion"();
        CREATE TRIGGER "{{Delete}}" AFTER DELETE ON "FeedbackItems" REFERENCING OLD TABLE AS old_items
            FOR EACH STATEMENT EXECUTE FUNCTION "BumpEvidenceVersion"();
        """;

    public const string DropPostgres = InitialDropPostgres;

    /// <summary>The first definitions (InitialCreate): they bumped the version only.</summary>
    /// <summary>
    /// SQLite has row triggers only. One indexed update per changed row that is on a map; SQLite has one writer at a
    /// time, so the order in which maps are bumped cannot deadlock.
    /// </summary>
    public const string InitialCreateSqlite =
        $"""
        CREATE TRIGGER "{Insert}" AFTER INSERT ON "FeedbackItems" WHEN NEW."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = NEW."MapId"; END;
        CREATE TRIGGER "{Update}" AFTER UPDATE ON "FeedbackItems" WHEN OLD."MapId" IS NOT NULL OR NEW."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" IN (OLD."MapId", NEW."MapId"); END;
        CREATE TRIGGER "{Delete}" AFTER DELETE ON "FeedbackItems" WHEN OLD."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = OLD."MapId"; END;
        """;

    public const string InitialDropSqlite =
        $"""
        DROP TRIGGER IF EXISTS "{Insert}";
        DROP TRIGGER IF EXISTS "{Update}";
        DROP TRIGGER IF EXISTS "{Delete}";
        """;

    /// <summary>
    /// PostgreSQL: statement triggers with transition tables, so a COPY of 5,000 rows bumps each of its maps once instead
    /// of writing 5,000 row versions of the map. The maps are locked in id order, as every other multi-map writer does,
    /// so two instances bumping the same maps cannot deadlock on them. (Transition tables allow one event per trigger.)
    /// </summary>
    public const string InitialCreatePostgres =
        $$"""
        CREATE FUNCTION "BumpEvidenceVersion"() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                PERFORM 1 FROM "Maps" WHERE "Id" IN (SELECT "MapId" FROM new_items) ORDER BY "Id" FOR NO KEY UPDATE;
                UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" IN (SELECT "MapId" FROM new_items);
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM 1 FROM "Maps" WHERE "Id" IN (SELECT "MapId" FROM old_items) ORDER BY "Id" FOR NO KEY UPDATE;
                UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" IN (SELECT "MapId" FROM old_items);
            ELSE
                PERFORM 1 FROM "Maps" WHERE "Id" IN (SELECT "MapId" FROM old_items UNION SELECT "MapId" FROM new_items) ORDER BY "Id" FOR NO KEY UPDATE;
                UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1
                WHERE "Id" IN (SELECT "MapId" FROM old_items UNION SELECT "MapId" FROM new_items);
            END IF;
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER "{{Insert}}" AFTER INSERT ON "FeedbackItems" REFERENCING NEW TABLE AS new_items
            FOR EACH STATEMENT EXECUTE FUNCTION "BumpEvidenceVersion"();
        CREATE TRIGGER "{{Update}}" AFTER UPDATE ON "FeedbackItems" REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
            FOR EACH STATEMENT EXECUTE FUNCTION "BumpEvidenceVersion"();
        CREATE TRIGGER "{{Delete}}" AFTER DELETE ON "FeedbackItems" REFERENCING OLD TABLE AS old_items
            FOR EACH STATEMENT EXECUTE FUNCTION "BumpEvidenceVersion"();
        """;

    public const string InitialDropPostgres =
        $"""
        DROP TRIGGER IF EXISTS "{Insert}" ON "FeedbackItems";
        DROP TRIGGER IF EXISTS "{Update}" ON "FeedbackItems";
        DROP TRIGGER IF EXISTS "{Delete}" ON "FeedbackItems";
        DROP FUNCTION IF EXISTS "BumpEvidenceVersion"();
        """;
}
