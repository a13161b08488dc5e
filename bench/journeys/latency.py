#!/usr/bin/env python3
"""Latency of the journeys and funnel endpoints on one map, sequential requests over one keep-alive connection.

  latency.py URL KEY MAP_JSON first        the first journeys and the first funnel request (of a cold process)
  latency.py URL KEY MAP_JSON mix [N=60]   N distinct journeys queries and N distinct funnel queries (a mix of
                                           from/to month windows, segment=kind:support-log, collapseLoops on/off,
                                           journey gaps, funnel modes ordered/strict/any, windows, the default stage
                                           steps and a Website > Checkout > Order e-mail funnel), then the same
                                           queries again (answers the API keeps with the log: the repeat rows)

Distinct queries measure the analysis itself: the API keeps up to 256 answers per log, so a repeated query is a
cache hit. Prints one line per (endpoint, pass): n, median, p95, max in ms, and the HTTP status counts.
"""
import http.client
import json
import sys
import time
import urllib.parse

MONTHS = ["2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"]


def percentile(sorted_values, p):
    """Linear interpolation between the closest ranks (numpy's default)."""
    h = (len(sorted_values) - 1) * p
    low = int(h)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (h - low) * (sorted_values[high] - sorted_values[low])


class Client:
    def __init__(self, url, key):
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path):
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body


def journeys_queries(map_id, n):
    queries = []
    for i in range(n):
        q = {}
        month = i % 8  # 6 and 7: the whole period
        if month < 6:
            q["from"], q["to"] = MONTHS[month] + "T00:00:00Z", MONTHS[month + 1] + "T00:00:00Z"
        if i % 3 == 1:
            q["segment"] = "kind:support-log"
        q["collapseLoops"] = "true" if i % 2 else "false"
        q["window"] = ["30d", "14d", "7d", "45d"][(i // 8) % 4]
        q["variants"] = str(10 + i // 32)  # keeps every query distinct
        queries.append(f"/api/maps/{map_id}/journeys?" + urllib.parse.urlencode(q))
    return queries


def funnel_queries(map_id, n, three_touchpoints):
    queries = []
    for i in range(n):
        q = {"mode": ["ordered", "strict", "any"][i % 3], "window": ["14d", "7d", "30d", "3d"][(i // 12) % 4]}
        if i % 2:
            q["steps"] = three_touchpoints
        month = (i // 3) % 4  # 0-2: May, June, July; 3: the whole period
        if month < 3:
            q["from"], q["to"] = MONTHS[month * 2] + "T00:00:00Z", MONTHS[month * 2 + 2] + "T00:00:00Z"
        if i % 5 == 4:
            q["segment"] = "kind:support-log"
        if i >= 48:
            q["themes"] = "3"  # keeps every query distinct
        queries.append(f"/api/maps/{map_id}/funnel?" + urllib.parse.urlencode(q))
    return queries


def report(label, timings, statuses):
    values = sorted(timings)
    counts = " ".join(f"{status}:{statuses.count(status)}" for status in sorted(set(statuses)))
    print(f"{label} n={len(values)} median_ms={percentile(values, 0.5):.1f} p95_ms={percentile(values, 0.95):.1f} "
          f"max_ms={values[-1]:.1f} status={counts}")


def main():
    url, key, map_file, what = sys.argv[1:5]
    n = int(sys.argv[5]) if len(sys.argv) > 5 else 60
    with open(map_file, encoding="utf-8") as f:
        definition = json.load(f)
    map_id = definition["id"]
    touchpoints = {t["name"]: t["id"] for s in definition["stages"] for t in s["touchpoints"]}
    three = ",".join(touchpoints[name] for name in ("Website", "Checkout", "Order e-mail"))
    client = Client(url, key)
    if what == "first":
        for name, path in (("journeys", f"/api/maps/{map_id}/journeys"), ("funnel", f"/api/maps/{map_id}/funnel")):
            ms, status, body = client.get(path)
            summary = json.loads(body) if status == 200 else {}
            detail = (f"customers={summary.get('customers')} journeys={summary.get('journeys')} contacts={summary.get('contacts')} "
                      f"variants={summary.get('distinctVariants')}" if name == "journeys"
                      else f"entered={summary.get('entered')} steps=" + "/".join(str(s.get("customers")) for s in summary.get("steps", [])))
            print(f"first_{name} ms={ms:.1f} status={status} {detail}")
        return
    for name, queries in (("journeys", journeys_queries(map_id, n)), ("funnel", funnel_queries(map_id, n, three))):
        assert len(set(queries)) == len(queries), "queries must be distinct"
        for label in ("distinct", "repeat"):
            timings, statuses = [], []
            for path in queries:
                ms, status, _ = client.get(path)
                timings.append(ms)
                statuses.append(status)
            report(f"{name}_{label}", timings, statuses)


if __name__ == "__main__":
    main()
