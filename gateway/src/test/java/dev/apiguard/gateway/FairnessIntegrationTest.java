package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fairness in a running gateway over real sockets: each client is a real HTTP client bound to its
 * own loopback address (127.0.0.N), the backend is {@link RawBackend}, which answers a silent
 * business error ({@code 200 {"success":false}}) to requests carrying {@code fail=1} (or to every
 * request during an incident). Default breaker (min-calls 20, ratio 0.5, window PT30S), open-base
 * PT5S without jitter.
 */
class FairnessIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BreakerConfig BREAKER = BreakerConfig.builder().jitter(0).build();

    private final AtomicBoolean incident = new AtomicBoolean();
    private final List<HttpClient> clients = new ArrayList<>();
    private RawBackend backend;

    @BeforeEach
    void startBackend() {
        backend = RawBackend.start(r -> incident.get() || r.target().contains("fail=1")
                ? RawBackend.response(200, "{\"success\":false,\"error\":\"declined\"}")
                : RawBackend.response(200, "{\"success\":true}"));
    }

    @AfterEach
    void stop() {
        clients.forEach(HttpClient::close);
        backend.close();
    }

    /** A client whose connections all come from 127.0.0.{n}. */
    private HttpClient client(int n) throws Exception {
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n}))
                .connectTimeout(Duration.ofSeconds(5)).build();
        clients.add(c);
        return c;
    }

    private static HttpResponse<String> get(HttpClient c, Gateway g, String pathAndQuery, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return c.send(b.build(), BodyHandlers.ofString());
    }

    private static String admin(Gateway g, String path) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.adminPort() + path)).build(),
                    BodyHandlers.ofString()).body();
        }
    }

    private static String state(Gateway g, String route) throws Exception {
        for (JsonNode b : JSON.readTree(admin(g, "/api/v1/breakers")).get("breakers")) {
            if (b.get("route").asText().equals(route)) {
                return b.get("state").asText();
            }
        }
        return "none";
    }

    private Gateway gateway(List<String> trustedProxies) {
        return TestGateways.start(backend.uri(), b -> b.breaker(BREAKER).trustedProxies(trustedProxies));
    }

    @Test
    void oneMisbehavingClientAmongManyIsShedAloneAndTheRouteStaysClosed() throws Exception {
        try (Gateway g = gateway(List.of())) {
            List<HttpClient> good = new ArrayList<>();
            for (int n = 2; n <= 6; n++) {
                good.add(client(n));
            }
            HttpClient bad = client(66);
            for (HttpClient c : good) {
                for (int i = 0; i < 2; i++) {
                    assertThat(get(c, g, "/checkout").statusCode()).isEqualTo(200);
                }
            }
            // 10 successes; the 10th failure makes 20 calls with 10 failures: the trip condition. One
            // client explains it, so that client is shed instead.
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = get(bad, g, "/checkout?fail=1");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"success\":false");
            }
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> shed = get(bad, g, "/checkout?fail=1");
                assertThat(shed.statusCode()).isEqualTo(429);
                assertThat(shed.headers().firstValue("retry-after")).hasValue("5");
                JsonNode body = JSON.readTree(shed.body());
                assertThat(body.get("route").asText()).isEqualTo("/checkout");
                assertThat(body.get("state").asText()).isEqualTo("client_shed");
            }
            for (HttpClient c : good) {
                for (int i = 0; i < 4; i++) {
                    assertThat(get(c, g, "/checkout").statusCode()).isEqualTo(200);
                }
            }
            assertThat(state(g, "/checkout")).isEqualTo("closed");
            String m = admin(g, "/metrics");
            assertThat(m).contains("apiguard_gateway_shed_total{reason=\"client\"} 5.0");
            assertThat(m).contains("apiguard_gateway_culprits_shed_total 1.0");
            assertThat(m).doesNotContain("api_breaker_tripped_total{path=\"/checkout\"} 1.0");
            assertThat(backend.received()).hasSize(10 + 10 + 20); // the shed requests never reached it
        }
    }

    @Test
    void aRealIncidentAcrossManyClientsStillTripsTheRoute() throws Exception {
        try (Gateway g = gateway(List.of())) {
            List<HttpClient> all = new ArrayList<>();
            for (int n = 2; n <= 6; n++) {
                all.add(client(n));
            }
            for (HttpClient c : all) {
                for (int i = 0; i < 2; i++) {
                    assertThat(get(c, g, "/checkout").statusCode()).isEqualTo(200);
                }
            }
            incident.set(true);
            // Every client now fails: the 10th failure (20 calls, 10 failed) trips the route, exactly
            // as without fairness; the next request of any client is refused with 503.
            for (int i = 0; i < 10; i++) {
                assertThat(get(all.get(i % 5), g, "/checkout").statusCode()).isEqualTo(200);
            }
            assertThat(state(g, "/checkout")).isEqualTo("open");
            for (HttpClient c : all) {
                assertThat(get(c, g, "/checkout").statusCode()).isEqualTo(503);
            }
            String m = admin(g, "/metrics");
            assertThat(m).contains("api_breaker_tripped_total{path=\"/checkout\"} 1.0");
            assertThat(m).contains("apiguard_gateway_shed_total{reason=\"open\"} 5.0");
            assertThat(m).contains("apiguard_gateway_culprits_shed_total 0.0");
        }
    }

    @Test
    void aSingleClientIncidentStillTripsTheRoute() throws Exception {
        try (Gateway g = gateway(List.of())) {
            HttpClient only = client(2);
            for (int i = 0; i < 20; i++) {
                assertThat(get(only, g, "/checkout?fail=1").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> r = get(only, g, "/checkout?fail=1");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("reason").asText()).startsWith("20/20 calls failed (business error 20)");
            assertThat(admin(g, "/metrics")).contains("apiguard_gateway_culprits_shed_total 0.0");
        }
    }

    @Test
    void behindATrustedBalancerTheForwardedClientIsShedNotTheBalancer() throws Exception {
        try (Gateway g = gateway(List.of("127.0.0.2"))) {
            HttpClient balancer = client(2); // every request arrives from the balancer
            for (int n = 1; n <= 5; n++) {
                for (int i = 0; i < 2; i++) {
                    assertThat(get(balancer, g, "/checkout", "X-Forwarded-For", "198.51.100." + n).statusCode())
                            .isEqualTo(200);
                }
            }
            // The attacker forges an honest client's address on the left; the balancer appends its real one.
            for (int i = 0; i < 10; i++) {
                assertThat(get(balancer, g, "/checkout?fail=1", "X-Forwarded-For", "198.51.100.1, 203.0.113.66")
                        .statusCode()).isEqualTo(200);
            }
            assertThat(get(balancer, g, "/checkout?fail=1", "X-Forwarded-For", "198.51.100.1, 203.0.113.66")
                    .statusCode()).isEqualTo(429);
            for (int n = 1; n <= 5; n++) {
                assertThat(get(balancer, g, "/checkout", "X-Forwarded-For", "198.51.100." + n).statusCode())
                        .isEqualTo(200);
            }
            assertThat(state(g, "/checkout")).isEqualTo("closed");
            assertThat(admin(g, "/metrics")).contains("apiguard_gateway_shed_total{reason=\"client\"} 1.0");
        }
    }

    @Test
    void anUntrustedPeersForwardedForIsIgnored() throws Exception {
        // 127.0.0.2 is trusted; the attacker at 127.0.0.3 is not, and names an honest client (127.0.0.4)
        // in X-Forwarded-For to get it shed. The header is ignored: the attacker's own address is shed.
        try (Gateway g = gateway(List.of("127.0.0.2"))) {
            List<HttpClient> good = new ArrayList<>();
            for (int n = 4; n <= 8; n++) {
                good.add(client(n));
            }
            HttpClient attacker = client(3);
            for (HttpClient c : good) {
                for (int i = 0; i < 2; i++) {
                    assertThat(get(c, g, "/checkout").statusCode()).isEqualTo(200);
                }
            }
            for (int i = 0; i < 10; i++) {
                assertThat(get(attacker, g, "/checkout?fail=1", "X-Forwarded-For", "127.0.0.4").statusCode())
                        .isEqualTo(200);
            }
            assertThat(get(attacker, g, "/checkout?fail=1", "X-Forwarded-For", "127.0.0.4").statusCode())
                    .isEqualTo(429);
            assertThat(get(attacker, g, "/checkout", "X-Forwarded-For", "127.0.0.9").statusCode()).isEqualTo(429);
            for (HttpClient c : good) {
                assertThat(get(c, g, "/checkout").statusCode()).isEqualTo(200);
            }
            assertThat(state(g, "/checkout")).isEqualTo("closed");
        }
    }
}
