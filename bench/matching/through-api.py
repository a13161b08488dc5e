#!/usr/bin/env python3
"""Touchpoint matching measured the way a map author meets it, through the running API (Release build, SQLite):
import a labelled held-out set onto a map as a support log (text only), wait until the matching worker and the
semantic tier have nothing left to do, and score where each item landed; then confirm 20 other texts per touchpoint
(PATCH /api/evidence/{id}), ask for a rematch, wait again, and score again.
Right = placed on its touchpoint; the inbox counts as not right. Also: inbox share, precision of the placed items.
Usage: bench/matching/through-api.py [banking77|banking77-retail|clinc-travel|clinc-auto|clinc-dining] [confirmations per touchpoint=20]
banking77-retail: the same requests on the retail-bank sample map, where 45 of the 77 intents have no touchpoint ("-" in
samples/matching/banking77-retail-intents.tsv): those are never confirmed, and for them the inbox is right.
"""
import csv, io, json, os, random, sqlite3, subprocess, sys, tempfile, time, urllib.request, uuid

name = sys.argv[1] if len(sys.argv) > 1 else "banking77"
per_touchpoint = int(sys.argv[2]) if len(sys.argv) > 2 else 20
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
maps = {"banking77": "banking-app-journey", "banking77-retail": "retail-banking-journey", "clinc-travel": "travel-journey", "clinc-auto": "car-ownership-journey", "clinc-dining": "restaurant-journey"}
intents = dict(l.rstrip("\n").split("\t") for l in list(open(f"{root}/samples/matching/{name}-intents.tsv", encoding="utf-8"))[1:])
def read(path): return [l.rstrip("\n").split("\t", 1) for l in list(open(path, encoding="utf-8"))[1:] if l.strip()]
texts = name.split("-retail")[0]
heldout = read(f"{root}/samples/matching/{texts}-heldout.tsv")
dev = read(f"{root}/samples/matching/{texts}-dev.tsv")

subprocess.run(["dotnet", "build", "-c", "Release", f"{root}/src/JourneyFeedback.Api", "-v", "quiet", "-nologo"], check=True, stdout=subprocess.DEVNULL)
work = tempfile.mkdtemp()
url, key = "http://127.0.0.1:5098", "bench-key"
env = dict(os.environ, Storage__DataDirectory=f"{work}/data", Auth__BootstrapKey=key, Demo__SeedSampleMaps="false",
           Logging__LogLevel__Default="Warning", RateLimits__Api__PermitLimit="100000000")
api = subprocess.Popen(["dotnet", f"{root}/src/JourneyFeedback.Api/bin/Release/net10.0/JourneyFeedback.Api.dll", "--urls", url],
                       env=env, stdout=open(f"{work}/api.log", "w"), stderr=subprocess.STDOUT)

def call(method, path, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers={"Authorization": f"Bearer {key}", "Content-Type": content_type})
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None

try:
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/health"); break
        except Exception: time.sleep(0.3)
    the_map = call("POST", "/api/maps", json.load(open(f"{root}/samples/maps/{maps[name]}.json", encoding="utf-8")))
    touchpoints = {t["name"]: t["id"] for s in the_map["stages"] for t in s["touchpoints"]}
    random.seed(7)
    by_touchpoint = {}
    for intent, text in dev:
        if intents[intent] != "-": by_touchpoint.setdefault(intents[intent], []).append(text)
    confirm = [(tp, text) for tp, texts in sorted(by_touchpoint.items()) for text in random.sample(texts, min(per_touchpoint, len(texts)))]

    rows = io.StringIO(); w = csv.writer(rows); w.writerow(["id", "text"])
    for i, (_, text) in enumerate(heldout): w.writerow([f"h{i}", text])
    for i, (_, text) in enumerate(confirm): w.writerow([f"c{i}", text])
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nsupport-log\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"mapId\"\r\n\r\n{the_map['id']}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() \
        + rows.getvalue().encode() + f"\r\n--{boundary}--\r\n".encode()
    started = time.time()
    imported = call("POST", "/api/imports", body, f"multipart/form-data; boundary={boundary}")
    while call("GET", f"/api/imports/{imported['id']}")["status"] not in ("succeeded", "failed"): time.sleep(0.5)
    print(f"{name}: imported {len(heldout) + len(confirm)} rows in {time.time() - started:.1f} s")
    db = sqlite3.connect(f"{work}/data/journeyfeedback.db")

    def settle(label):
        # The tier embeds only the items its English encoder reads (a few short requests are detected as another
        # language and keep the word matchers), so "done" is: nothing waits and the embedded count stopped growing.
        t0 = time.time()
        last, since = -1, time.time()
        while True:
            (waiting,) = db.execute('SELECT COUNT(*) FROM "ItemEmbeddings" WHERE "JudgedAt" IS NULL').fetchone()
            (unmatched,) = db.execute('SELECT COUNT(*) FROM "FeedbackItems" WHERE "MatchedAt" IS NULL').fetchone()
            (embedded,) = db.execute('SELECT COUNT(*) FROM "ItemEmbeddings"').fetchone()
            if embedded != last: last, since = embedded, time.time()
            if waiting == 0 and unmatched == 0 and embedded > 0 and time.time() - since >= 10: break
            time.sleep(1)
        time.sleep(3)  # a rebuild after the last batch, if any, is picked up within a poll
        print(f"  {label}: settled {time.time() - t0:.0f} s after the last write ({last} of the map's items embedded)")

    def score(label):
        placed = {ext: tp for ext, tp in db.execute('SELECT "ExternalId", lower(hex("TouchpointId")) FROM "FeedbackItems"')}
        ids = {v.replace("-", ""): k for k, v in touchpoints.items()}
        right = inbox = unmapped = unmapped_inbox = 0
        for i, (intent, _) in enumerate(heldout):
            tp = placed.get(f"h{i}")
            if intents[intent] == "-":
                unmapped += 1; unmapped_inbox += not tp
            elif not tp: inbox += 1
            elif ids.get(tp) == intents[intent]: right += 1
        n = len(heldout) - unmapped; assigned = n - inbox
        print(f"  {label}: right {right / n:.3f}  inbox {inbox / n:.3f}  precision above threshold {right / max(assigned, 1):.3f}  ({n} held-out texts)")
        if unmapped:
            placed_all = assigned + unmapped - unmapped_inbox
            print(f"  {label}: texts with no touchpoint on this map: {unmapped_inbox / unmapped:.3f} of {unmapped} left in the inbox;"
                  f" right among all placed items {right / max(placed_all, 1):.3f}")

    settle("map only"); score("map only")
    items = dict(db.execute('SELECT "ExternalId", "Id" FROM "FeedbackItems"'))
    for i, (tp, _) in enumerate(confirm):
        item_id = str(uuid.UUID(bytes=items[f"c{i}"]))
        call("PATCH", f"/api/evidence/{item_id}", {"touchpointId": touchpoints[tp]})
    call("POST", f"/api/maps/{the_map['id']}/rematch")
    time.sleep(2)
    settle(f"+{per_touchpoint} confirmations per touchpoint"); score(f"+{per_touchpoint} confirmations per touchpoint")
finally:
    api.terminate(); api.wait()
