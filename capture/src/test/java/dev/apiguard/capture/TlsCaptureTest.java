package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS plaintext from uprobes on the system libssl, joined to the sockets it runs on: a Python
 * {@code ssl} server (Debian's python3, libssl.so.3) started after the agent, and curl (libssl)
 * as its client, over real sockets with real BPF.
 */
class TlsCaptureTest {
    static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

    /** A keep-alive HTTP/1.1 server over TLS: /small answers a silent failure, /big 300000 bytes. */
    static final String SERVER = String.join("\n",
            "import http.server, ssl, sys",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    protocol_version = 'HTTP/1.1'",
            "    def do_GET(self):",
            "        body = b'x' * 300000 if self.path == '/big' else b'{\"ok\":false,\"error\":\"denied\"}'",
            "        self.send_response(200); self.send_header('Content-Type', 'application/json')",
            "        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)",
            "    def log_message(self, *a): pass",
            "srv = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[2], sys.argv[3])",
            "srv.socket = ctx.wrap_socket(srv.socket, server_side=True)",
            "print('ready', flush=True)",
            "srv.serve_forever()");

    static Path[] selfSignedCertificate(Path dir) throws Exception {
        Path openssl = RealParts.requireBinary("openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new Path[] {cert, key};
    }

    static Process startServer(Path dir, int port) throws Exception {
        RealParts.require(Files.isExecutable(SYSTEM_PYTHON), "Debian's /usr/bin/python3");
        Path[] pem = selfSignedCertificate(dir);
        Process server = new ProcessBuilder(SYSTEM_PYTHON.toString(), "-c", SERVER, String.valueOf(port), pem[0].toString(), pem[1].toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(out.readLine()).isEqualTo("ready");
        Ports.awaitListening(port, Duration.ofSeconds(10));
        return server;
    }

    @Test
    void curlAgainstAPythonTlsServerIsSeenAsPlaintextOnBothSidesAndItsCiphertextNever(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path curl = RealParts.requireBinary("curl");
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            TlsStats tls = capture.tlsStats();
            assertThat(tls.enabled()).isTrue();
            assertThat(tls.attached()).anyMatch(a -> a.startsWith("OpenSSL 3 ") && a.contains("libssl.so.3")
                    && a.contains("SSL_read, SSL_write, SSL_read_ex, SSL_write_ex"));
            assertThat(capture.tlsProbes()).isGreaterThanOrEqualTo(8);
            assertThat(bpftoolPerf()).contains("pid " + ProcessHandle.current().pid() + " ").contains("uprobe");
            // The server starts after the agent; the same connection carries three requests.
            Process server = startServer(dir, port);
            try {
                String url = "https://127.0.0.1:" + port;
                Process client = new ProcessBuilder(curl.toString(), "-sk", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                        url + "/small", url + "/big", url + "/small").redirectErrorStream(true).start();
                assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(client.exitValue()).isZero();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && count(events, e -> e.kind() == SocketEvent.Kind.CLOSE) < 2) {
                    capture.poll(100);
                }
                capture.poll(100);
            } finally {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            List<SocketEvent> seen = List.copyOf(events);
            List<SocketEvent> client = seen.stream().filter(e -> e.comm().equals("curl")).toList();
            List<SocketEvent> srv = seen.stream().filter(e -> e.comm().startsWith("python")).toList();
            assertThat(client.size() + srv.size()).isEqualTo(seen.size());
            // Every event is TLS plaintext: no ciphertext, no second (socket-level) connection.
            assertThat(seen).allMatch(SocketEvent::tls);
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.OPEN_CLIENT)).isEqualTo(1);
            assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.CLOSE)).isEqualTo(1);
            assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.CLOSE)).isEqualTo(1);
            assertThat(client.stream().map(SocketEvent::generation).distinct()).hasSize(1);
            assertThat(srv.stream().map(SocketEvent::generation).distinct()).hasSize(1);
            assertThat(client).allMatch(e -> e.role() == SocketEvent.Role.CLIENT && e.remotePort() == port);
            assertThat(srv).allMatch(e -> e.role() == SocketEvent.Role.SERVER && e.localPort() == port);
            // Three requests written by curl and read by the server, three responses the other way.
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
            assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
            assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
            // Byte for byte: what one side wrote in plaintext, the other read.
            assertThat(bytes(client, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(srv, SocketEvent.Kind.INGRESS));
            assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS));
            assertThat(bytes(client, SocketEvent.Kind.INGRESS)).isGreaterThan(300000);
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.INGRESS && e.comm().equals("curl")
                    && ascii(e).contains("{\"ok\":false,\"error\":\"denied\"}"));
            assertThat(capture.stats().ringBufferDrops()).isZero();
            assertThat(capture.malformedRecords()).isZero();
        }
        // Closed: none of our uprobes is left.
        assertThat(bpftoolPerf()).doesNotContain("pid " + ProcessHandle.current().pid() + " ");
    }

    /** gnutls-cli (libgnutls.so.30: gnutls_record_send/recv) against the Python ssl server. */
    @Test
    void gnutlsCliIsSeenAsPlaintext(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path gnutlsCli = RealParts.requireBinary("gnutls-cli");
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            assertThat(capture.tlsStats().attached()).anyMatch(a -> a.startsWith("GnuTLS 30 ") && a.contains("libgnutls.so.30")
                    && a.contains("gnutls_record_recv, gnutls_record_send"));
            Process server = startServer(dir, port);
            try {
                // The request on stdin, then a second for the response to arrive before stdin ends.
                Path request = dir.resolve("request.txt");
                Files.writeString(request, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                Process client = new ProcessBuilder("bash", "-c", "(cat " + request + "; sleep 1) | " + gnutlsCli
                        + " --insecure -p " + port + " 127.0.0.1").redirectErrorStream(true).start();
                String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(out).contains("{\"ok\":false,\"error\":\"denied\"}");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && count(events, e -> e.kind() == SocketEvent.Kind.CLOSE) < 2) {
                    capture.poll(100);
                }
                capture.poll(100);
            } finally {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("gnutls-cli")).toList();
            assertThat(client).isNotEmpty().allMatch(SocketEvent::tls).allMatch(e -> e.role() == SocketEvent.Role.CLIENT);
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.OPEN_CLIENT)).isEqualTo(1);
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("GET /small HTTP/1.1"))).isEqualTo(1);
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(1);
            assertThat(count(client, e -> e.kind() == SocketEvent.Kind.CLOSE)).isEqualTo(1);
            assertThat(bytes(client, SocketEvent.Kind.EGRESS)).isEqualTo(32); // the request, byte for byte
            List<SocketEvent> srv = events.stream().filter(e -> e.comm().startsWith("python")).toList();
            assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(32);
            assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS));
            assertThat(events).allMatch(SocketEvent::tls);
        }
    }

    /**
     * Node.js (OpenSSL linked into the executable): its probes are attached through the running
     * process's executable. Node's TLS does its socket I/O outside SSL_read/SSL_write (memory BIOs):
     * its sessions are joined to the thread's last socket read. Both sides are seen in full, once.
     */
    @Test
    void nodeHttpsServerIsSeenThroughItsExecutable(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path node = RealParts.requireBinary("node");
        Path curl = RealParts.requireBinary("curl");
        Path[] pem = selfSignedCertificate(dir);
        int port = Ports.free();
        String script = "const fs=require('fs');require('https').createServer({cert:fs.readFileSync(process.argv[2]),"
                + "key:fs.readFileSync(process.argv[3])},(q,r)=>{r.setHeader('Content-Type','application/json');"
                + "r.end('{\"ok\":false}');}).listen(+process.argv[1],'127.0.0.1',()=>console.log('ready'));";
        Process server = new ProcessBuilder(node.toString(), "-e", script, String.valueOf(port), pem[0].toString(), pem[1].toString())
                .redirectErrorStream(true).start();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(out.readLine()).isEqualTo("ready");
            try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
                assertThat(capture.tlsStats().attached()).anyMatch(a -> a.startsWith("OpenSSL statically linked in node ")
                        && a.contains("SSL_read, SSL_write, SSL_read_ex, SSL_write_ex"));
                Process client = new ProcessBuilder(curl.toString(), "-sk", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                        "https://127.0.0.1:" + port + "/a", "https://127.0.0.1:" + port + "/b", "https://127.0.0.1:" + port + "/c")
                        .redirectErrorStream(true).start();
                assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && count(events, e -> e.kind() == SocketEvent.Kind.CLOSE) < 1) {
                    capture.poll(100);
                }
                Thread.sleep(200);
                capture.poll(100);
            }
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("curl")).toList();
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().equals("node")).toList();
        assertThat(client.size() + srv.size()).isEqualTo(events.size());
        assertThat(events).allMatch(SocketEvent::tls);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
        assertThat(srv).allMatch(e -> e.role() == SocketEvent.Role.SERVER && e.localPort() == port);
        assertThat(srv.stream().map(SocketEvent::generation).distinct()).hasSize(1);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.EGRESS));
        assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS));
    }

    /**
     * A Go HTTPS server (crypto/tls, built with Debian's go 1.19) started after the agent: found by the
     * /proc rescan, probed at the entry and at every RET of (*Conn).Read/Write, with calls keyed by
     * goroutine. Both sides are seen in full, once.
     */
    @Test
    void goHttpsServerStartedAfterTheAgentIsSeen(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path curl = RealParts.requireBinary("curl");
        Path binary = GoTls.buildServer(dir);
        Path[] pem = selfSignedCertificate(dir);
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        Process server = null;
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            server = new ProcessBuilder(binary.toString(), String.valueOf(port), pem[0].toString(), pem[1].toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(out.readLine()).isEqualTo("ready");
            Ports.awaitListening(port, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && capture.tlsStats().attached().stream().noneMatch(a -> a.startsWith("Go crypto/tls"))) {
                capture.poll(100);
            }
            assertThat(capture.tlsStats().attached()).anyMatch(a -> a.startsWith("Go crypto/tls " + binary)
                    && a.contains("crypto/tls.(*Conn).Read (") && a.contains("crypto/tls.(*Conn).Write ("));
            Process client = new ProcessBuilder(curl.toString(), "-sk", "--http1.1", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                    "https://127.0.0.1:" + port + "/a", "https://127.0.0.1:" + port + "/b", "https://127.0.0.1:" + port + "/c")
                    .redirectErrorStream(true).start();
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && count(events, e -> e.kind() == SocketEvent.Kind.CLOSE) < 1) {
                capture.poll(100);
            }
            Thread.sleep(200);
            capture.poll(100);
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }
        List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("curl")).toList();
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().equals("gotls")).toList();
        assertThat(client.size() + srv.size()).isEqualTo(events.size());
        assertThat(events).allMatch(SocketEvent::tls);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
        assertThat(srv).allMatch(e -> e.role() == SocketEvent.Role.SERVER && e.localPort() == port);
        assertThat(srv.stream().map(SocketEvent::generation).distinct()).hasSize(1);
        // Go's server reads a kept-alive connection's next byte alone (its background read): count
        // requests in the stream, not per event.
        String requests = srv.stream().filter(e -> e.kind() == SocketEvent.Kind.INGRESS).map(TlsCaptureTest::ascii)
                .reduce("", String::concat);
        assertThat(requests.split("GET /", -1)).hasSize(4);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
        assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.EGRESS));
        assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS));
    }

    /** A stripped Go binary (no .symtab) run twice is reported once, with its reason, and counted once. */
    @Test
    void aStrippedGoBinaryIsReportedOnceAndCounted(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path binary = GoTls.buildServer(dir, "gostripped", true);
        Path[] pem = selfSignedCertificate(dir);
        List<Process> servers = new java.util.ArrayList<>();
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", Ports.free(), 0, true), e -> {})) {
            long before = capture.tlsStats().strippedGoBinaries();
            for (int i = 0; i < 2; i++) {
                Process p = new ProcessBuilder(binary.toString(), String.valueOf(Ports.free()), pem[0].toString(), pem[1].toString())
                        .redirectErrorStream(true).start();
                servers.add(p);
                assertThat(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine())
                        .isEqualTo("ready");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && capture.tlsStats().strippedGoBinaries() == before) {
                capture.poll(100);
            }
            Thread.sleep(2500); // one more rescan: the second process must not count again
            capture.poll(100);
            assertThat(capture.tlsStats().strippedGoBinaries()).isEqualTo(before + 1);
            assertThat(capture.tlsStats().skipped().stream().filter(s -> s.startsWith(binary + ":")))
                    .containsExactly(binary + ": stripped Go binary (no .symtab): its crypto/tls cannot be located");
            assertThat(capture.tlsStats().attached()).noneMatch(a -> a.contains(binary.toString()));
        } finally {
            for (Process p : servers) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** With TLS capture on, plain HTTP/1.x is reported exactly as before, never flagged TLS. */
    @Test
    void plainHttpIsUnchangedWithTlsCaptureOn(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path curl = RealParts.requireBinary("curl");
        RealParts.require(Files.isExecutable(SYSTEM_PYTHON), "Debian's /usr/bin/python3");
        Files.writeString(dir.resolve("a.txt"), "plain\n");
        int port = Ports.free();
        Process server = new ProcessBuilder(SYSTEM_PYTHON.toString(), "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            Ports.awaitListening(port, Duration.ofSeconds(10));
            Process client = new ProcessBuilder(curl.toString(), "-s", "-o", "/dev/null", "http://127.0.0.1:" + port + "/a.txt")
                    .redirectErrorStream(true).start();
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && count(events, e -> e.kind() == SocketEvent.Kind.CLOSE) < 2) {
                capture.poll(100);
            }
            capture.poll(100);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        List<String> curlShape = events.stream().filter(e -> e.comm().equals("curl"))
                .map(e -> e.kind() + (e.capturedLength() > 0 ? " " + ascii(e).split(" ")[0] : "")).toList();
        // The body may come in its own read: the shape is fixed up to the response's start.
        assertThat(curlShape.subList(0, 3)).containsExactly("OPEN_CLIENT", "EGRESS GET", "INGRESS HTTP/1.0");
        assertThat(curlShape.getLast()).isEqualTo("CLOSE");
        assertThat(curlShape.stream().filter(k -> k.startsWith("OPEN") || k.equals("CLOSE"))).hasSize(2);
        List<SocketEvent> curlEvents = events.stream().filter(e -> e.comm().equals("curl")).toList();
        List<SocketEvent> serverEvents = events.stream().filter(e -> e.comm().startsWith("python")).toList();
        assertThat(bytes(curlEvents, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(serverEvents, SocketEvent.Kind.EGRESS));
        assertThat(bytes(curlEvents, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(serverEvents, SocketEvent.Kind.INGRESS));
        assertThat(count(events, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
        assertThat(events).noneMatch(SocketEvent::tls);
    }

    static String bpftoolPerf() throws IOException, InterruptedException {
        Path bpftool = RealParts.requireBinary("bpftool");
        Process p = new ProcessBuilder(bpftool.toString(), "perf", "show").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static long count(java.util.Collection<SocketEvent> events, Predicate<SocketEvent> p) {
        return events.stream().filter(p).count();
    }

    static long bytes(List<SocketEvent> events, SocketEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).mapToLong(SocketEvent::totalLength).sum();
    }

    static String ascii(SocketEvent e) {
        return new String(e.data(), 0, e.capturedLength(), StandardCharsets.ISO_8859_1);
    }
}
