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

/** Plain h2c JSON through the real agent: nghttp against nghttpd (prior knowledge), two connections. */
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
}
