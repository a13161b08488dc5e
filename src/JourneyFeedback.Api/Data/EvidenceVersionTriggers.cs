namespace JourneyFeedback.Api.Data;

/// <summary>
/// Insights are cached per (map version, evidence version). The database bumps <c>Maps.EvidenceVersion</c> whenever a
/// feedback item on a map is inserted, updated or deleted, in the writer's own transaction, so no writer (raw bulk
/// insert, EF, ExecuteUpdate, a foreign-key action) can leave a map's cached insights stale by forgetting to.
/// Created by each engine's InitialCreate migration; declared in the model with <c>HasTrigger</c>.
/// </summary>
internal static class EvidenceVersionTriggers
{
    public const string Insert = "FeedbackItems_EvidenceVersion_Insert";
    public const string Update = "FeedbackItems_EvidenceVersion_Update";
    public const string Delete = "FeedbackItems_EvidenceVersion_Delete";
    public static readonly string[] All = [Insert, Update, Delete];

    /// <summary>
    /// SQLite has row triggers only. One indexed update per changed row that is on a map; SQLite has one writer at a
    /// time, so the order in which maps are bumped cannot deadlock.
    /// </summary>
    public const string CreateSqlite =
        $"""
        CREATE TRIGGER "{Insert}" AFTER INSERT ON "FeedbackItems" WHEN NEW."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = NEW."MapId"; END;
        CREATE TRIGGER "{Update}" AFTER UPDATE ON "FeedbackItems" WHEN OLD."MapId" IS NOT NULL OR NEW."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" IN (OLD."MapId", NEW."MapId"); END;
        CREATE TRIGGER "{Delete}" AFTER DELETE ON "FeedbackItems" WHEN OLD."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = OLD."MapId"; END;
        """;

    public const string DropSqlite =
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
    public const string CreatePostgres =
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

    public const string DropPostgres =
        $"""
        DROP TRIGGER IF EXISTS "{Insert}" ON "FeedbackItems";
        DROP TRIGGER IF EXISTS "{Update}" ON "FeedbackItems";
        DROP TRIGGER IF EXISTS "{Delete}" ON "FeedbackItems";
        DROP FUNCTION IF EXISTS "BumpEvidenceVersion"();
        """;
}
