package dev.apiguard.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP/1.1 backend on 127.0.0.1 that keeps the raw bytes of every request head and body it
 * receives, so a security test can assert what reached the backend byte for byte. It frames
 * requests by Content-Length or chunked encoding, answers each with {@code responder}, and keeps the
 * connection open unless the responder's answer says {@code Connection: close}. Each connection runs
 * on its own virtual thread.
 *
 * <p>{@link #startEarly} answers each request right after its head, before reading its body (as a
 * backend refusing an upload does). A responder returning null drops the connection unanswered
 * ({@link #dropNth} does that to the nth request of every connection, like a backend closing
 * keep-alive connections).
 */
final class RawBackend implements AutoCloseable {

    /** One request as received: its head (request line and headers, CRLFs included) and body. */
    record Received(int connection, String head, byte[] body) {
        String requestLine() {
            int end = head.indexOf("\r\n");
            return end < 0 ? head : head.substring(0, end);
        }

        String target() {
            String[] parts = requestLine().split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        /** Every value of the header {@code name} (case-insensitive), in order. */
        List<String> header(String name) {
            List<String> values = new ArrayList<>();
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    values.add(line.substring(prefix.length()).trim());
                }
            }
            return values;
        }
    }

    /** Answers 200 with a small JSON body. */
    static final Function<Received, byte[]> OK = r -> response(200, "{\"ok\":true}");

    private final ServerSocket server;
    private final Function<Received, byte[]> responder;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final boolean early;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private volatile int connections;

    private RawBackend(ServerSocket server, Function<Received, byte[]> responder, boolean early) {
        this.server = server;
        this.responder = responder;
        this.early = early;
    }

    static RawBackend start(Function<Received, byte[]> responder) {
        return start(responder, false);
    }

    /** Answers each request after its head, before reading its body (the body is read afterwards). */
    static RawBackend startEarly(Function<Received, byte[]> responder) {
        return start(responder, true);
    }

    /**
     * Answers with {@code responder} but drops the connection, unanswered, at its {@code n}th request
     * (1-based): the request was read, nothing comes back.
     */
    static Function<Received, byte[]> dropNth(int n, Function<Received, byte[]> responder) {
        Map<Integer, AtomicInteger> perConnection = new ConcurrentHashMap<>();
        return r -> perConnection.computeIfAbsent(r.connection(), c -> new AtomicInteger()).incrementAndGet() == n
                ? null : responder.apply(r);
    }

    private static RawBackend start(Function<Received, byte[]> responder, boolean early) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            RawBackend backend = new RawBackend(server, responder, early);
            backend.threads.submit(backend::acceptLoop);
            return backend;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the raw backend: " + e.getMessage(), e);
        }
    }

    static byte[] response(int status, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests received so far, in arrival order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** Connections accepted so far. */
    int connections() {
        return connections;
    }

    /** Connections open now. */
    int openConnections() {
        return open.get();
    }

    /** The most connections that were open at once. */
    int peakOpenConnections() {
        return peakOpen.get();
    }

    /** Requests received so far whose target starts with {@code prefix}. */
    long count(String method, String prefix) {
        return received.stream().filter(r -> r.requestLine().startsWith(method + " " + prefix)).count();
    }

    private void acceptLoop() {
        int n = 0;
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                connections++;
                peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                int id = n++;
                threads.submit(() -> serve(id, s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(int id, Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                byte[] answer;
                if (early) {
                    Received r = new Received(id, head, new byte[0]);
                    received.add(r);
                    answer = responder.apply(r);
                    if (answer != null) {
                        out.write(answer);
                        out.flush();
                    }
                    readBody(in, head);
                } else {
                    byte[] body = readBody(in, head);
                    Received r = new Received(id, head, body);
                    received.add(r);
                    answer = responder.apply(r);
                }
                if (answer == null) {
                    return; // the responder asks to drop the connection without an answer
                }
                if (!early) {
                    out.write(answer);
                    out.flush();
                }
                if (new String(answer, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                        .contains("\r\nconnection: close\r\n")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away: nothing to record
        } finally {
            open.decrementAndGet();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 65536) {
                throw new IOException("request head too long");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        Received probe = new Received(-1, head, new byte[0]);
        List<String> te = probe.header("transfer-encoding");
        if (!te.isEmpty() && te.getLast().toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(in, size));
                readLine(in);
            }
        }
        List<String> cl = probe.header("content-length");
        if (cl.isEmpty()) {
            return new byte[0];
        }
        return readExactly(in, Integer.parseInt(cl.getFirst()));
    }

    /** A body cut short is no request: the connection ends without recording it. */
    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("connection closed inside a body");
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed inside a chunked body");
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
        threads.shutdownNow();
    }
}
