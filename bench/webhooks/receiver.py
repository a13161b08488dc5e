#!/usr/bin/env python3
"""Benchmark receiver: answers every webhook 204 at once and records its arrival.

One line per request in the output file: arrival (unix seconds), webhook-id, type, data.surveyId, data.externalRef,
data.answeredAt. Signatures are not checked (bench/webhooks measures the API, not the receiver).
Usage: receiver.py <port> <outputFile>
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, output = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
out = open(output, "a", encoding="utf-8", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the dispatcher reuses its connections

    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        event = json.loads(body)
        data = event.get("data") or {}
        line = json.dumps([arrived, self.headers.get("webhook-id"), event.get("type"), data.get("surveyId"),
                           data.get("externalRef"), data.get("answeredAt")])
        with lock:
            out.write(line + "\n")

    def do_GET(self):  # readiness probe
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
