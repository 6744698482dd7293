package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.score.RemoteScoreSource;
import dev.apiguard.score.ScoresJson;
import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.HealthState;
import dev.apiguard.score.ScoreSource;
import dev.apiguard.testkit.Ports;

/** The breakers in a running gateway, against a real python3 backend, driven over HTTP. */
class BreakerIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Small numbers so that a test runs in well under a second of breaker time. */
    private static final BreakerConfig FAST = BreakerConfig.builder()
            .minCalls(5).failureRatio(0.5).window(Duration.ofSeconds(10))
            .openBase(Duration.ofMillis(400)).openMax(Duration.ofSeconds(2)).jitter(0)
            .halfOpenProbes(2).scoreDwell(Duration.ofMillis(300))
            .build();
    private static Backend backend;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        backend = Backend.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        backend.close();
        http.close();
    }

    private static Gateway gateway(ScoreSource scores) {
        return TestGateways.start(backend.uri(), b -> b.breaker(FAST).scoreRefresh(Duration.ofMillis(50)), scores);
    }

    private static HttpResponse<String> get(Gateway g, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    /** An admin call as an operator makes it: state changes carry the token and a JSON body. */
    private static HttpResponse<String> admin(Gateway g, String method, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.adminPort() + path));
        if (method.equals("GET")) {
            request.GET();
        } else {
            request.method(method, BodyPublishers.ofString("{}"))
                    .header("Authorization", "Bearer " + g.adminAuth().token().value())
                    .header("Content-Type", "application/json");
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    /** The route's breaker as the admin API lists it. */
    private static JsonNode breaker(Gateway g, String route) throws Exception {
        for (JsonNode b : JSON.readTree(admin(g, "GET", "/api/v1/breakers").body()).get("breakers")) {
            if (b.get("route").asText().equals(route)) {
                return b;
            }
        }
        return null;
    }

    private static String metrics(Gateway g) throws Exception {
        return admin(g, "GET", "/metrics").body();
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int status(Gateway g, String path) {
        try {
            return get(g, path).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDownBackendGives502AndTripsTheBreaker() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:" + Ports.free());
        try (Gateway g = TestGateways.start(nowhere, b -> b.breaker(FAST))) {
            for (int i = 0; i < 5; i++) {
                assertThat(get(g, "/orders").statusCode()).isEqualTo(502);
            }
            HttpResponse<String> shed = get(g, "/orders");
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
            assertThat(shed.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode body = JSON.readTree(shed.body());
            assertThat(body.get("route").asText()).isEqualTo("/orders");
            assertThat(body.get("state").asText()).isEqualTo("open");
            assertThat(body.get("reason").asText()).startsWith("5/5 calls failed (connect failure 5)");
            String m = metrics(g);
            assertThat(m).contains("api_breaker_state{path=\"/orders\"} 1.0");
            assertThat(m).contains("api_breaker_tripped_total{path=\"/orders\"} 1.0");
            assertThat(m).contains("apiguard_gateway_upstream_errors_total{kind=\"connect\"} 5.0");
            assertThat(m).contains("apiguard_gateway_shed_total{reason=\"open\"} 1.0");
            assertThat(m).containsPattern("api_http_requests_total\\{[^}]*path=\"/orders\",service=\"127.0.0.1:\\d+\",side=\"gateway\",status_class=\"5xx\"} 5.0");
        }
    }

    @Test
    void aSlowBackendGives504AndTimeoutsCountAsFailures() throws Exception {
        try (Gateway g = TestGateways.start(backend.uri(), b -> b.breaker(FAST).responseTimeout(Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(g, "/slow?ms=2000");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1900);
            assertThat(get(g, "/slow?ms=10").statusCode()).isEqualTo(200);
            JsonNode b = breaker(g, "/slow");
            assertThat(b.get("window_calls").asInt()).isEqualTo(2);
            assertThat(b.get("window_failures").asInt()).isEqualTo(1);
            assertThat(metrics(g)).contains("apiguard_gateway_upstream_errors_total{kind=\"timeout\"} 1.0");
        }
    }

    /**
     * The response timeout's task is one per connection, armed by an earlier call: on a keep-alive
     * connection a later call still gets its whole timeout, counted from its own start.
     */
    @Test
    void aLaterCallOnAKeptAliveConnectionGetsItsWholeResponseTimeout() throws Exception {
        try (Gateway g = TestGateways.start(backend.uri(), b -> b.breaker(FAST).responseTimeout(Duration.ofMillis(1000)));
                RawHttp client = new RawHttp(g.port())) {
            long first = System.nanoTime();
            assertThat(client.exchange("GET /slow?ms=10 HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
            // The first call's task fires 1 s after it started: well inside the next call.
            Thread.sleep(Math.max(0, 500 - (System.nanoTime() - first) / 1_000_000));
            long start = System.nanoTime();
            RawHttp.Response r = client.exchange("GET /slow?ms=3000 HTTP/1.1\r\nHost: x\r\n\r\n");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(504);
            assertThat(tookMillis).isBetween(990L, 2900L);
            assertThat(metrics(g)).contains("apiguard_gateway_upstream_errors_total{kind=\"timeout\"} 1.0");
        }
    }

    @Test
    void silent200sOnOneRouteTripThatRouteWhileTheOthersStayClosed() throws Exception {
        try (Gateway g = gateway(List::of)) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = get(g, "/silent/checkout");
                assertThat(r.statusCode()).isEqualTo(200); // the client still sees the backend's answer
                assertThat(get(g, "/ok").statusCode()).isEqualTo(200);
            }
            assertThat(get(g, "/silent/checkout").statusCode()).isEqualTo(503);
            for (int i = 0; i < 10; i++) {
                assertThat(get(g, "/ok").statusCode()).isEqualTo(200);
            }
            JsonNode silent = breaker(g, "/silent/checkout");
            assertThat(silent.get("state").asText()).isEqualTo("open");
            assertThat(silent.get("reason").asText()).startsWith("5/5 calls failed (business error 5)");
            assertThat(breaker(g, "/ok").get("state").asText()).isEqualTo("closed");
            String m = metrics(g);
            // error_type and severity are the classifier's call; the placeholder and the real one differ
            assertThat(m).containsPattern("api_business_errors_total\\{error_type=\"[a-z_]+\",path=\"/silent/checkout\",service=\"[^\"]+\",severity=\"[a-z]+\",side=\"gateway\",silent=\"true\"} 5.0");
            assertThat(m).contains("api_breaker_state{path=\"/ok\"} 0.0");
        }
    }

    @Test
    void recoveryGoesThroughHalfOpenAndAFailedProbeReopensForLonger() throws Exception {
        try (Gateway g = gateway(List::of)) {
            get(g, "/control?flaky=bad");
            for (int i = 0; i < 5; i++) {
                get(g, "/flaky");
            }
            assertThat(breaker(g, "/flaky").get("state").asText()).isEqualTo("open");
            Thread.sleep(450);
            assertThat(get(g, "/flaky").statusCode()).isEqualTo(200); // a probe, and it fails (silently)
            JsonNode reopened = breaker(g, "/flaky");
            assertThat(reopened.get("state").asText()).isEqualTo("open");
            assertThat(reopened.get("consecutive_trips").asInt()).isEqualTo(2);
            assertThat(reopened.get("reason").asText()).isEqualTo("half-open probe failed (business error)");
            Instant retryAt = Instant.parse(reopened.get("retry_at").asText());
            Instant since = Instant.parse(reopened.get("since").asText());
            assertThat(Duration.between(since, retryAt)).isEqualTo(Duration.ofMillis(800));

            get(g, "/control?flaky=good");
            Thread.sleep(850);
            assertThat(get(g, "/flaky").statusCode()).isEqualTo(200);
            assertThat(breaker(g, "/flaky").get("state").asText()).isEqualTo("half_open");
            assertThat(get(g, "/flaky").statusCode()).isEqualTo(200);
            assertThat(breaker(g, "/flaky").get("state").asText()).isEqualTo("closed");
            assertThat(metrics(g)).contains("api_breaker_tripped_total{path=\"/flaky\"} 2.0");
        }
    }

    @Test
    void operatorsForceDisableAndResetThroughTheAdminApi() throws Exception {
        try (Gateway g = gateway(List::of)) {
            assertThat(get(g, "/ok").statusCode()).isEqualTo(200);
            HttpResponse<String> forced = admin(g, "POST", "/api/v1/breakers/%2Fok/force-open");
            assertThat(forced.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(forced.body()).get("state").asText()).isEqualTo("forced_open");
            HttpResponse<String> shed = get(g, "/ok");
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(shed.body()).get("state").asText()).isEqualTo("forced_open");
            assertThat(metrics(g)).contains("api_breaker_state{path=\"/ok\"} 3.0");

            // the query-parameter form, on a route not seen yet
            HttpResponse<String> disabled = admin(g, "POST", "/api/v1/breakers/disable?route=/fail");
            assertThat(JSON.readTree(disabled.body()).get("state").asText()).isEqualTo("disabled");
            for (int i = 0; i < 10; i++) {
                assertThat(get(g, "/fail").statusCode()).isEqualTo(500); // never trips
            }
            assertThat(breaker(g, "/fail").get("state").asText()).isEqualTo("disabled");
            assertThat(metrics(g)).contains("api_breaker_state{path=\"/fail\"} 4.0");

            assertThat(JSON.readTree(admin(g, "POST", "/api/v1/breakers/%2Fok/reset").body()).get("state").asText())
                    .isEqualTo("closed");
            assertThat(get(g, "/ok").statusCode()).isEqualTo(200);
            admin(g, "POST", "/api/v1/breakers/reset?route=/fail");
            for (int i = 0; i < 5; i++) {
                get(g, "/fail");
            }
            assertThat(get(g, "/fail").statusCode()).isEqualTo(503); // closed again, so it trips

            assertThat(admin(g, "POST", "/api/v1/breakers/%2Fnever/reset").statusCode()).isEqualTo(404);
            assertThat(admin(g, "POST", "/api/v1/breakers/%2Fok/explode").statusCode()).isEqualTo(404);
            assertThat(admin(g, "GET", "/api/v1/breakers/%2Fok/force-open").statusCode()).isEqualTo(405);
            assertThat(admin(g, "POST", "/api/v1/breakers/force-open").statusCode()).isEqualTo(400);
        }
    }

    private static EndpointScore score(String path, double value) {
        return new EndpointScore("shop", path, OptionalDouble.of(value), HealthState.DEGRADED, false, Instant.now(), Map.of());
    }

    @Test
    void aLowScoreTripsAndTheBreakerClosesOnlyAboveTheCloseThreshold() throws Exception {
        AtomicReference<List<EndpointScore>> scores = new AtomicReference<>(List.of());
        try (Gateway g = gateway(scores::get)) {
            assertThat(get(g, "/cart").statusCode()).isEqualTo(200);
            scores.set(List.of(score("/cart", 40)));
            await(() -> status(g, "/cart") == 503, Duration.ofSeconds(5), "the score to trip /cart");
            JsonNode open = breaker(g, "/cart");
            assertThat(open.get("reason").asText()).isEqualTo("health score 40 below 70 for PT0.3S");
            assertThat(get(g, "/other").statusCode()).isEqualTo(200); // no score: unaffected

            scores.set(List.of(score("/cart", 75))); // above trip, below close
            Thread.sleep(450);
            assertThat(get(g, "/cart").statusCode()).isEqualTo(200); // probe 1
            assertThat(get(g, "/cart").statusCode()).isEqualTo(200); // probe 2: succeeded, yet...
            JsonNode held = breaker(g, "/cart");
            assertThat(held.get("state").asText()).isEqualTo("open");
            assertThat(held.get("reason").asText()).isEqualTo("probes succeeded but score 75 is below the close threshold 85");
            assertThat(held.get("score").asDouble()).isEqualTo(75.0);

            scores.set(List.of(score("/cart", 90)));
            await(() -> status(g, "/cart") == 200 && status(g, "/cart") == 200 && status(g, "/cart") == 200,
                    Duration.ofSeconds(5), "/cart to close");
            assertThat(breaker(g, "/cart").get("state").asText()).isEqualTo("closed");
        }
    }

    @Test
    void anUnreachableScorerOrStaleScoresNeverTrip() throws Exception {
        // a real scorer endpoint that answers with a low score, then goes away
        AdminHttpServer scorer = AdminHttpServer.start("127.0.0.1", 0,
                Map.of("/api/v1/scores", r -> new AdminHttpServer.Response(200, ScoresJson.CONTENT_TYPE, ScoresJson.render(
                        List.of(new EndpointScore("shop", "/scored", OptionalDouble.of(10), HealthState.CRITICAL, false,
                                Instant.now(), Map.of())), "test", Instant.now()))));
        try (RemoteScoreSource remote = RemoteScoreSource.start(URI.create(scorer.baseUrl() + "/api/v1/scores"),
                        Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMinutes(2), java.time.Clock.systemUTC());
                Gateway g = gateway(remote)) {
            assertThat(get(g, "/scored").statusCode()).isEqualTo(200);
            await(() -> status(g, "/scored") == 503, Duration.ofSeconds(5), "the remote score to trip /scored");

            scorer.close(); // unreachable from now on: the last scores turn stale
            await(() -> !remote.scores().isEmpty() && remote.scores().getFirst().stale(), Duration.ofSeconds(5),
                    "the poller to mark scores stale");
            admin(g, "POST", "/api/v1/breakers/%2Fscored/reset");
            for (int i = 0; i < 15; i++) {
                assertThat(get(g, "/scored").statusCode()).isEqualTo(200);
                Thread.sleep(50); // 750 ms, well past the 300 ms dwell
            }
            assertThat(breaker(g, "/scored").get("state").asText()).isEqualTo("closed");
        } finally {
            scorer.close();
        }
        // a scorer that was never there
        try (RemoteScoreSource nowhere = RemoteScoreSource.start(URI.create("http://127.0.0.1:" + Ports.free() + "/api/v1/scores"),
                        Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(2), java.time.Clock.systemUTC());
                Gateway g = gateway(nowhere)) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(g, "/ok").statusCode()).isEqualTo(200);
                Thread.sleep(50);
            }
            assertThat(breaker(g, "/ok").get("state").asText()).isEqualTo("closed");
        }
    }

    @Test
    void theScorerThrowingCountsAsNoScores() throws Exception {
        try (Gateway g = gateway(() -> {
            throw new IllegalStateException("scorer bug");
        })) {
            for (int i = 0; i < 8; i++) {
                assertThat(get(g, "/ok").statusCode()).isEqualTo(200);
                Thread.sleep(50);
            }
            assertThat(breaker(g, "/ok").get("state").asText()).isEqualTo("closed");
        }
    }

}
