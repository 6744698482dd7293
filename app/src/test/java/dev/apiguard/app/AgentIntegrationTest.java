package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.apiguard.app.config.ConfigNode;
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
        node = Node.start(new NodeOptions(ConfigNode.empty(), "127.0.0.1:0", 0, "", 0), false);
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
        expected.put("python3 GET /agentit/a.json 2xx", 2L);
        expected.put("python3 GET /agentit/missing 4xx", 1L);
        expected.put("nginx GET /agentit/a.json 2xx", 4L);
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

    private static Map<String, Long> actual(Map<String, Long> expected, String side) {
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String key : expected.keySet()) {
            String[] k = key.split(" ");
            actual.put(key, metrics.requests(k[0], side, k[1], k[2], k[3]));
        }
        return actual;
    }
}
