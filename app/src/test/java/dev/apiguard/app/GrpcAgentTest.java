package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.apiguard.config.ConfigNode;
import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.RealParts;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

/**
 * Real gRPC (Debian's python3-grpcio, one HTTP/2 connection per client) through the real agent:
 * exact counts per method and per grpc-status on both sides, interleaved streams, server
 * streaming, a client cancel, a message over many DATA frames, and a connection older than the agent.
 */
class GrpcAgentTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SVC = "grpc_peer";

    /** A peer process talking line by line over stdin/stdout. */
    private record Peer(Process process, Writer in, BufferedReader out) implements AutoCloseable {
        static Peer start(TestProcesses processes, String... args) throws IOException {
            String[] command = new String[args.length + 2];
            command[0] = PYTHON.toString();
            command[1] = processes.resource("traffic/grpc_peer.py").toString();
            System.arraycopy(args, 0, command, 2, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new Peer(p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }

        String line() throws IOException {
            return out.readLine();
        }

        void send(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            assertThat(out.readLine()).as("client answer to %s", command).isEqualTo("ok " + command);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int serverPort(Peer server) throws IOException {
        String first = server.line();
        assertThat(first).startsWith("port ");
        return Integer.parseInt(first.substring(5).trim());
    }

    @Test
    void countsEveryCallByMethodAndGrpcStatusOnBothSides() throws Exception {
        RealParts.requireRoot();
        RealParts.require(java.nio.file.Files.isExecutable(PYTHON), "Debian's /usr/bin/python3 with python3-grpcio");
        try (TestProcesses processes = new TestProcesses();
                Peer server = Peer.start(processes, "server")) {
            int port = serverPort(server);
            try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", port), false);
                    Peer client = Peer.start(processes, "client", String.valueOf(port))) {
                MetricsReader metrics = new MetricsReader(node.registry);
                client.send("unary Unary OK 5");
                client.send("unary Unary NOT_FOUND 3");
                client.send("unary Unary INVALID_ARGUMENT 2");
                client.send("unary Unary PERMISSION_DENIED 1");
                client.send("unary Unary UNAVAILABLE 2");
                client.send("stream 4 100");
                client.send("cancel");
                client.send("unary Fresh OK 1");
                Thread.sleep(2500); // the cancelled call's server side ends when its handler returns
                for (String side : new String[] {"server", "client"}) {
                    boolean done = MetricsReader.await(() -> requests(metrics, side, "/test.Svc/Fresh", "2xx") == 1, 10_000);
                    assertThat(done).as("%s side saw the last call; seen: %s", side, seen(metrics)).isTrue();
                    assertThat(requests(metrics, side, "/test.Svc/Unary", "2xx")).as(side + " " + seen(metrics)).isEqualTo(5);
                    assertThat(requests(metrics, side, "/test.Svc/Unary", "4xx")).isEqualTo(6);
                    assertThat(requests(metrics, side, "/test.Svc/Unary", "5xx")).isEqualTo(2);
                    assertThat(requests(metrics, side, "/test.Svc/Stream", "2xx")).isEqualTo(1);
                    assertThat(metrics.counter("api_http_requests_total", Map.of("side", side, "path", "/test.Svc/Slow"))).isZero();
                    assertThat(businessErrors(metrics, side, "not_found")).isEqualTo(3);
                    assertThat(businessErrors(metrics, side, "validation")).isEqualTo(2);
                    assertThat(businessErrors(metrics, side, "auth_failure")).isEqualTo(1);
                    assertThat(metrics.counter("api_business_errors_total", Map.of("side", side))).isEqualTo(6);
                    // Server streaming: latency to the stream's end (4 messages 100 ms apart), not the first headers.
                    double[] stream = metrics.duration(Map.of("side", side, "path", "/test.Svc/Stream"));
                    assertThat(stream[0]).isEqualTo(1);
                    assertThat(stream[1]).isBetween(0.38, 5.0);
                }
                // The client's cancel resets the stream; both ends count it, neither records it.
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_stream_reset"))).isEqualTo(2);
                assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isZero();
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_lost_sync"))).isZero();
                assertThat(metrics.counter("apiguard_http2_connections_total", Map.of())).isEqualTo(2);
            }
        }
    }

    /**
     * 100 calls in flight on one connection, interleaved in the same writes (four statuses), a
     * 300 kB message over many DATA frames, then 100 more. The kernel walks the frames of each
     * write, so every call is counted exactly, per method and per status, on both ends.
     */
    @Test
    void interleavedStreamsAndLargeMessagesAreCountedExactly() throws Exception {
        RealParts.requireRoot();
        RealParts.require(java.nio.file.Files.isExecutable(PYTHON), "Debian's /usr/bin/python3 with python3-grpcio");
        try (TestProcesses processes = new TestProcesses();
                Peer server = Peer.start(processes, "server")) {
            int port = serverPort(server);
            try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", port), false);
                    Peer client = Peer.start(processes, "client", String.valueOf(port))) {
                MetricsReader metrics = new MetricsReader(node.registry);
                client.send("concurrent 100 OK NOT_FOUND UNAVAILABLE INVALID_ARGUMENT");
                client.send("big 300000");
                client.send("concurrent 100");
                client.send("unary Fresh OK 1");
                for (String side : new String[] {"server", "client"}) {
                    boolean done = MetricsReader.await(() -> requests(metrics, side, "/test.Svc/Fresh", "2xx") == 1, 10_000);
                    assertThat(done).as("%s side saw the last call; seen: %s", side, seen(metrics)).isTrue();
                    assertThat(requests(metrics, side, "/test.Svc/Unary", "2xx")).as(side + " " + seen(metrics)).isEqualTo(125);
                    assertThat(requests(metrics, side, "/test.Svc/Unary", "4xx")).isEqualTo(50);
                    assertThat(requests(metrics, side, "/test.Svc/Unary", "5xx")).isEqualTo(25);
                    assertThat(requests(metrics, side, "/test.Svc/Big", "2xx")).isEqualTo(1);
                    assertThat(metrics.counter("api_http_requests_total", Map.of("side", side))).isEqualTo(202);
                    assertThat(businessErrors(metrics, side, "not_found")).isEqualTo(25);
                    assertThat(businessErrors(metrics, side, "validation")).isEqualTo(25);
                }
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_lost_sync"))).as(seen(metrics)).isZero();
                assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isZero();
                assertThat(metrics.counter("apiguard_kernel_h2_walk_total", Map.of())).isZero();
            }
        }
    }

    /** A channel whose connection was opened, and used, before the agent started. */
    @Test
    void connectionOlderThanTheAgentIsFollowedWithoutGuessing() throws Exception {
        RealParts.requireRoot();
        RealParts.require(java.nio.file.Files.isExecutable(PYTHON), "Debian's /usr/bin/python3 with python3-grpcio");
        try (TestProcesses processes = new TestProcesses();
                Peer server = Peer.start(processes, "server");
                Peer client = Peer.start(processes, "client", String.valueOf(serverPort(server)))) {
            int port = Integer.parseInt(client.process().info().arguments().map(a -> a[a.length - 1]).orElseThrow());
            client.send("unary Unary OK 2");
            try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", port), false)) {
                MetricsReader metrics = new MetricsReader(node.registry);
                client.send("unary Fresh NOT_FOUND 3");
                client.send("unary Unary OK 2");
                Thread.sleep(1500);
                for (String side : new String[] {"server", "client"}) {
                    // A path first sent after the start is decoded (a new literal), and so is its new
                    // grpc-status; nothing from before the agent, nothing twice, nothing guessed.
                    assertThat(requests(metrics, side, "/test.Svc/Fresh", "4xx")).as(seen(metrics)).isEqualTo(3);
                    assertThat(businessErrors(metrics, side, "not_found")).isEqualTo(3);
                    assertThat(metrics.counter("api_http_requests_total", Map.of("side", side))).isEqualTo(3);
                }
                // The two later /Unary calls refer to HPACK entries from before the agent (their
                // :path and grpc-status "0"): counted as unknown on both ends, not recorded.
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_unknown_request"))).isEqualTo(4);
                assertThat(metrics.counter("apiguard_http_anomalies_total", Map.of("reason", "http2_unknown_status"))).isEqualTo(4);
                assertThat(metrics.counter("apiguard_http2_hpack_unknown_total", Map.of())).isPositive();
            }
        }
    }

    private static long requests(MetricsReader metrics, String side, String path, String statusClass) {
        return metrics.counter("api_http_requests_total", Map.of("side", side, "method", "POST", "path", path, "status_class", statusClass));
    }

    private static long businessErrors(MetricsReader metrics, String side, String type) {
        return metrics.counter("api_business_errors_total", Map.of("side", side, "error_type", type, "silent", "true"));
    }

    /** Every api_http_requests_total point, for failure messages. */
    static String seen(MetricsReader metrics) {
        Map<String, Double> points = new TreeMap<>();
        try {
            java.lang.reflect.Field f = MetricsReader.class.getDeclaredField("registry");
            f.setAccessible(true);
            var registry = (io.prometheus.metrics.model.registry.PrometheusRegistry) f.get(metrics);
            for (MetricSnapshot s : registry.scrape()) {
                if (s instanceof CounterSnapshot c && (c.getMetadata().getName().startsWith("api_")
                        || c.getMetadata().getName().startsWith("apiguard_http"))) {
                    for (var p : c.getDataPoints()) {
                        if (p.getValue() != 0) {
                            points.put(c.getMetadata().getName() + p.getLabels(), p.getValue());
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            return e.toString();
        }
        return points.toString();
    }
}
