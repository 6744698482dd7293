package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * h2 negotiated over TLS (ALPN) is handed to the HTTP/2 parser: nghttp against nghttpd with TLS
 * (both on libssl.so.3) through the real agent with agent.capture.tls on, and curl --http2 (its h2
 * from libnghttp2 over libssl) on a second connection. Counts exact per route and side.
 */
class Http2TlsAgentTest {

    @Test
    void h2OverTlsIsCountedOnBothSides() throws Exception {
        RealParts.requireRoot();
        Path nghttpd = RealParts.requireBinary("nghttpd");
        Path nghttp = RealParts.requireBinary("nghttp");
        try (TestProcesses processes = new TestProcesses()) {
            Path dir = processes.workDir();
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            processes.run(List.of(RealParts.requireBinary("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost"), Duration.ofSeconds(30));
            Path www = Files.createDirectories(dir.resolve("h2tls/api"));
            for (String name : List.of("a", "b", "c")) {
                Files.writeString(www.resolve(name + ".json"), "{\"ok\":true}\n");
            }
            int port = Ports.free();
            processes.start(new ProcessBuilder(nghttpd.toString(), "-d", www.getParent().toString(), String.valueOf(port),
                    key.toString(), cert.toString()));
            Ports.awaitListening(port, Duration.ofSeconds(10));
            Path config = dir.resolve("apiguard.yaml");
            Files.writeString(config, "agent:\n  capture:\n    tls: true\n");
            try (Node node = Node.start(NodeOptions.of(ConfigNode.load(config), "127.0.0.1:0", 0, "", port), false)) {
                MetricsReader metrics = new MetricsReader(node.registry);
                String base = "https://127.0.0.1:" + port;
                processes.run(List.of(nghttp.toString(), "-n", base + "/api/a.json", base + "/api/b.json"), Duration.ofSeconds(10));
                processes.curl("-k", "--http2", "-o", "/dev/null", base + "/api/c.json");
                for (String path : List.of("/api/a", "/api/b", "/api/c")) {
                    for (String side : List.of("server", "client")) {
                        Map<String, String> labels = Map.of("side", side, "method", "GET", "path", path, "status_class", "2xx");
                        boolean seen = MetricsReader.await(() -> metrics.counter("api_http_requests_total", labels) == 1, 10_000);
                        assertThat(seen).as("%s %s: %s", side, path, GrpcAgentTest.seen(metrics)).isTrue();
                    }
                }
                Thread.sleep(300); // anything late would be a double count
                assertThat(metrics.counter("api_http_requests_total", Map.of())).as(GrpcAgentTest.seen(metrics)).isEqualTo(6);
                assertThat(metrics.counter("apiguard_http2_connections_total", Map.of())).isEqualTo(4);
                assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isZero();
                assertThat(metrics.counter("apiguard_events_dropped_total", Map.of("reason", "tls_unjoined"))).isZero();
                var endpoints = dev.apiguard.metrics.EndpointsView.from(node.registry.scrape()).stream()
                        .filter(e -> e.path().startsWith("/api/")).toList();
                assertThat(endpoints).hasSize(6).allMatch(e -> e.transport().equals("tls"));
            }
        }
    }
}
