"""An HTTP/2 client and server in one process, on one connection, whose syscalls split frames at
awkward places: the client's first write ends inside a frame header, the server reads its frames 5
bytes at a time, and the client reads 777 bytes at a time a response of 100 kB over 7 DATA frames plus
trailers (the NOT_FOUND calls' trailers in a write of their own). gRPC-shaped calls /p.S/Split, grpc-status 0 and 5 (NOT_FOUND) alternating.
  h2_split_peer.py PORT N    (prints "done" when the N calls were answered)
HPACK: literal fields without indexing and new names only, so no table state is needed."""
import socket
import struct
import sys
import threading

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def block(*pairs):
    out = b""
    for name, value in pairs:
        out += b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value
    return out


def read_frame(conn, chunk):
    def exact(n):
        data = b""
        while len(data) < n:
            got = conn.recv(min(chunk, n - len(data)))
            if not got:
                raise EOFError
            data += got
        return data
    header = exact(9)
    length = struct.unpack(">I", b"\0" + header[:3])[0]
    return header[3], header[4], struct.unpack(">I", header[5:9])[0] & 0x7FFFFFFF, exact(length)


def serve(listener):
    conn, _ = listener.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with conn:
        data = b""
        while len(data) < len(PREFACE):  # the preface in one read, as servers do (the kernel recognises it so)
            data += conn.recv(len(PREFACE) - len(data))
        conn.sendall(frame(4, 0, 0))
        n = 0
        try:
            while True:
                ftype, flags, stream, _ = read_frame(conn, 5)
                if ftype == 1:
                    code = b"0" if n % 2 == 0 else b"5"
                    n += 1
                    body = b"x" * 100000
                    message = b"\x00" + struct.pack(">I", len(body)) + body
                    out = frame(1, 0x4, stream, block((b":status", b"200"), (b"content-type", b"application/grpc")))
                    for i in range(0, len(message), 16384):
                        out += frame(0, 0, stream, message[i:i + 16384])
                    trailers = frame(1, 0x5, stream, block((b"grpc-status", code)))
                    if code == b"5":  # every other call's trailers go in a write of their own
                        conn.sendall(out)
                        conn.sendall(trailers)
                    else:
                        conn.sendall(out + trailers)
                elif ftype == 4 and not flags & 1:
                    conn.sendall(frame(4, 1, 0))
                elif ftype == 7:
                    return
        except EOFError:
            return


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1)
    server = threading.Thread(target=serve, args=(listener,), daemon=True)
    server.start()
    client = socket.create_connection(("127.0.0.1", listener.getsockname()[1]))
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(n):
        stream = 2 * i + 1
        request = frame(1, 0x5, stream, block((b":method", b"POST"), (b":path", b"/p.S/Split"),
                                              (b"content-type", b"application/grpc")))
        if i == 0:
            first = PREFACE + frame(4, 0, 0) + request[:4]
            client.sendall(first)  # ends inside the HEADERS frame header
            threading.Event().wait(0.05)
            client.sendall(request[4:])
        else:
            client.sendall(request)
        while True:
            ftype, flags, got, _ = read_frame(client, 777)
            if ftype == 1 and got == stream and flags & 1:
                break
    client.sendall(frame(7, 0, 0, struct.pack(">II", 0, 0)))
    client.close()
    server.join(5)
    print("done", flush=True)


if __name__ == "__main__":
    main()
