#!/usr/bin/env python3
"""A local OTLP/HTTP sink for the benchmarks: accepts POST /v1/traces, /v1/metrics, /v1/logs, answers 200 with an
empty protobuf body, discards the payload and counts requests and bytes, so a report can show the agent exported.
GET /stats returns the counts as JSON. Loopback only.   usage: otlp-sink.py PORT"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 64 * 1024 * 1024  # one export is far smaller; anything bigger is refused, not buffered
stats = {}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = self.headers.get("Content-Length")
        if length is None and self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            size = self._discard_chunked()
        else:
            size = int(length or 0)
            if size > MAX_BODY:
                self._answer(413, b"")
                self.close_connection = True
                return
            remaining = size
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
        with lock:
            entry = stats.setdefault(self.path, {"requests": 0, "bytes": 0})
            entry["requests"] += 1
            entry["bytes"] += size
        self._answer(200, b"", "application/x-protobuf")

    def do_GET(self):
        if self.path != "/stats":
            self._answer(404, b"")
            return
        with lock:
            body = json.dumps(stats, sort_keys=True).encode()
        self._answer(200, body, "application/json")

    def _discard_chunked(self):
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return total
            total += size
            self.rfile.read(size)
            self.rfile.readline()

    def _answer(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # quiet: one line per export would drown the benchmark's output


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: otlp-sink.py PORT")
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
