package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

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
        Path root = Files.createTempDirectory("capture-test");
        Files.writeString(root.resolve("hello.txt"), "hello from the capture test\n");
        int port = Ports.free();
        Process server = new ProcessBuilder(python.toString(), "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(port))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
        try (KernelCapture capture = KernelCapture.start(
                new CaptureConfig(1 << 22, 4096, 0, "", port), events::add)) {
            assertThat(capture.attachedPrograms()).isEqualTo(2);
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
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.ACCEPT && e.comm().startsWith("python"));
            assertThat(seen).anyMatch(e -> e.kind() == SocketEvent.Kind.CONNECT && e.comm().equals("curl"));
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

    private static String ascii(SocketEvent e) {
        return new String(e.data(), 0, e.capturedLength(), StandardCharsets.ISO_8859_1);
    }
}
