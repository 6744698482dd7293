package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.app.it.TestProcesses.Server;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real agent (BPF programs loaded into this kernel) watching real servers (python http.server,
 * nginx, a python test server) and real clients (curl, java.net.http in its own JVM, raw sockets).
 * Every count is exact.
 */
class AgentIntegrationTest {
    private static TestProcesses processes;
    private static Node node;
    private static MetricsReader metrics;
    private static Server python;
    private static Server nginx;
    private static Server testServer;

    @BeforeAll
    static void startAgentAndServers() throws Exception {
        RealParts.requireRoot();
        processes = new TestProcesses();
        Path www = Files.createDirectories(processes.workDir().resolve("www/agentit"));
        Files.writeString(www.resolve("a.json"), "{\"ok\":true,\"items\":[1,2,3]}\n");
        Files.writeString(www.resolve("b.txt"), "plain text\n");
        Files.write(www.resolve("big.bin"), new byte[200_000]);
        Files.write(processes.workDir().resolve("body.bin"), new byte[5000]);
        node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", 0), false);
        metrics = new MetricsReader(node.registry);
        python = processes.pythonHttpServer(www.getParent());
        nginx = processes.nginx(www.getParent());
        testServer = processes.testServer("agentit-srv");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void countsEveryExchangeExactlyOnBothSides() throws Exception {
        Path body = processes.workDir().resolve("body.bin");
        // python http.server: HTTP/1.0, one connection per request.
        processes.curl("-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                python.url("/agentit/a.json"), python.url("/agentit/a.json"), python.url("/agentit/missing"));
        // nginx: one keep-alive connection for four requests, a POST with a body, sendfile, pipelining, java.net.http.
        processes.curl("-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                nginx.url("/agentit/a.json"), nginx.url("/agentit/b.txt"), nginx.url("/agentit/nope"), nginx.url("/agentit/error"));
        processes.curl("-o", "/dev/null", "-X", "POST", "--data-binary", "@" + body, nginx.url("/agentit/post"));
        processes.curl("-o", "/dev/null", nginx.url("/agentit/big.bin"));
        assertThat(processes.javaClient("pipeline", "127.0.0.1", String.valueOf(nginx.port()), "/agentit/a.json", "3"))
                .isEqualTo("statuses {200=3}");
        assertThat(processes.javaClient("get", nginx.url("/agentit/b.txt?attempt=1"), "5")).isEqualTo("statuses {200=5}");
        // The test server: keep-alive HTTP/1.1, a 50 ms endpoint, chunked answers, a POST with 100-continue.
        assertThat(processes.javaClient("get", testServer.url("/agentit/sleep"), "4")).isEqualTo("statuses {200=4}");
        assertThat(processes.javaClient("get", testServer.url("/agentit/chunked"), "3")).isEqualTo("statuses {200=3}");
        processes.curl("-o", "/dev/null", "-X", "POST", "--data-binary", "@" + body, testServer.url("/agentit/upload"));

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put(python.name() + " GET /agentit/a 2xx", 2L);
        expected.put(python.name() + " GET /agentit/missing 4xx", 1L);
        expected.put("nginx GET /agentit/a 2xx", 4L);
        expected.put("nginx GET /agentit/b.txt 2xx", 6L);
        expected.put("nginx GET /agentit/nope 4xx", 1L);
        expected.put("nginx GET /agentit/error 5xx", 1L);
        expected.put("nginx GET /agentit/big.bin 2xx", 1L);
        expected.put("nginx POST /agentit/post 2xx", 1L);
        expected.put("agentit-srv GET /agentit/sleep 2xx", 4L);
        expected.put("agentit-srv GET /agentit/chunked 2xx", 3L);
        expected.put("agentit-srv POST /agentit/upload 2xx", 1L);

        MetricsReader.await(() -> actual(expected, "server").equals(expected) && actual(expected, "client").equals(expected), 10_000);
        Thread.sleep(500); // anything late would be a double count
        assertThat(actual(expected, "server")).as("server side").isEqualTo(expected);
        assertThat(actual(expected, "client")).as("client side").isEqualTo(expected);
        // The 404 and 500 are counted under their own status classes only.
        assertThat(metrics.requests("nginx", "server", "GET", "/agentit/error", "2xx")).isZero();
    }

    @Test
    void measuresTheSleepingEndpointFromTheKernel() throws Exception {
        assertThat(processes.javaClient("get", testServer.url("/agentit/sleep-latency"), "5")).isEqualTo("statuses {200=5}");
        Map<String, String> labels = Map.of("service", "agentit-srv", "side", "server", "path", "/agentit/sleep-latency");
        MetricsReader.await(() -> metrics.duration(labels)[0] >= 5, 10_000);
        double[] countAndSum = metrics.duration(labels);
        double mean = countAndSum[1] / countAndSum[0];
        // Each one slept 50 ms between reading the request and writing the response.
        assertThat(mean).isGreaterThanOrEqualTo(0.050).isLessThan(0.050 + 0.030);
    }

    @Test
    void countsSilentBusinessErrorsAndPartialSuccessesExactly() throws Exception {
        assertThat(processes.javaClient("get", testServer.url("/agentit/silent"), "7")).isEqualTo("statuses {200=7}");
        assertThat(processes.javaClient("get", testServer.url("/agentit/graphql-partial"), "4")).isEqualTo("statuses {200=4}");
        assertThat(processes.javaClient("get", testServer.url("/agentit/graphql-failed"), "3")).isEqualTo("statuses {200=3}");
        assertThat(processes.javaClient("get", testServer.url("/agentit/ratelimited"), "2")).isEqualTo("statuses {429=2}");
        assertThat(processes.javaClient("get", testServer.url("/agentit/ok"), "5")).isEqualTo("statuses {200=5}");

        for (String side : new String[] {"server", "client"}) {
            Map<String, String> silent = Map.of("service", "agentit-srv", "side", side, "path", "/agentit/silent",
                    "error_type", "payment_failure", "severity", "critical", "silent", "true");
            MetricsReader.await(() -> metrics.counter("api_business_errors_total", silent) == 7
                    && metrics.counter("api_partial_successes_total", Map.of("side", side, "path", "/agentit/graphql-partial")) == 4
                    && metrics.requests("agentit-srv", side, "GET", "/agentit/ok", "2xx") == 5, 10_000);
            Thread.sleep(300);
            assertThat(metrics.counter("api_business_errors_total", silent)).as(side).isEqualTo(7);
            assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/agentit/silent"))).isEqualTo(7);
            // GraphQL errors beside data: a partial success, never a business error.
            assertThat(metrics.counter("api_partial_successes_total", Map.of("service", "agentit-srv", "side", side,
                    "path", "/agentit/graphql-partial"))).isEqualTo(4);
            assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/agentit/graphql-partial"))).isZero();
            // GraphQL errors with data: null: the operation failed.
            assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/agentit/graphql-failed",
                    "error_type", "generic_business_error", "silent", "true"))).isEqualTo(3);
            // A 429 with an error body: a business error, but not a silent one.
            assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/agentit/ratelimited",
                    "error_type", "rate_limit", "severity", "high", "silent", "false"))).isEqualTo(2);
            assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/agentit/ok"))).isZero();
        }
        // Only verdicts and counts leave the agent: no body text reaches /metrics.
        String exposed = new String(dev.apiguard.metrics.MetricsText.render(node.registry));
        assertThat(exposed).doesNotContain("card_declined").doesNotContain("declined").doesNotContain("timed out");
    }

    private static Map<String, Long> actual(Map<String, Long> expected, String side) {
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String key : expected.keySet()) {
            String[] k = key.split(" ");
            actual.put(key, metrics.requests(k[0], side, k[1], k[2], k[3]));
        }
        return actual;
    }
}
