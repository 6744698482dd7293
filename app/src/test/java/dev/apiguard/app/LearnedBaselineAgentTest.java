package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.app.it.TestProcesses.Server;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * The real agent (BPF in this kernel) watching a real keep-alive server: silent failures in several
 * API styles counted exactly, a route only a learned baseline can judge, and {@code rules suggest}
 * pinning what was learned so that a restarted agent gives the same verdicts before any learning.
 */
class LearnedBaselineAgentTest {
    private static final String SERVICE = "outcome-srv";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRANSFERS = "/learn/transfers";

    @Test
    void countsSilentFailuresInSeveralApiStylesExactly() throws Exception {
        RealParts.requireRoot();
        try (TestProcesses processes = new TestProcesses(); Node node = startNode(ConfigNode.empty())) {
            Server server = outcomeServer(processes);
            MetricsReader metrics = new MetricsReader(node.registry);
            // Built-in verdicts. Shapes marked (semantics) are recognised by the built-in rules of the
            // `semantics` branch (payment decisions, envelopes one level down, GraphQL userErrors,
            // XML-RPC and form-encoded answers); on a branch without them those assertions fail.
            Map<String, Long> expected = new LinkedHashMap<>();
            expected.put("/shapes/payment-refusal", 3L);    // (semantics) 201 + a charge whose status is declined
            expected.put("/shapes/wrapped-code", 4L);       // (semantics) {"x_response":{"code":"40004",...}}
            expected.put("/shapes/graphql-usererrors", 5L); // (semantics) mutation payload userErrors
            expected.put("/shapes/bulk-failed-items", 6L);  // "errors": true beside items
            expected.put("/shapes/xmlrpc-fault", 2L);       // (semantics) <methodResponse><fault>
            expected.put("/shapes/form-failure", 3L);       // (semantics) ACK=Failure&L_ERRORCODE0=...
            expected.put("/shapes/ok", 7L);
            for (var e : expected.entrySet()) {
                String statuses = e.getKey().equals("/shapes/payment-refusal") ? "statuses {201=" : "statuses {200=";
                assertThat(processes.javaClient("get", server.url(e.getKey()), String.valueOf(e.getValue())))
                        .isEqualTo(statuses + e.getValue() + "}");
            }
            expected.put("/shapes/ok", 0L);
            for (String side : List.of("server", "client")) {
                MetricsReader.await(() -> metrics.requests(SERVICE, side, "GET", "/shapes/ok", "2xx") == 7, 10_000);
            }
            Thread.sleep(300);
            for (String side : List.of("server", "client")) {
                Map<String, Long> actual = new LinkedHashMap<>();
                expected.keySet().forEach(path -> actual.put(path,
                        metrics.counter("api_business_errors_total", Map.of("service", SERVICE, "side", side, "path", path))));
                assertThat(actual).as(side).isEqualTo(expected);
                assertThat(metrics.counter("api_business_errors_total", Map.of("side", side,
                        "path", "/shapes/payment-refusal", "error_type", "payment_failure", "silent", "true")))
                        .as("the refusal is a payment failure (semantics)").isEqualTo(3);
            }
        }
    }

    @Test
    void aLearnedBaselineFlagsWhatNoRuleKnowsAndRulesSuggestPinsIt() throws Exception {
        RealParts.requireRoot();
        try (TestProcesses processes = new TestProcesses()) {
            Server server = outcomeServer(processes);
            String suggested;
            try (Node node = startNode(ConfigNode.empty())) {
                MetricsReader metrics = new MetricsReader(node.registry);
                // While the baseline forms, even a failure-looking departure is not flagged by it.
                get(processes, server, "blocked", 1);
                get(processes, server, "accepted", 60);
                awaitRequests(metrics, 61);
                assertThat(transfersErrors(metrics, "server")).isZero();
                // Formed: "ACCEPTED" in 60 of 61 exchanges (each seen from both sides: 122 samples).
                get(processes, server, "blocked", 4); // departs, with an error object: flagged
                get(processes, server, "late", 2);    // departs, no failure cue: rare but normal
                get(processes, server, "accepted", 20);
                awaitRequests(metrics, 87);
                for (String side : List.of("server", "client")) {
                    assertThat(transfersErrors(metrics, side)).as(side).isEqualTo(4);
                    assertThat(metrics.counter("api_business_errors_total", Map.of("service", SERVICE, "side", side,
                            "path", TRANSFERS, "error_type", "generic_business_error", "severity", "medium",
                            "silent", "true"))).isEqualTo(4);
                }

                JsonNode endpoints = JSON.readTree(fetch(node.port(), "/api/v1/endpoints"));
                JsonNode baseline = null;
                for (JsonNode e : endpoints.path("endpoints")) {
                    if (e.path("path").asText().equals(TRANSFERS) && e.path("side").asText().equals("server")) {
                        baseline = e.path("baseline");
                    }
                }
                assertThat(baseline).isNotNull();
                assertThat(baseline.path("formed").asBoolean()).isTrue();
                assertThat(baseline.path("flagged").asLong()).isEqualTo(8); // 4 exchanges, both sides
                assertThat(baseline.path("usual").path("/state").asText()).isEqualTo("ACCEPTED");
                assertThat(baseline.path("always_present").toString()).contains("/state", "/ref");

                suggested = rulesSuggest(processes, node.port());
            }
            assertThat(suggested).contains("routes: [\"/learn/transfers\"]",
                    "when: {pointer: \"/state\", in: [\"BLOCKED_BY_UPSTREAM\"]}", "type: generic_business_error");
            assertThat(suggested).doesNotContain("ACCEPTED_LATE\"]");

            // Pinned: a fresh agent gives the same verdicts from its first response, before any learning.
            Path config = processes.workDir().resolve("pinned.yaml");
            Files.writeString(config, suggested);
            try (Node node = startNode(ConfigNode.load(config))) {
                MetricsReader metrics = new MetricsReader(node.registry);
                get(processes, server, "blocked", 3);
                get(processes, server, "late", 2);
                get(processes, server, "accepted", 1);
                awaitRequests(metrics, 6);
                for (String side : List.of("server", "client")) {
                    assertThat(transfersErrors(metrics, side)).as(side).isEqualTo(3);
                    assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", TRANSFERS,
                            "error_type", "generic_business_error"))).isEqualTo(3);
                }
                JsonNode route = JSON.readTree(fetch(node.port(), "/api/v1/baselines")).path("routes");
                assertThat(route.toString()).contains("\"route\":\"/learn/transfers\"", "\"formed\":false", "\"flagged\":0");
            }
        }
    }

    private static Node startNode(ConfigNode config) throws Exception {
        return Node.start(NodeOptions.of(config, "127.0.0.1:0", 0, "", 0), false);
    }

    private static Server outcomeServer(TestProcesses processes) throws IOException {
        Path python = RealParts.requireBinary("python3");
        Path script = processes.resource("traffic/outcome_server.py");
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), String.valueOf(port), SERVICE);
        builder.environment().put("OTEL_SERVICE_NAME", SERVICE);
        Process p = processes.start(builder);
        Ports.awaitListening(port, Duration.ofSeconds(15));
        return new Server(SERVICE, port, p);
    }

    private static void get(TestProcesses processes, Server server, String variant, int count) throws Exception {
        assertThat(processes.javaClient("get", server.url(TRANSFERS + "?v=" + variant), String.valueOf(count)))
                .isEqualTo("statuses {200=" + count + "}");
    }

    /** Waits until both sides counted {@code total} transfers, then a little longer (a late one would be a double count). */
    private static void awaitRequests(MetricsReader metrics, long total) throws InterruptedException {
        MetricsReader.await(() -> metrics.requests(SERVICE, "server", "GET", TRANSFERS, "2xx") == total
                && metrics.requests(SERVICE, "client", "GET", TRANSFERS, "2xx") == total, 15_000);
        Thread.sleep(300);
        assertThat(metrics.requests(SERVICE, "server", "GET", TRANSFERS, "2xx")).isEqualTo(total);
        assertThat(metrics.requests(SERVICE, "client", "GET", TRANSFERS, "2xx")).isEqualTo(total);
    }

    private static long transfersErrors(MetricsReader metrics, String side) {
        return metrics.counter("api_business_errors_total", Map.of("service", SERVICE, "side", side, "path", TRANSFERS));
    }

    private static String fetch(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** {@code ./apiguard rules suggest --agent} as its own process; returns its stdout. */
    private static String rulesSuggest(TestProcesses processes, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "rules", "suggest", "--agent", "127.0.0.1:" + port));
        return processes.run(command, Duration.ofSeconds(60));
    }
}
