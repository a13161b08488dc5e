#!/usr/bin/env python3
# What the evidence-version trigger (src/JourneyFeedback.Api/Data/EvidenceVersionTriggers.cs, SQLite insert trigger,
# mirrored below) costs SQLite's writer: 1M rows on one map inserted in 5,000-row transactions (WAL, synchronous=FULL,
# 8 KB pages, as the API does), with and without the trigger, alternating, three times each.
# Usage: python3 bench/imports/trigger_cost.py [rows=1000000]
import sqlite3, time, os, sys, tempfile
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000

def run(trigger, rows=ROWS, batch=5000):
    path=os.path.join(tempfile.gettempdir(), 'jf-trigger-cost.db')
    for f in [path, path+'-wal', path+'-shm']:
        if os.path.exists(f): os.remove(f)
    c=sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA page_size=8192"); c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
    c.execute('CREATE TABLE "Maps" ("Id" BLOB NOT NULL PRIMARY KEY, "EvidenceVersion" INTEGER NOT NULL DEFAULT 0, "Name" TEXT)')
    c.execute('CREATE TABLE "FeedbackItems" ("Id" BLOB NOT NULL PRIMARY KEY, "MapId" BLOB NULL REFERENCES "Maps"("Id"), "TouchpointId" BLOB, "Text" TEXT, "DedupKey" TEXT)')
    c.execute('CREATE UNIQUE INDEX ix_dedup ON "FeedbackItems"("DedupKey")')
    c.execute('CREATE INDEX ix_map ON "FeedbackItems"("MapId","TouchpointId") WHERE "MapId" IS NOT NULL')
    c.execute("INSERT INTO Maps VALUES (x'0102030405060708090a0b0c0d0e0f10', 0, 'm')")
    if trigger:
        c.execute('''CREATE TRIGGER t_ins AFTER INSERT ON "FeedbackItems" WHEN NEW."MapId" IS NOT NULL
        BEGIN UPDATE "Maps" SET "EvidenceVersion" = "EvidenceVersion" + 1 WHERE "Id" = NEW."MapId"; END''')
    t=time.perf_counter()
    for b in range(rows//batch):
        c.execute("BEGIN")
        c.execute(f'''WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < {batch-1})
          INSERT INTO "FeedbackItems" SELECT randomblob(16), x'0102030405060708090a0b0c0d0e0f10', randomblob(16),
          'some support text about a parcel that did not arrive ' || i, 'k{b}-' || i FROM s''')
        c.execute("COMMIT")
    el=time.perf_counter()-t
    v=c.execute('select EvidenceVersion from Maps').fetchone()[0]
    c.close()
    return el, v
res={True:[],False:[]}
for r in range(3):
    for trig in (False, True):
        el,v=run(trig); res[trig].append(el); print(f"trigger={trig} {el:.2f}s version={v}", flush=True)
print("ratio with/without (median):", sorted(res[True])[1]/sorted(res[False])[1])
