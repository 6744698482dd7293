"""The demo's sample shop: a small JSON API that fails silently on schedule.

usage: shop.py PORT INCIDENT_START_S INCIDENT_END_S INCIDENT_FAILURE_RATE

Between INCIDENT_START_S and INCIDENT_END_S seconds after start, that share of checkouts answers
200 OK with {"success": false, ...}: the silent 200 apiguard exists to catch. Everything else
behaves: users (404 for unknown ids), search, graphql (now and then a partial success), health.
"""
import json
import random
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
INCIDENT_START = float(sys.argv[2])
INCIDENT_END = float(sys.argv[3])
FAILURE_RATE = float(sys.argv[4])
STARTED = time.monotonic()

with open("/proc/self/comm", "w") as comm:
    comm.write("shop")


def in_incident():
    t = time.monotonic() - STARTED
    return INCIDENT_START <= t < INCIDENT_END


class Shop(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/health":
            self.reply(200, {"status": "ok"})
        elif path.startswith("/api/v1/users/"):
            user = path.rsplit("/", 1)[1]
            if user.isdigit() and int(user) <= 990:
                self.reply(200, {"id": int(user), "name": "user-" + user, "tier": "gold" if int(user) % 7 == 0 else "basic"})
            else:
                self.reply(404, {"error": {"code": "user_not_found", "message": "no such user"}})
        elif path == "/api/v1/search":
            time.sleep(random.uniform(0.002, 0.02))
            self.reply(200, {"results": [{"sku": "sku-%d" % i, "price": 10 + i} for i in range(5)], "total": 5})
        else:
            self.reply(404, {"error": {"code": "not_found", "message": "no such endpoint"}})

    def do_POST(self):
        path = self.path.split("?")[0]
        self.body()
        if path == "/api/v1/checkout":
            time.sleep(random.uniform(0.005, 0.03))
            if in_incident() and random.random() < FAILURE_RATE:
                self.reply(200, {"success": False, "error": {"code": "card_declined",
                                                             "message": "The payment processor declined the card."}})
            else:
                self.reply(200, {"success": True, "order_id": "ord_%06d" % random.randint(0, 999999)})
        elif path == "/graphql":
            if random.random() < 0.05:
                self.reply(200, {"data": {"cart": {"items": 2}, "recommendations": None},
                                 "errors": [{"message": "recommendations timed out", "path": ["recommendations"]}]})
            else:
                self.reply(200, {"data": {"cart": {"items": 2}, "recommendations": [{"sku": "sku-1"}]}})
        else:
            self.reply(404, {"error": {"code": "not_found", "message": "no such endpoint"}})


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 256  # socketserver's default backlog of 5 refuses bursts
ThreadingHTTPServer(("127.0.0.1", PORT), Shop).serve_forever()
