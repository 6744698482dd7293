"""A gRPC server or client with raw-bytes generic handlers (Debian's python3-grpcio, no codegen).

usage: grpc_peer.py server            prints "port N", serves until stdin closes
       grpc_peer.py client PORT       one channel (one HTTP/2 connection); reads commands from stdin,
                                      prints "ok <command>" after each, exits at EOF
Server methods under /test.Svc/: Unary and Fresh answer b"ok" + the request, or abort with the status
named by the request (b"NOT_FOUND"...); Stream sends N messages DELAY ms apart (request b"N,DELAY");
Slow sleeps 2 s; Big answers one message of N bytes (request b"N").
Client commands: "unary METHOD CODE N" (N sequential calls), "concurrent N [CODE...]" (N calls in flight at once
on the channel, their codes cycling through CODE..., OK by default), "stream N DELAY", "cancel" (a Slow call cancelled after 300 ms), "big N".
"""
import sys
import threading
import time
from concurrent import futures

import grpc


def unary(request, context):
    code = request.decode()
    if code != "OK" and hasattr(grpc.StatusCode, code):
        context.abort(getattr(grpc.StatusCode, code), "secret detail " + code)
    return b"ok" + request


def stream(request, context):
    n, delay = (int(x) for x in request.decode().split(","))
    for i in range(n):
        time.sleep(delay / 1000.0)
        yield b"part%d" % i


def slow(request, context):
    time.sleep(2)
    return b"late"


def big(request, context):
    return b"x" * int(request.decode())


def identity(b):
    return b


def serve():
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary, identity, identity),
        "Fresh": grpc.unary_unary_rpc_method_handler(unary, identity, identity),
        "Slow": grpc.unary_unary_rpc_method_handler(slow, identity, identity),
        "Big": grpc.unary_unary_rpc_method_handler(big, identity, identity),
        "Stream": grpc.unary_stream_rpc_method_handler(stream, identity, identity),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=128),
                         options=[("grpc.max_send_message_length", 64 << 20)])
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Svc", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("port", port, flush=True)
    sys.stdin.read()
    server.stop(0)


def client(port):
    channel = grpc.insecure_channel("127.0.0.1:%d" % port, options=[("grpc.max_receive_message_length", 64 << 20)])
    calls = {m: channel.unary_unary("/test.Svc/" + m, identity, identity) for m in ("Unary", "Fresh", "Slow", "Big")}
    streaming = channel.unary_stream("/test.Svc/Stream", identity, identity)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd = words[0]
        if cmd == "unary":
            method, code, n = words[1], words[2], int(words[3])
            for _ in range(n):
                try:
                    calls[method](code.encode(), timeout=10)
                except grpc.RpcError as e:
                    assert e.code().name == code, (e.code(), code)
        elif cmd == "concurrent":
            codes = words[2:] or ["OK"]
            pending = [(codes[i % len(codes)], calls["Unary"].future(codes[i % len(codes)].encode(), timeout=20))
                       for i in range(int(words[1]))]
            for code, f in pending:
                e = f.exception()
                assert (e.code().name if e else "OK") == code, (e, code)
        elif cmd == "stream":
            got = list(streaming(("%s,%s" % (words[1], words[2])).encode(), timeout=20))
            assert len(got) == int(words[1])
        elif cmd == "cancel":
            f = calls["Slow"].future(b"", timeout=10)
            time.sleep(0.3)
            f.cancel()
        elif cmd == "big":
            assert len(calls["Big"](words[1].encode(), timeout=20)) == int(words[1])
        print("ok", line.strip(), flush=True)
    channel.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        serve()
    else:
        client(int(sys.argv[2]))
