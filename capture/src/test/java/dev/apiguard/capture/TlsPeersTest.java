package dev.apiguard.capture;

import static dev.apiguard.capture.TlsCaptureTest.ascii;
import static dev.apiguard.capture.TlsCaptureTest.bytes;
import static dev.apiguard.capture.TlsCaptureTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More TLS peers and cases with real BPF: a server in its own mount namespace whose libssl exists
 * only there, nginx with TLS and sendfile, a Go net/http TLS client, a binary exec'd by a process
 * the agent had already scanned, and the agent's own HTTPS (never reported).
 */
class TlsPeersTest {
    static final Path SYSTEM_LIBSSL = Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3");

    /**
     * A Python ssl server in a private mount namespace where libssl.so.3 is a bind-mounted copy (a
     * different file: the agent's own namespace never sees it at that path). Found through
     * /proc/PID/root after the agent started, attached once, and seen exactly.
     */
    @Test
    void aServerInAnotherMountNamespaceIsAttachedThroughItsRoot(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path unshare = RealParts.requireBinary("unshare");
        Path curl = RealParts.requireBinary("curl");
        RealParts.require(Files.isRegularFile(SYSTEM_LIBSSL), SYSTEM_LIBSSL.toString());
        Path copy = Files.copy(SYSTEM_LIBSSL, dir.resolve("libssl.so.3"), StandardCopyOption.COPY_ATTRIBUTES);
        assertThat(Files.isSameFile(copy, SYSTEM_LIBSSL)).isFalse();
        Path[] pem = TlsCaptureTest.selfSignedCertificate(dir);
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        Process server = null;
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            long systemCopies = capture.tlsStats().attached().stream().filter(a -> a.contains("libssl.so.3")).count();
            int probes = capture.tlsProbes();
            server = new ProcessBuilder(unshare.toString(), "--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \"$0\" \"$1\" && exec \"$2\" -c \"$3\" \"$4\" \"$5\" \"$6\"", copy.toString(), SYSTEM_LIBSSL.toString(),
                    TlsCaptureTest.SYSTEM_PYTHON.toString(), TlsCaptureTest.SERVER, String.valueOf(port), pem[0].toString(), pem[1].toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(out.readLine()).isEqualTo("ready");
            Ports.awaitListening(port, Duration.ofSeconds(10));
            String namespaced = SYSTEM_LIBSSL + " (mount namespace of pid " + server.pid() + ")";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && capture.tlsStats().attached().stream().noneMatch(a -> a.contains(namespaced))) {
                capture.poll(100);
            }
            assertThat(capture.tlsStats().attached().stream().filter(a -> a.contains(namespaced)))
                    .containsExactly("OpenSSL 3 " + namespaced + " (SSL_read, SSL_write, SSL_read_ex, SSL_write_ex)");
            assertThat(capture.tlsStats().attached().stream().filter(a -> a.contains("libssl.so.3")).count()).isEqualTo(systemCopies + 1);
            assertThat(capture.tlsProbes()).isEqualTo(probes + 8);
            String url = "https://127.0.0.1:" + port;
            Process client = new ProcessBuilder(curl.toString(), "-sk", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                    url + "/small", url + "/big", url + "/small").redirectErrorStream(true).start();
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).isZero();
            awaitCloses(capture, events, 2);
        } finally {
            stop(server);
        }
        List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("curl")).toList();
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().startsWith("python")).toList();
        assertThat(client.size() + srv.size()).isEqualTo(events.size());
        assertThat(events).allMatch(SocketEvent::tls);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.CLOSE)).isEqualTo(1);
        assertThat(srv).allMatch(e -> e.role() == SocketEvent.Role.SERVER && e.localPort() == port);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.EGRESS));
        assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS)).isGreaterThan(300000);
    }

    /**
     * nginx with TLS, sendfile on (nginx falls back to SSL_write for TLS without kTLS), a 300000-byte
     * static file and a silent failure, over one kept-alive curl connection: every byte on both
     * sides, once, all plaintext.
     */
    @Test
    void nginxWithTlsAndSendfileIsSeenExactly(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path nginx = RealParts.requireBinary("nginx");
        Path curl = RealParts.requireBinary("curl");
        Path[] pem = TlsCaptureTest.selfSignedCertificate(dir);
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] big = new byte[300_000];
        new SecureRandom().nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        Files.createDirectories(dir.resolve("tmp"));
        int port = Ports.free();
        Files.writeString(dir.resolve("nginx.conf"), """
                user root;
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                  access_log off;
                  sendfile on;
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  server {
                    listen 127.0.0.1:%2$d ssl;
                    ssl_certificate %3$s;
                    ssl_certificate_key %4$s;
                    root %5$s;
                    location = /silent { default_type application/json; return 200 '{"ok":false,"error":"denied"}'; }
                  }
                }
                """.formatted(dir, port, pem[0], pem[1], www));
        Process server = new ProcessBuilder(nginx.toString(), "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try {
            Ports.awaitListening(port, Duration.ofSeconds(15));
            try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
                String url = "https://127.0.0.1:" + port;
                Process client = new ProcessBuilder(curl.toString(), "-sk", "-o", dir.resolve("out1").toString(), "-o", "/dev/null",
                        "-o", dir.resolve("out2").toString(), url + "/big.bin", url + "/silent", url + "/big.bin").redirectErrorStream(true).start();
                assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(client.exitValue()).isZero();
                assertThat(Files.readAllBytes(dir.resolve("out2"))).isEqualTo(big);
                awaitCloses(capture, events, 2);
                // (tlsStats().unjoined() is machine-wide: other processes' sessions count there too.)
                assertThat(capture.stats().ringBufferDrops()).isZero();
            }
        } finally {
            stop(server);
        }
        List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("curl")).toList();
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().equals("nginx")).toList();
        assertThat(client.size() + srv.size()).isEqualTo(events.size());
        assertThat(events).allMatch(SocketEvent::tls);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.OPEN_CLIENT)).isEqualTo(1);
        assertThat(srv.stream().map(SocketEvent::generation).distinct()).hasSize(1);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
        assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.EGRESS));
        // Both bodies of 300000 bytes went out through SSL_write, plus the headers and the silent body.
        assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS)).isGreaterThan(600_000);
        assertThat(client).anyMatch(e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).contains("{\"ok\":false,\"error\":\"denied\"}"));
    }

    /** A Go net/http client (crypto/tls, keep-alive, HTTP/1.1) against the Python ssl server: both sides exact. */
    @Test
    void aGoHttpsClientIsSeen(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path binary = GoTls.build(dir, "goclient", GoTls.CLIENT, false);
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        Process server = TlsCaptureTest.startServer(dir, port);
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            // Started after the agent: the client waits on stdin until its probes are attached.
            Process client = new ProcessBuilder(binary.toString(), "https://127.0.0.1:" + port, "/small", "/big", "/small")
                    .redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && capture.tlsStats().attached().stream().noneMatch(a -> a.startsWith("Go crypto/tls " + binary))) {
                capture.poll(100);
            }
            assertThat(capture.tlsStats().attached()).anyMatch(a -> a.startsWith("Go crypto/tls " + binary));
            client.getOutputStream().write('\n');
            client.getOutputStream().flush();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo("200 29\n200 300000\n200 29\n");
            awaitCloses(capture, events, 2);
        } finally {
            stop(server);
        }
        List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("goclient")).toList();
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().startsWith("python")).toList();
        assertThat(client.size() + srv.size()).isEqualTo(events.size());
        assertThat(events).allMatch(SocketEvent::tls);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.OPEN_CLIENT)).isEqualTo(1);
        assertThat(client).allMatch(e -> e.role() == SocketEvent.Role.CLIENT && e.remotePort() == port);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(count(client, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("GET /"))).isEqualTo(3);
        assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.EGRESS));
        assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS)).isGreaterThan(300000);
    }

    /**
     * A process the agent had already scanned to the end (a shell, before its exec) execs the Go
     * server: the exec tracepoint has it scanned again at once, and its TLS is seen. Without the
     * signal, its pid (same start time) would never be read again.
     */
    @Test
    void aLaterExecOfANewBinaryIsPickedUp(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path curl = RealParts.requireBinary("curl");
        Path binary = GoTls.buildServer(dir);
        Path[] pem = TlsCaptureTest.selfSignedCertificate(dir);
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        Process shell = null;
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            shell = new ProcessBuilder("sh", "-c", "read go; exec \"$0\" \"$@\"", binary.toString(), String.valueOf(port),
                    pem[0].toString(), pem[1].toString()).redirectErrorStream(true).start();
            long pid = shell.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && capture.tlsScansOf(pid) < TlsProbes.SCANS_PER_PROCESS) {
                capture.poll(100);
            }
            assertThat(capture.tlsScansOf(pid)).isEqualTo(TlsProbes.SCANS_PER_PROCESS);
            long execs = capture.tlsStats().execs();
            shell.getOutputStream().write('\n');
            shell.getOutputStream().flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(out.readLine()).isEqualTo("ready");
            Ports.awaitListening(port, Duration.ofSeconds(10));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && capture.tlsStats().attached().stream().noneMatch(a -> a.startsWith("Go crypto/tls " + binary))) {
                capture.poll(100);
            }
            assertThat(capture.tlsStats().attached()).anyMatch(a -> a.startsWith("Go crypto/tls " + binary));
            assertThat(capture.tlsStats().execs()).isGreaterThan(execs);
            assertThat(capture.tlsStats().execSignalsLost()).isZero();
            Process client = new ProcessBuilder(curl.toString(), "-sk", "--http1.1", "-o", "/dev/null", "-o", "/dev/null",
                    "https://127.0.0.1:" + port + "/a", "https://127.0.0.1:" + port + "/b").redirectErrorStream(true).start();
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            awaitCloses(capture, events, 1);
        } finally {
            stop(shell);
        }
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().equals("gotls")).toList();
        List<SocketEvent> client = events.stream().filter(e -> e.comm().equals("curl")).toList();
        assertThat(events).allMatch(SocketEvent::tls);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).isEqualTo(1);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(2);
        assertThat(bytes(srv, SocketEvent.Kind.INGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.EGRESS));
        assertThat(bytes(srv, SocketEvent.Kind.EGRESS)).isEqualTo(bytes(client, SocketEvent.Kind.INGRESS));
    }

    /**
     * The agent's own HTTPS (Java's JSSE: no libssl, its own process filtered in the kernel) is never
     * reported; its peer's side, a libssl server, is.
     */
    @Test
    void theAgentsOwnHttpsIsNeverReported(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        int port = Ports.free();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        Process server = TlsCaptureTest.startServer(dir, port);
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", port, 0, true), events::add)) {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            for (int i = 0; i < 3; i++) { // HttpsURLConnection keeps the connection alive between them
                var c = (javax.net.ssl.HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/small").toURL().openConnection();
                c.setSSLSocketFactory(trustAll.getSocketFactory());
                c.setHostnameVerifier((host, session) -> true);
                assertThat(c.getResponseCode()).isEqualTo(200);
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("{\"ok\":false,\"error\":\"denied\"}");
            }
            Thread.sleep(300);
            capture.poll(100);
        } finally {
            stop(server);
        }
        int self = (int) ProcessHandle.current().pid();
        assertThat(events).noneMatch(e -> e.tgid() == self);
        List<SocketEvent> srv = events.stream().filter(e -> e.comm().startsWith("python")).toList();
        assertThat(srv.size()).isEqualTo(events.size());
        assertThat(srv).allMatch(SocketEvent::tls);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.INGRESS && ascii(e).startsWith("GET /small"))).isEqualTo(3);
        assertThat(count(srv, e -> e.kind() == SocketEvent.Kind.EGRESS && ascii(e).startsWith("HTTP/1.1 200"))).isEqualTo(3);
    }

    /**
     * A file named like a TLS library whose layout is not one we know (here: no SSL_read; in life a
     * BoringSSL or OpenSSL build that renamed or hid it), mapped by two processes started after the
     * agent: reported once, with its reason, and not attached.
     */
    @Test
    void aLibraryWithoutTheExpectedFunctionsIsReportedOnce(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path odd = Files.copy(Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1"), dir.resolve("libssl.so.9"));
        List<Process> users = new java.util.ArrayList<>();
        try (KernelCapture capture = KernelCapture.start(new CaptureConfig(1 << 22, 0, "", Ports.free(), 0, true), e -> {})) {
            int probes = capture.tlsProbes();
            for (int i = 0; i < 2; i++) {
                Process p = new ProcessBuilder(TlsCaptureTest.SYSTEM_PYTHON.toString(), "-c",
                        "import ctypes, sys; ctypes.CDLL(sys.argv[1]); print('ready', flush=True); sys.stdin.readline()", odd.toString())
                        .redirectErrorStream(true).start();
                users.add(p);
                assertThat(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine()).isEqualTo("ready");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && capture.tlsStats().skipped().stream().noneMatch(s -> s.startsWith(odd + ":"))) {
                capture.poll(100);
            }
            Thread.sleep(2500); // one more rescan: the second process must not report it again
            capture.poll(100);
            assertThat(capture.tlsStats().skipped().stream().filter(s -> s.startsWith(odd + ":")))
                    .containsExactly(odd + ": no SSL_read symbol");
            assertThat(capture.tlsStats().attached()).noneMatch(a -> a.contains(odd.toString()));
            assertThat(capture.tlsProbes()).isEqualTo(probes);
        } finally {
            for (Process p : users) {
                stop(p);
            }
        }
    }

    /** Polls until {@code closes} CLOSE events arrived (bounded), then once more for late events. */
    static void awaitCloses(KernelCapture capture, ConcurrentLinkedQueue<SocketEvent> events, int closes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && count(events, e -> e.kind() == SocketEvent.Kind.CLOSE) < closes) {
            capture.poll(100);
        }
        Thread.sleep(200);
        capture.poll(100);
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
