"""A small shop for ScorerPrometheusIT: deterministic answers chosen by the query string.

usage: score_shop.py PORT [PROCESS_NAME]   (process name default "shop", at most 15 chars)
  /api/products          200 {"ok":true,"items":[...]}
  /checkout/pay          200 {"success":true,"order_id":...}
  /checkout/pay?fail=1   200 a silent payment failure (card_declined)
  /api/search            200 results; ?status=503 answers 503; ?invalid=1 a 200 validation failure;
                         ?slow=1 sleeps 0.6 s first
  /health                200 {"status":"up"}
HTTP/1.1 keep-alive, one thread per connection.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

port = int(sys.argv[1])
name = sys.argv[2] if len(sys.argv) > 2 else "shop"
with open("/proc/self/comm", "w") as comm:
    comm.write(name[:15])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY each answer on a keep-alive
    # connection would wait for the client's delayed ACK (40 ms).
    disable_nagle_algorithm = True

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
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/api/products":
            self.send_json(200, {"ok": True, "items": [{"id": 1, "name": "mug"}, {"id": 2, "name": "tee"}]})
        elif url.path == "/checkout/pay":
            if "fail" in query:
                self.send_json(200, {"success": False,
                                     "error": {"code": "card_declined", "message": "The card was declined."}})
            else:
                self.send_json(200, {"success": True, "order_id": "ord-42"})
        elif url.path == "/api/search":
            if "slow" in query:
                time.sleep(0.6)
            if "status" in query:
                self.send_json(int(query["status"][0]), {"error": "search backend unavailable"})
            elif "invalid" in query:
                self.send_json(200, {"ok": False, "errors": [{"field": "q", "code": "invalid",
                                                              "message": "Query must not be empty."}]})
            else:
                self.send_json(200, {"ok": True, "results": [{"id": 1, "name": "mug"}]})
        elif url.path == "/health":
            self.send_json(200, {"status": "up"})
        else:
            self.send_json(404, {"error": "not found"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


Server(("127.0.0.1", port), Handler).serve_forever()
