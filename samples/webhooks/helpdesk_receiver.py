#!/usr/bin/env python3
"""A sample JourneyFeedback webhook receiver: opens a help-desk ticket for every detractor.

Python 3 standard library only. It does what every receiver should:
  1. verifies the Standard Webhooks signature (HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{raw body}",
     keyed with the base64-decoded part of the whsec_ secret) and refuses a timestamp more than 5 minutes off
     (a replayed request): 401 otherwise;
  2. dedupes on webhook-id: JourneyFeedback delivers at least once (a retry after a lost answer, a replay from the
     delivery log), so the same id can arrive again and must not open a second ticket;
  3. answers 2xx quickly: the sender waits Webhooks:TimeoutSeconds (15 s by default) and retries after that.

Run:
  WEBHOOK_SECRET=whsec_... python3 samples/webhooks/helpdesk_receiver.py 8085
  (port: first argument, else $PORT, else 8085; $HOST: address to listen on, default 127.0.0.1;
   $TICKETS_FILE: where tickets go, default ./tickets.jsonl; $SEEN_DB: the dedupe store, default ./seen-webhooks.sqlite3)
Then subscribe it (as a workspace admin; an http:// or loopback URL needs Webhooks:AllowHttp / AllowPrivateTargets):
  curl -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" http://localhost:5080/api/webhooks \
       -d '{"url": "http://127.0.0.1:8085/webhooks", "eventTypes": ["survey.detractor"]}'
and keep the "secret" of the answer: it is shown once.
"""

import base64
import hashlib
import hmac
import json
import os
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60
MAX_BODY_BYTES = 1024 * 1024
KEEP_SEEN_SECONDS = 30 * 24 * 3600  # longer than the sender's whole retry schedule (about 28 hours)


def signing_key(secret):
    """The HMAC key: the bytes the whsec_ secret encodes."""
    if secret.startswith("whsec_"):
        secret = secret[len("whsec_"):]
    return base64.b64decode(secret)


def signature_is_valid(key, webhook_id, timestamp, signature_header, body, now=None):
    """True when one of the header's v1 signatures matches and the timestamp is within the tolerance."""
    if not webhook_id or not timestamp or not signature_header:
        return False
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent) > TOLERANCE_SECONDS:
        return False
    # The raw bytes as received: a body parsed and serialized again would not match.
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    # Several signatures during a secret rotation (current and previous), space-separated: any one may match.
    for entry in signature_header.split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return True
    return False


class SeenIds:
    """
    webhook-ids already processed, in SQLite. An id is recorded only once its ticket is open (a failure leaves it
    unrecorded, so the sender's retry opens it); only a crash between the two could open a ticket twice, which is
    why a real help desk should get the webhook-id as its idempotency key too.
    """

    def __init__(self, path):
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, at REAL NOT NULL)")
        self._lock = threading.Lock()

    def process_once(self, webhook_id, work):
        """Runs work() unless webhook_id was processed before; returns False for a duplicate."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self._db.execute("SELECT 1 FROM seen WHERE id = ?", (webhook_id,)).fetchone():
                    self._db.execute("ROLLBACK")
                    return False
                work()
                now = time.time()
                self._db.execute("INSERT INTO seen (id, at) VALUES (?, ?)", (webhook_id, now))
                self._db.execute("DELETE FROM seen WHERE at < ?", (now - KEEP_SEEN_SECONDS,))
                self._db.execute("COMMIT")
                return True
            except BaseException:
                self._db.execute("ROLLBACK")
                raise


def open_ticket(tickets_file, webhook_id, event):
    """Opens a ticket for a detractor; here, one JSON line in a file."""
    data = event["data"]
    ticket = {
        "webhookId": webhook_id,
        "openedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "priority": "urgent" if event.get("severity") == "high" else "normal",
        "customerId": data.get("customerId"),
        "externalRef": data.get("externalRef"),
        "survey": data.get("surveyName"),
        "score": data.get("score"),
        "comment": data.get("comment"),
        "metadata": data.get("metadata") or {},
        "answerId": data.get("answerId"),
    }
    # A real help desk: POST the ticket to its API here (Zendesk, Freshdesk, Jira Service Management...), passing the
    # webhook-id as its idempotency key or external id if it has one. Keep it quick; if it can take seconds, put the
    # event on a queue here and answer 2xx at once, so the sender does not time out and send it again.
    with open(tickets_file, "a", encoding="utf-8") as f:
        f.write(json.dumps(ticket, ensure_ascii=False) + "\n")


class Receiver(BaseHTTPRequestHandler):
    # Keep-alive: the sender reuses its connection, and no answer is lost to a connection closed under it.
    protocol_version = "HTTP/1.1"
    key = b""
    seen = None
    tickets_file = "tickets.jsonl"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            return self.answer(413, "too large", close=True)  # the unread body must not be taken for the next request
        body = self.rfile.read(length)
        webhook_id = self.headers.get("webhook-id")
        if not signature_is_valid(self.key, webhook_id, self.headers.get("webhook-timestamp"),
                                  self.headers.get("webhook-signature"), body):
            return self.answer(401, "bad signature")
        event = json.loads(body)
        if event.get("type") != "survey.detractor":
            return self.answer(204)  # other events (webhook.test, survey.answered...): acknowledged, nothing to do
        try:
            self.seen.process_once(webhook_id, lambda: open_ticket(self.tickets_file, webhook_id, event))
        except Exception as e:  # a 5xx makes the sender retry later, with the same webhook-id
            self.log_error("could not open a ticket for %s: %s", webhook_id, e)
            return self.answer(503, "try again")
        return self.answer(204)

    def answer(self, status, text="", close=False):
        payload = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)


def main():
    secret = os.environ.get("WEBHOOK_SECRET")
    if not secret:
        sys.exit("Set WEBHOOK_SECRET to the subscription's secret (whsec_...).")
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "8085"))
    Receiver.key = signing_key(secret)
    Receiver.seen = SeenIds(os.environ.get("SEEN_DB", "seen-webhooks.sqlite3"))
    Receiver.tickets_file = os.environ.get("TICKETS_FILE", "tickets.jsonl")
    server = ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), port), Receiver)
    print(f"Listening on http://{server.server_address[0]}:{port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
