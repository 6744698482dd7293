package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 frames split across syscalls at awkward places, through the kernel's frame walk: the
 * client's first write ends inside a frame header, the server reads its frames 5 bytes at a time, the client
 * reads 777 bytes at a time 100 kB responses over 7 DATA frames plus trailers (every NOT_FOUND call's trailers
 * in a write of their own, so the exchange ends at a syscall of its own). The walk carries its
 * position per connection and direction, so every call is counted exactly on both ends.
 */
class Http2SplitFramesAgentTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void framesSplitAcrossSyscallsAreCountedExactly() throws Exception {
        RealParts.requireRoot();
        RealParts.require(Files.isExecutable(PYTHON), "Debian's /usr/bin/python3");
        try (TestProcesses processes = new TestProcesses()) {
            int port = Ports.free();
            try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", port), false)) {
                MetricsReader metrics = new MetricsReader(node.registry);
                processes.run(List.of(PYTHON.toString(), processes.resource("traffic/h2_split_peer.py").toString(),
                        String.valueOf(port), "20"), Duration.ofSeconds(60));
                for (String side : List.of("server", "client")) {
                    Map<String, String> notFound = Map.of("side", side, "method", "POST", "path", "/p.S/Split", "status_class", "4xx");
                    boolean seen = MetricsReader.await(() -> metrics.counter("api_http_requests_total", notFound) == 10, 10_000);
                    assertThat(seen).as("%s: %s", side, GrpcAgentTest.seen(metrics)).isTrue();
                    assertThat(metrics.counter("api_http_requests_total",
                            Map.of("side", side, "method", "POST", "path", "/p.S/Split", "status_class", "2xx"))).isEqualTo(10);
                    assertThat(metrics.counter("api_http_requests_total", Map.of("side", side))).isEqualTo(20);
                    assertThat(metrics.counter("api_business_errors_total",
                            Map.of("side", side, "error_type", "not_found", "silent", "true"))).isEqualTo(10);
                }
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_lost_sync"))).isZero();
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_frame_cut"))).isZero();
                assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isZero();
                assertThat(metrics.counter("apiguard_kernel_h2_walk_total", Map.of())).isZero();
            }
        }
    }
}
