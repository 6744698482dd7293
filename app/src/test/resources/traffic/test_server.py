"""A small HTTP/1.1 keep-alive test server for apiguard's integration tests.

usage: test_server.py PORT [PROCESS_NAME]
Endpoints (all under /agentit/): sleep (50 ms), chunked, silent (a silent-200 payment failure),
graphql-partial, graphql-failed, ok, slowbody (a body that never finishes), POST anything (201).
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port = int(sys.argv[1])
name = sys.argv[2] if len(sys.argv) > 2 else "agentit-srv"
with open("/proc/self/comm", "w") as comm:
    comm.write(name[:15])

BODIES = {
    "/agentit/ok": (200, {"ok": True, "items": [1, 2, 3]}),
    "/agentit/silent": (200, {"success": False, "error": {"code": "card_declined", "message": "Your card was declined."}}),
    "/agentit/graphql-partial": (200, {"data": {"user": {"id": "1", "name": "Ada"}, "orders": None},
                                       "errors": [{"message": "orders service timed out", "path": ["orders"]}]}),
    "/agentit/graphql-failed": (200, {"data": None, "errors": [{"message": "Cannot query field \"nope\" on type \"Query\"."}]}),
    "/agentit/ratelimited": (429, {"error": {"code": "rate_limited", "message": "Too many requests"}}),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/agentit/sleep"):
            time.sleep(0.05)
            self.send_json(200, {"slept_ms": 50})
        elif path.startswith("/agentit/chunked"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b'{"items":[', b"1,2,3", b"]}"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif path.startswith("/agentit/slowbody"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"x" * 1000)
            time.sleep(30)
        elif path in BODIES:
            status, payload = BODIES[path]
            self.send_json(status, payload)
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.send_json(201, {"ok": True, "received": length})


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
