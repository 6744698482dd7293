package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/** Loads the real BPF programs and watches a real server and client. */
class KernelCaptureTest {

    @Test
    void seesBothSidesOfALoopbackRequestAndNotItself() throws Exception {
        RealParts.requireRoot();
        Path python = RealParts.requireBinary("python3");
        Path curl = RealParts.requireBinary("curl");
        int port = Ports.free();
        Process server = startFileServer(python, port, "hello.txt", "hello from the capture test\n");
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try (KernelCapture capture = KernelCapture.start(
                new CaptureConfig(1 << 22, 0, "", port), events::add)) {
            assertThat(capture.attachedPrograms()).isEqualTo(4); // receive, send, TCP state, TCP socket destroyed
            Ports.awaitListening(port, Duration.ofSeconds(10));
            Process client = new ProcessBuilder(curl.toString(), "-s", "-o", "/dev/null", "http://127.0.0.1:" + port + "/hello.txt")
                    .redirectErrorStream(true).start();
            assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // Our own socket traffic in this JVM must never show up, even on the watched port.
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("GET /self HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().read(new byte[512]);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && events.stream().filter(e -> e.kind() == SocketEvent.Kind.CLOSE).count() < 2) {
                capture.poll(100);
            }
            List<SocketEvent> seen = List.copyOf(events);
            assertThat(seen).noneMatch(e -> e.tgid() == ProcessHandle.current().pid());
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.OPEN_SERVER && e.comm().startsWith("python"));
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.OPEN_CLIENT && e.comm().equals("curl"));
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.EGRESS && e.comm().equals("curl")
                    && ascii(e).startsWith("GET /hello.txt HTTP/1.1"));
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.INGRESS && e.comm().startsWith("python")
                    && e.role() == SocketEvent.Role.SERVER && ascii(e).startsWith("GET /hello.txt"));
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.EGRESS && e.comm().startsWith("python")
                    && ascii(e).startsWith("HTTP/1.0 200"));
            // The server side of our own request is another process, so it is seen; our client side is not.
            assertThat(seen).anyMatch(e -> e.role() == SocketEvent.Role.SERVER && ascii(e).startsWith("GET /self"));
            assertThat(seen).noneMatch(e -> e.role() == SocketEvent.Role.CLIENT && ascii(e).contains("/self"));
            assertThat(capture.stats().ringBufferDrops()).isZero();
            assertThat(capture.malformedRecords()).isZero();
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * One client process reuses an fd number three ways: close then connect (the same number
     * again), and dup2 of another socket onto it (which closes the old socket without a close
     * syscall). Each connection starts with an OPEN_CLIENT when its first request is written, under the
     * fd that wrote it, and ends with exactly one CLOSE of its own generation, when its socket is
     * closed for good (not when one of two fds on it is).
     */
    @Test
    void aClosedOrReplacedFdEndsItsConnectionAndTheNumberStartsANewOne() throws Exception {
        String client = String.join("\n",
                "import os, socket, sys",
                "port = int(sys.argv[1])",
                "def ask(s, path):",
                "    s.sendall(('GET %s HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' % path).encode())",
                "    s.recv(4096)",
                "first = socket.create_connection(('127.0.0.1', port)); fd = first.fileno(); ask(first, '/one'); first.close()",
                "second = socket.create_connection(('127.0.0.1', port)); assert second.fileno() == fd; ask(second, '/two')",
                "third = socket.create_connection(('127.0.0.1', port))",
                "os.dup2(third.fileno(), fd)  # ends the second connection: no close syscall for it",
                "ask(second, '/three')  # fd now refers to the third socket",
                "second.close(); third.close()",
                "print(fd)");
        ClientRun run = runClient(client, 3);
        int fd = Integer.parseInt(run.output());
        List<SocketEvent> mine = run.events().stream().filter(e -> e.fd() == fd).toList();
        assertThat(shape(mine)).containsExactly(
                "OPEN_CLIENT", "EGRESS GET /one", "INGRESS HTTP/1.0 404", "CLOSE",
                "OPEN_CLIENT", "EGRESS GET /two", "INGRESS HTTP/1.0 404", "CLOSE",
                "OPEN_CLIENT", "EGRESS GET /three", "INGRESS HTTP/1.0 404", "CLOSE");
        // Three connections on one fd number: three generations, each closed once.
        assertThat(mine.get(0).generation()).isEqualTo(mine.get(3).generation());
        assertThat(mine.get(4).generation()).isEqualTo(mine.get(7).generation());
        assertThat(mine.get(8).generation()).isEqualTo(mine.get(11).generation());
        assertThat(List.of(mine.get(0).generation(), mine.get(4).generation(), mine.get(8).generation())).doesNotHaveDuplicates();
    }

    /**
     * A client that shuts its sending side after the request (HTTP/1.0 style) and reads the
     * response only after the server's FIN arrived: TCP has moved the socket to CLOSE by then, with
     * the response still queued. The connection must end after those bytes were read, not before.
     */
    @Test
    void aHalfClosedClientReadsItsResponseBeforeTheConnectionEnds() throws Exception {
        String client = String.join("\n",
                "import socket, sys, time",
                "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))",
                "s.sendall(b'GET /a.txt HTTP/1.0\\r\\n\\r\\n'); s.shutdown(socket.SHUT_WR)",
                "time.sleep(0.5)  # the response and the server's FIN arrive unread",
                "got = b''",
                "while True:",
                "    d = s.recv(65536)",
                "    if not d: break",
                "    got += d",
                "s.close(); print(len(got))");
        ClientRun run = runClient(client, 1);
        assertThat(shape(run.events())).containsExactly("OPEN_CLIENT", "EGRESS GET /a.txt", "INGRESS HTTP/1.0 200", "CLOSE");
        assertThat(run.events().get(2).totalLength()).isEqualTo(Long.parseLong(run.output())); // the whole response, in one read
        assertThat(run.events().stream().map(SocketEvent::generation).distinct()).hasSize(1);
    }

    /**
     * A connection opened before the agent started is picked up at its next HTTP message, with
     * the role that message implies; a connection speaking another protocol is given up in the
     * kernel after 16 events, counted once per socket, and never reaches user space.
     */
    @Test
    void anOlderConnectionIsPickedUpAtItsNextRequestAndAnotherProtocolIsGivenUp() throws Exception {
        RealParts.requireRoot();
        Path python = RealParts.requireBinary("python3");
        int port = Ports.free();
        // One process: a server answering each HTTP/1.1 request on a kept-alive connection (and
        // echoing anything else), and a client driven by lines on stdin.
        String script = String.join("\n",
                "import socket, sys, threading",
                "srv = socket.socket(); srv.bind(('127.0.0.1', int(sys.argv[1]))); srv.listen(8)",
                "def serve(c):",
                "    while True:",
                "        d = c.recv(4096)",
                "        if not d: c.close(); return",
                "        if d[:4] in (b'GET ', b'POST'):",
                "            c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok')",
                "        else: c.sendall(d)",
                "def accept():",
                "    while True: threading.Thread(target=serve, args=(srv.accept()[0],), daemon=True).start()",
                "threading.Thread(target=accept, daemon=True).start()",
                "def ask(s, message):",
                "    s.sendall(message)",
                "    return s.recv(4096)",
                "old = socket.create_connection(('127.0.0.1', srv.getsockname()[1]))",
                "ask(old, b'GET /before HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')",
                "print('ready', flush=True); sys.stdin.readline()",
                "ask(old, b'POST /after HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\n\\r\\n\\x00\\x01\\x02\\x03')",
                "other = socket.create_connection(('127.0.0.1', srv.getsockname()[1]))",
                "for i in range(20): ask(other, b'\\x16\\x03\\x01 not http %d' % i)",
                "old.close(); other.close(); print('done', flush=True)");
        Process p = new ProcessBuilder(python.toString(), "-c", script, String.valueOf(port)).redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            assertThat(lines.readLine()).isEqualTo("ready");
            ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
            try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, (int) p.pid(), "", 0), events::add)) {
                p.getOutputStream().write('\n');
                p.getOutputStream().flush();
                assertThat(lines.readLine()).isEqualTo("done");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline && events.stream().filter(e -> e.kind() == SocketEvent.Kind.CLOSE).count() < 2) {
                    capture.poll(100);
                }
                capture.poll(100);
                List<SocketEvent> seen = List.copyOf(events);
                List<String> client = seen.stream().filter(e -> e.role() == SocketEvent.Role.CLIENT)
                        .map(e -> e.kind() + (e.capturedLength() > 0 ? " " + e.capturedLength() : "")).toList();
                List<String> server = seen.stream().filter(e -> e.role() == SocketEvent.Role.SERVER)
                        .map(e -> e.kind() + (e.capturedLength() > 0 ? " " + e.capturedLength() : "")).toList();
                // The POST (head and 4-byte body) and its response; nothing of the GET before the agent.
                assertThat(client).containsExactly("OPEN_CLIENT", "EGRESS 56", "INGRESS 40", "CLOSE");
                assertThat(server).containsExactly("OPEN_SERVER", "INGRESS 56", "EGRESS 40", "CLOSE");
                assertThat(seen).noneMatch(e -> e.capturedLength() > 0 && ascii(e).contains("not http"));
                assertThat(capture.stats().notHttpConnections()).isEqualTo(2); // the other connection's two sockets
                assertThat(capture.stats().ringBufferDrops()).isZero();
            }
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The event consumer (in the agent: parse, classify, record) throws on some events: each one is
     * counted, exactly, and every later event is still delivered, in order.
     */
    @Test
    void anExceptionInTheConsumerIsCountedAndCaptureGoesOn() throws Exception {
        String client = String.join("\n",
                "import socket, sys",
                "for path in ('/one', '/two', '/three'):",
                "    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))",
                "    s.sendall(('GET %s HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' % path).encode()); s.recv(4096); s.close()",
                "print('ok')");
        AtomicInteger thrown = new AtomicInteger();
        // Throws on each connection's open and on its request: two of the four events of each.
        ClientRun run = runClient(client, 3, e -> {
            if (e.kind() == SocketEvent.Kind.OPEN_CLIENT || e.kind() == SocketEvent.Kind.EGRESS && e.role() == SocketEvent.Role.CLIENT) {
                thrown.incrementAndGet();
                throw new IllegalStateException("test: the consumer fails on " + e.kind());
            }
        });
        assertThat(shape(run.events())).containsExactly(
                "OPEN_CLIENT", "EGRESS GET /one", "INGRESS HTTP/1.0 404", "CLOSE",
                "OPEN_CLIENT", "EGRESS GET /two", "INGRESS HTTP/1.0 404", "CLOSE",
                "OPEN_CLIENT", "EGRESS GET /three", "INGRESS HTTP/1.0 404", "CLOSE");
        assertThat(thrown.get()).isEqualTo(6);
        assertThat(run.internalErrors()).isEqualTo(thrown.get());
    }

    /** What a python client printed, the events of its process, and the consumer's errors counted. */
    private record ClientRun(String output, List<SocketEvent> events, long internalErrors) {}

    private static ClientRun runClient(String client, int closes) throws Exception {
        return runClient(client, closes, e -> {});
    }

    /**
     * Runs a python client (its argv[1]: the port) against a file server that serves /a.txt, with the
     * capture following that port, until the client's process has closed {@code closes} connections.
     * Each event is recorded, then given to {@code consumer}.
     */
    private static ClientRun runClient(String client, int closes, Consumer<SocketEvent> consumer) throws Exception {
        RealParts.requireRoot();
        Path python = RealParts.requireBinary("python3");
        int port = Ports.free();
        Process server = startFileServer(python, port, "a.txt", "a\n");
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        Consumer<SocketEvent> sink = e -> {
            events.add(e);
            consumer.accept(e);
        };
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port), sink)) {
            Ports.awaitListening(port, Duration.ofSeconds(10));
            Process p = new ProcessBuilder(python.toString(), "-c", client, String.valueOf(port)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            long pid = p.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline
                    && events.stream().filter(e -> e.tgid() == pid && e.kind() == SocketEvent.Kind.CLOSE).count() < closes) {
                capture.poll(100);
            }
            capture.poll(100);
            return new ClientRun(out, events.stream().filter(e -> e.tgid() == pid).toList(), capture.internalErrors());
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Each event as its kind and, when it carries bytes, their first two words. */
    private static List<String> shape(List<SocketEvent> events) {
        return events.stream().map(e -> e.kind() + (e.capturedLength() > 0 ? " " + firstTwoWords(e) : "")).toList();
    }

    /** python3 -m http.server on 127.0.0.1:port, serving one file from a fresh directory. */
    private static Process startFileServer(Path python, int port, String file, String content) throws IOException {
        Path root = Files.createTempDirectory("capture-test");
        Files.writeString(root.resolve(file), content);
        return new ProcessBuilder(python.toString(), "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(port))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstTwoWords(SocketEvent e) {
        String[] words = ascii(e).split("[ \r\n]", 3);
        return words[0] + " " + words[1];
    }

    private static String ascii(SocketEvent e) {
        return new String(e.data(), 0, e.capturedLength(), StandardCharsets.ISO_8859_1);
    }
}
