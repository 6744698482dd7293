"""Opens one keep-alive connection, sends one request, waits for a line on stdin, then sends N more.

usage: keepalive_client.py PORT PATH N   (prints "ready" after the first response, "done N" at the end)
Lets a test start the agent while this connection is already open.
"""
import socket
import sys

port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = socket.create_connection(("127.0.0.1", port), timeout=10)
buffered = b""


def exchange():
    global buffered
    conn.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
    while b"\r\n\r\n" not in buffered:
        buffered += conn.recv(65536)
    head, buffered = buffered.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffered) < length:
        buffered += conn.recv(65536)
    buffered = buffered[length:]
    return int(head.split(b" ")[1])


exchange()
print("ready", flush=True)
sys.stdin.readline()
statuses = [exchange() for _ in range(n)]
print("done", len([s for s in statuses if s == 200]), flush=True)
