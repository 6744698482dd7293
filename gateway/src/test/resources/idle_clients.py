"""Holds N idle keep-alive connections to a gateway, then checks them.

usage: python3 idle_clients.py PORT N SAMPLE_EVERY
Prints "opened N", waits for a line on stdin, then prints one JSON line:
{"opened": N, "closed_by_peer": K, "sampled": S, "ok": M}
"""
import json
import select
import socket
import sys

port, n, every = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
import time
T0 = time.time()
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    socks.append(s)
print("opened", len(socks), flush=True)
import time as _t; print("idle_clients: opened in %.2fs" % (_t.time() - T0), file=sys.stderr, flush=True)
sys.stdin.readline()

# An idle connection the gateway closed would be readable (EOF) or report HUP/ERR.
poller = select.poll()
for s in socks:
    poller.register(s, select.POLLIN | select.POLLHUP | select.POLLERR)
closed = len(poller.poll(0))

ok = 0
sampled = socks[::every]
for s in sampled:
    s.sendall(b"GET /ok HTTP/1.1\r\nHost: idle\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    if data.startswith(b"HTTP/1.1 200"):
        ok += 1
print(json.dumps({"opened": len(socks), "closed_by_peer": closed, "sampled": len(sampled), "ok": ok}), flush=True)
for s in socks:
    s.close()
