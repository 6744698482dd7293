package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * --netns: two network namespaces this test creates, a server and a client in each (on the same
 * port, which only separate namespaces allow); a capture scoped to one sees exactly its exchanges.
 */
class NetnsCaptureTest {
    private static final int PORT = 18080; // inside our own fresh namespaces: no other process can hold it
    private static final int REQUESTS = 3;

    @Test
    void aCaptureScopedToOneNamespaceSeesExactlyThatNamespacesExchanges() throws Exception {
        RealParts.requireRoot();
        Path ip = RealParts.requireBinary("ip");
        Path python = RealParts.requireBinary("python3");
        Path curl = RealParts.requireBinary("curl");
        String a = "agtest-" + ProcessHandle.current().pid() + "-a";
        String b = "agtest-" + ProcessHandle.current().pid() + "-b";
        List<Process> servers = new ArrayList<>();
        try {
            for (String ns : List.of(a, b)) {
                run(ip.toString(), "netns", "add", ns);
                run(ip.toString(), "-n", ns, "link", "set", "lo", "up");
            }
            long inodeA = NetworkNamespace.inode(a);
            assertThat(inodeA).isNotEqualTo(NetworkNamespace.inode(b)).isNotEqualTo(NetworkNamespace.inode("/proc/self/ns/net"));
            ConcurrentLinkedQueue<SocketEvent> events = new ConcurrentLinkedQueue<>();
            try (KernelCapture capture = KernelCapture.start(
                    CaptureConfig.defaults().withOnlyNetns(inodeA), events::add)) {
                for (String ns : List.of(a, b)) {
                    Path root = Files.createTempDirectory("netns-test");
                    for (int i = 1; i <= REQUESTS; i++) {
                        Files.writeString(root.resolve(ns + "-" + i), "hello from " + ns + "\n");
                    }
                    servers.add(new ProcessBuilder(ip.toString(), "netns", "exec", ns, python.toString(), "-m", "http.server",
                            "--bind", "127.0.0.1", String.valueOf(PORT))
                            .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                for (String ns : List.of(a, b)) {
                    for (int i = 1; i <= REQUESTS; i++) {
                        // The first request waits for the server (refused connects carry no HTTP bytes).
                        run(ip.toString(), "netns", "exec", ns, curl.toString(), "-sf", "-o", "/dev/null", "--retry", "30",
                                "--retry-delay", "1", "--retry-connrefused", "--max-time", "40",
                                "http://127.0.0.1:" + PORT + "/" + ns + "-" + i);
                    }
                }
                // Also this namespace's traffic must not show up: the host's own loopback.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && requests(events, SocketEvent.Role.SERVER).size() < REQUESTS) {
                    capture.poll(100);
                }
                for (int i = 0; i < 5; i++) {
                    capture.poll(100); // late events of namespace b, if the filter let any through
                }
            }
            Set<String> expected = new TreeSet<>();
            for (int i = 1; i <= REQUESTS; i++) {
                expected.add("/" + a + "-" + i);
            }
            assertThat(requests(events, SocketEvent.Role.SERVER)).containsExactlyElementsOf(expected);
            assertThat(requests(events, SocketEvent.Role.CLIENT)).containsExactlyElementsOf(expected);
            assertThat(events.stream().filter(e -> e.kind() == SocketEvent.Kind.OPEN_SERVER)).hasSize(REQUESTS);
            assertThat(events.stream().filter(e -> e.kind() == SocketEvent.Kind.OPEN_CLIENT)).hasSize(REQUESTS);
            assertThat(events).noneMatch(e -> ascii(e).contains(b));
        } finally {
            for (Process server : servers) {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            for (String ns : List.of(a, b)) {
                new ProcessBuilder(ip.toString(), "netns", "delete", ns).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aBadNamespaceIsOneLine() throws IOException {
        assertThatThrownBy(() -> NetworkNamespace.inode("apiguard-no-such-namespace"))
                .hasMessage("'apiguard-no-such-namespace': no such namespace (/run/netns/apiguard-no-such-namespace does not exist; see ip netns list)");
        Path plain = Files.createTempFile("not-a-namespace", ".txt");
        assertThatThrownBy(() -> NetworkNamespace.inode(plain.toString()))
                .hasMessageContaining("is not a namespace file");
        assertThatThrownBy(() -> NetworkNamespace.inode("..")).hasMessageContaining("needs a namespace name");
    }

    @Test
    void aProcessPathResolvesToTheInodeTheKernelNames() throws IOException {
        // readlink /proc/self/ns/net is "net:[INODE]"
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        long named = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        assertThat(NetworkNamespace.inode("/proc/self/ns/net")).isEqualTo(named);
        assertThat(NetworkNamespace.inode("/proc/" + ProcessHandle.current().pid() + "/ns/net")).isEqualTo(named);
    }

    /** The request paths of the HTTP requests seen on one side (server: read; client: written). */
    private static Set<String> requests(Iterable<SocketEvent> events, SocketEvent.Role role) {
        Set<String> paths = new TreeSet<>();
        SocketEvent.Kind kind = role == SocketEvent.Role.SERVER ? SocketEvent.Kind.INGRESS : SocketEvent.Kind.EGRESS;
        for (SocketEvent e : events) {
            String text = ascii(e);
            if (e.kind() == kind && e.role() == role && text.startsWith("GET /")) {
                paths.add(text.substring(4, text.indexOf(' ', 4)));
            }
        }
        return paths;
    }

    private static String ascii(SocketEvent e) {
        return e.data() == null ? "" : new String(e.data(), 0, e.capturedLength(), StandardCharsets.ISO_8859_1);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0).as("%s -> %s", String.join(" ", command), output).isTrue();
    }
}
