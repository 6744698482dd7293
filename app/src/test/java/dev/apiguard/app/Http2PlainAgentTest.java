package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.apiguard.config.ConfigNode;
import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * Plain h2c JSON through the real agent: nghttp against nghttpd (prior knowledge), two connections;
 * and curl --http2 upgrading an HTTP/1.1 connection (Upgrade: h2c).
 */
class Http2PlainAgentTest {

    @Test
    void countsPriorKnowledgeRequestsOnBothSides() throws Exception {
        RealParts.requireRoot();
        Path nghttpd = RealParts.requireBinary("nghttpd");
        Path nghttp = RealParts.requireBinary("nghttp");
        try (TestProcesses processes = new TestProcesses()) {
            Path www = Files.createDirectories(processes.workDir().resolve("h2www/api"));
            for (String name : List.of("a", "b", "c")) {
                Files.writeString(www.resolve(name + ".json"), "{\"ok\":true}\n");
            }
            int port = Ports.free();
            processes.start(new ProcessBuilder(nghttpd.toString(), "--no-tls", "-d", www.getParent().toString(), String.valueOf(port)));
            Ports.awaitListening(port, Duration.ofSeconds(10));
            try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", port), false)) {
                MetricsReader metrics = new MetricsReader(node.registry);
                String base = "http://127.0.0.1:" + port;
                // Prior knowledge: two streams on one connection.
                processes.run(List.of(nghttp.toString(), "-n", base + "/api/a.json", base + "/api/b.json"), Duration.ofSeconds(10));
                // A second connection. (nghttpd speaks HTTP/2 from the first byte, so it cannot show an
                // h2c Upgrade; Http2SessionTest covers that path.)
                processes.run(List.of(nghttp.toString(), "-n", base + "/api/c.json"), Duration.ofSeconds(10));
                for (String path : List.of("/api/a", "/api/b", "/api/c")) {
                    for (String side : List.of("server", "client")) {
                        Map<String, String> labels = Map.of("side", side, "method", "GET", "path", path, "status_class", "2xx");
                        boolean seen = MetricsReader.await(() -> metrics.counter("api_http_requests_total", labels) == 1, 10_000);
                        assertThat(seen).as("%s %s: %s", side, path, GrpcAgentTest.seen(metrics)).isTrue();
                    }
                }
                Thread.sleep(300);
                assertThat(metrics.counter("api_http_requests_total", Map.of())).as(GrpcAgentTest.seen(metrics)).isEqualTo(6);
                assertThat(metrics.counter("apiguard_http2_connections_total", Map.of())).isEqualTo(4);
                assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isZero();
            }
        }
    }

    /**
     * curl --http2 asks for an h2c upgrade; the server (a minimal upgrade-accepting fixture, as
     * nghttpd speaks HTTP/2 from the first byte) answers 101 and stream 1 in one write, and curl
     * sends the second request on stream 3 of the same connection. Both ends count both exactly.
     */
    @Test
    void countsAnH2cUpgradeOnBothSides() throws Exception {
        RealParts.requireRoot();
        Path curl = RealParts.requireBinary("curl");
        Path python = Path.of("/usr/bin/python3");
        RealParts.require(Files.isExecutable(python), "Debian's /usr/bin/python3");
        try (TestProcesses processes = new TestProcesses()) {
            Process server = new ProcessBuilder(python.toString(), processes.resource("traffic/h2c_upgrade_server.py").toString())
                    .redirectErrorStream(true).start();
            try {
                String first = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream())).readLine();
                assertThat(first).startsWith("port ");
                int port = Integer.parseInt(first.substring(5).trim());
                try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", port), false)) {
                    MetricsReader metrics = new MetricsReader(node.registry);
                    String base = "http://127.0.0.1:" + port;
                    processes.run(List.of(curl.toString(), "-sf", "--http2", "-o", "/dev/null", "-o", "/dev/null",
                            base + "/api/up.json", base + "/api/next.json"), Duration.ofSeconds(10));
                    for (String path : List.of("/api/up", "/api/next")) {
                        for (String side : List.of("server", "client")) {
                            Map<String, String> labels = Map.of("side", side, "method", "GET", "path", path, "status_class", "2xx");
                            boolean seen = MetricsReader.await(() -> metrics.counter("api_http_requests_total", labels) == 1, 10_000);
                            assertThat(seen).as("%s %s: %s", side, path, GrpcAgentTest.seen(metrics)).isTrue();
                        }
                    }
                    Thread.sleep(300);
                    assertThat(metrics.counter("api_http_requests_total", Map.of())).as(GrpcAgentTest.seen(metrics)).isEqualTo(4);
                    assertThat(metrics.counter("apiguard_http2_connections_total", Map.of())).isEqualTo(2);
                    assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isZero();
                    assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_lost_sync"))).isZero();
                    assertThat(metrics.counter("apiguard_kernel_h2_walk_total", Map.of())).isZero();
                }
            } finally {
                server.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
