"""A minimal HTTP/1.1 server that accepts "Upgrade: h2c" (RFC 7540 3.2) and answers every stream
with the same small JSON body, for tests that drive it with curl --http2. Prints "port N", serves
until stdin closes. Stream 1 (the upgraded request) is answered right after the 101; later
streams when their HEADERS arrive (their header blocks are not decoded: the answer is fixed)."""
import socket
import struct
import sys
import threading

BODY = b'{"ok":true}\n'


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def response(stream):
    # :status 200 (static index 8), content-type (static name 31) literal without indexing.
    block = b"\x88" + b"\x0f\x10" + bytes([len(b"application/json")]) + b"application/json"
    return frame(1, 0x4, stream, block) + frame(0, 0x1, stream, BODY)


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve_conn(conn):
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        if b"upgrade: h2c" not in request.lower():
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            return
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                     + frame(4, 0, 0) + response(1))
        if recv_exact(conn, 24) is None:  # the client's preface
            return
        answered = {1}
        while True:
            header = recv_exact(conn, 9)
            if header is None:
                return
            length = struct.unpack(">I", b"\0" + header[:3])[0]
            ftype, flags = header[3], header[4]
            stream = struct.unpack(">I", header[5:9])[0] & 0x7FFFFFFF
            if recv_exact(conn, length) is None:
                return
            if ftype == 4 and not flags & 0x1:
                conn.sendall(frame(4, 0x1, 0))
            elif ftype == 1 and stream not in answered:
                answered.add(stream)
                conn.sendall(response(stream))
            elif ftype == 7:
                return


def main():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print("port", server.getsockname()[1], flush=True)

    def accept():
        while True:
            conn, _ = server.accept()
            threading.Thread(target=serve_conn, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    sys.stdin.read()


if __name__ == "__main__":
    main()
