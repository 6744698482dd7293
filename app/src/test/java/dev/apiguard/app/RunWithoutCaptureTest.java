package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.score.ScoreConfig;

/**
 * {@code run --backend URL} without eBPF: the gateway's silent 200 reaches the dashboard's recent
 * business errors and the verdict log through the shared pipeline, like one the agent saw.
 */
class RunWithoutCaptureTest {
    private static final String DECLINED = "{\"ok\":false,\"error\":{\"code\":\"card_declined\",\"message\":\"declined\"}}";

    /** Keeps the verdict log's lines (it logs through System.Logger, which is java.util.logging here). */
    private static final Logger VERDICT_LOG = Logger.getLogger("dev.apiguard.semantics");

    @Test
    void theGatewaysSilent200ReachesTheDashboardAndTheVerdictLog() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestURI().getPath().startsWith("/api/checkout") ? DECLINED : "{\"ok\":true}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        VERDICT_LOG.addHandler(handler);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            GatewayConfig gateway = GatewayConfig.builder(URI.create("http://127.0.0.1:" + backend.getAddress().getPort()))
                    .listen("127.0.0.1", 0).noAdmin().service("shop").build();
            NodeOptions options = NodeOptions.of("127.0.0.1:0", 0, "", 0);
            try (AllInOne all = AllInOne.start(options, ScoreConfig.defaults(), gateway, Clock.systemUTC(), Node.Capture.OFF)) {
                System.setErr(originalErr);
                assertThat(all.node.agent).isNull();
                assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                        "apiguard: eBPF capture unavailable (disabled by --no-capture); running on the gateway's observations alone\n");
                for (String path : List.of("/api/checkout/41", "/api/catalog", "/api/checkout/42", "/api/catalog")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(all.gatewayUrl().resolve(path)).build(),
                            BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                HttpResponse<String> dashboard = http.send(
                        HttpRequest.newBuilder(URI.create(all.node.baseUrl() + "/api/v1/dashboard")).build(),
                        BodyHandlers.ofString());
                JsonNode events = new ObjectMapper().readTree(dashboard.body()).get("events");
                assertThat(events).hasSize(2);
                for (JsonNode e : events) {
                    assertThat(e.get("service").asText()).isEqualTo("shop");
                    assertThat(e.get("side").asText()).isEqualTo("gateway");
                    assertThat(e.get("path").asText()).isEqualTo("/api/checkout/{id}");
                    assertThat(e.get("error_type").asText()).isEqualTo("payment_failure");
                    assertThat(e.get("silent").asBoolean()).isTrue();
                    assertThat(e.get("status").asInt()).isEqualTo(200);
                }
                // One line per (service, route, type) per minute: the first error is logged, the second counted.
                assertThat(logged).filteredOn(l -> l.startsWith("business error:")).containsExactly(
                        "business error: service=shop route=/api/checkout/{id} type=payment_failure severity="
                                + events.get(0).get("severity").asText() + " silent=true count=1");
                HttpResponse<String> metrics = http.send(
                        HttpRequest.newBuilder(URI.create(all.node.baseUrl() + "/metrics")).build(), BodyHandlers.ofString());
                assertThat(metrics.body()).contains("apiguard_internal_errors_total{stage=\"classify\"} 0.0");
            }
        } finally {
            System.setErr(originalErr);
            VERDICT_LOG.removeHandler(handler);
            backend.stop(0);
        }
    }

    @Test
    void noCaptureWithoutABackendIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"run", "--no-capture"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("apiguard run: --no-capture needs a backend (--backend URL or gateway.backend): without capture "
                        + "only the gateway observes anything\n");
    }
}
