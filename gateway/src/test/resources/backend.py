"""A small HTTP/1.1 backend for the gateway's integration tests (standard library only).

usage: python3 backend.py PORT   -- prints "ready PORT" once it listens on 127.0.0.1.
"""
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

STATE = {"flaky": "good", "connections": 0, "requests": 0}
LOCK = threading.Lock()
PATTERN = bytes(i % 251 for i in range(251 * 261))  # 65511 bytes, repeats with period 251


def pattern(size):
    """size bytes of the pattern i % 251, in pieces."""
    offset = 0
    while offset < size:
        n = min(65251, size - offset)  # a multiple of 251 keeps the pattern aligned
        start = offset % 251
        yield PATTERN[start:start + n]
        offset += n


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with LOCK:
            STATE["connections"] += 1

    def log_message(self, *args):
        pass

    def read_body(self):
        digest = hashlib.sha256()
        length = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                remaining = size
                while remaining:
                    data = self.rfile.read(min(remaining, 65536))
                    digest.update(data)
                    remaining -= len(data)
                    length += len(data)
                self.rfile.readline()
        else:
            remaining = int(self.headers.get("Content-Length", "0") or 0)
            while remaining:
                data = self.rfile.read(min(remaining, 65536))
                if not data:
                    break
                digest.update(data)
                remaining -= len(data)
                length += len(data)
        return length, digest.hexdigest()

    def send(self, status, body, content_type="application/json", extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        with LOCK:
            STATE["requests"] += 1
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        length, sha = self.read_body()
        path = url.path
        if path == "/echo":
            self.send(200, {"method": self.command, "path": self.path, "length": length, "sha256": sha,
                            "headers": {k.lower(): v for k, v in self.headers.items()}},
                      extra={"X-Backend": "yes", "Connection": "keep-alive, X-Hop", "X-Hop": "secret",
                             "Keep-Alive": "timeout=5", "Proxy-Authenticate": "Basic"})
        elif path == "/download":
            size = int(q.get("size", "0"))
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if q.get("chunked") == "1":
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for piece in pattern(size):
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(size))
                self.end_headers()
                for piece in pattern(size):
                    self.wfile.write(piece)
        elif path == "/drip":
            # the first chunk, then a pause: a streaming proxy forwards the first before the pause ends
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"6\r\nfirst\n\r\n")
            self.wfile.flush()
            time.sleep(float(q.get("ms", "800")) / 1000)
            self.wfile.write(b"5\r\nlast\n\r\n0\r\n\r\n")
        elif path == "/slow":
            time.sleep(float(q.get("ms", "1000")) / 1000)
            self.send(200, {"ok": True, "slept_ms": q.get("ms")})
        elif path == "/fail":
            self.send(500, {"error": "boom"})
        elif path.startswith("/silent"):
            self.send(200, {"success": False, "error": "card declined"})
        elif path == "/flaky":
            if STATE["flaky"] == "bad":
                self.send(200, {"success": False, "error": "downstream unavailable"})
            else:
                self.send(200, {"success": True})
        elif path == "/control":
            STATE["flaky"] = q.get("flaky", STATE["flaky"])
            self.send(200, {"flaky": STATE["flaky"]})
        elif path == "/stats":
            with LOCK:
                self.send(200, {"connections": STATE["connections"], "requests": STATE["requests"]})
        else:
            self.send(200, {"ok": True, "path": path})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


if __name__ == "__main__":
    server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", server.server_address[1], flush=True)
    server.serve_forever()
