package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.apiguard.metrics.AdminToken;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.semantics.Classifiers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The admin API against the attacks it must stop: a cross-site form post and a DNS-rebinding page
 * (both from a browser the operator uses), a caller without the token, and a force-open that would
 * land on the shared overflow breaker. Real gateway, real backend, raw sockets.
 */
class AdminSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private static Gateway gateway(int maxRoutes, int maxBreakers) throws IOException {
        GatewayConfig config = GatewayConfig.builder(backend.uri()).listen("127.0.0.1", 0).admin("127.0.0.1", 0)
                .service("shop").breaker(BreakerConfig.builder().maxBreakers(maxBreakers).build()).build();
        return Gateway.start(config, Pipeline.of(RouteNormalizer.create(new RoutesConfig(List.of(), maxRoutes)),
                Classifiers.builtIn(), new ApiMetrics(new PrometheusRegistry())), List::of, Clock.systemUTC(),
                new Random(1), AdminToken.ephemeral(), List.of("apiguard.internal"));
    }

    private static int proxied(Gateway g, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.discarding()).statusCode();
    }

    /** One request with exactly these headers (Host included) on a fresh connection to the admin port. */
    private static RawHttp.Response raw(Gateway g, String method, String path, String headers, String body) throws IOException {
        try (RawHttp c = new RawHttp(g.adminPort())) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            return c.exchange(method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n" + body);
        }
    }

    private static String host(Gateway g) {
        return "Host: 127.0.0.1:" + g.adminPort() + "\r\n";
    }

    private static String bearer(Gateway g) {
        return "Authorization: Bearer " + g.adminAuth().token().value() + "\r\n";
    }

    private static String state(Gateway g, String route) throws IOException {
        JsonNode list = JSON.readTree(raw(g, "GET", "/api/v1/breakers", host(g), "").body());
        for (JsonNode b : list.get("breakers")) {
            if (b.get("route").asText().equals(route)) {
                return b.get("state").asText();
            }
        }
        return "none";
    }

    @Test
    void aCrossSiteFormPostIsRefusedAndChangesNothing() throws Exception {
        try (Gateway g = gateway(1000, 2000)) {
            assertThat(proxied(g, "/ok")).isEqualTo(200);
            String evil = "Origin: http://evil.example\r\n";
            RawHttp.Response plain = raw(g, "POST", "/api/v1/breakers/%2Fok/force-open",
                    host(g) + evil + "Content-Type: text/plain\r\n", "{\"route\":\"/ok\"}");
            RawHttp.Response form = raw(g, "POST", "/api/v1/breakers/force-open",
                    host(g) + evil + "Content-Type: application/x-www-form-urlencoded\r\n", "route=/ok");
            // even a page that somehow had the token is refused for its Origin
            RawHttp.Response withToken = raw(g, "POST", "/api/v1/breakers/%2Fok/force-open",
                    host(g) + evil + bearer(g) + "Content-Type: application/json\r\n", "{}");
            RawHttp.Response nullOrigin = raw(g, "POST", "/api/v1/breakers/%2Fok/force-open",
                    host(g) + "Origin: null\r\n" + bearer(g) + "Content-Type: application/json\r\n", "{}");
            assertThat(List.of(plain.status(), form.status(), withToken.status(), nullOrigin.status()))
                    .containsExactly(403, 403, 403, 403);
            assertThat(plain.text()).contains("Origin 'http://evil.example' is not this server's origin");
            assertThat(state(g, "/ok")).isEqualTo("closed");
            assertThat(proxied(g, "/ok")).isEqualTo(200);
        }
    }

    @Test
    void aRebindingHostIsRefusedOnEveryEndpointAndLoopbackNamesAreAccepted() throws Exception {
        try (Gateway g = gateway(1000, 2000)) {
            int port = g.adminPort();
            String rebound = "Host: evil.example:" + port + "\r\n";
            assertThat(raw(g, "GET", "/api/v1/breakers", rebound, "").status()).isEqualTo(403);
            assertThat(raw(g, "GET", "/metrics", rebound, "").status()).isEqualTo(403);
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fok/force-open",
                    rebound + bearer(g) + "Content-Type: application/json\r\n", "{}").status()).isEqualTo(403);
            assertThat(raw(g, "GET", "/metrics", "", "").status()).isEqualTo(403); // no Host at all
            assertThat(raw(g, "GET", "/metrics", "Host: 127.0.0.1:" + (port == 65535 ? 1 : port + 1) + "\r\n", "")
                    .status()).isEqualTo(403);
            for (String ok : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port)) {
                assertThat(raw(g, "GET", "/api/v1/breakers", "Host: " + ok + "\r\n", "").status()).as(ok).isEqualTo(200);
            }
            // a name the operator allowed (admin.allowed-hosts), on the listen port only
            assertThat(raw(g, "GET", "/metrics", "Host: apiguard.internal:" + port + "\r\n", "").status()).isEqualTo(200);
            assertThat(raw(g, "GET", "/metrics", "Host: apiguard.internal:1\r\n", "").status()).isEqualTo(403);
            assertThat(raw(g, "GET", "/metrics", "Host: apiguard.internal.evil.example:" + port + "\r\n", "").status())
                    .isEqualTo(403);
            // the page's own origin may call (what a same-origin fetch sends)
            assertThat(raw(g, "GET", "/metrics", host(g) + "Origin: http://localhost:" + port + "\r\n", "").status())
                    .isEqualTo(200);
            assertThat(state(g, "/ok")).isEqualTo("none");
        }
    }

    @Test
    void stateChangesNeedTheTokenAJsonBodyAndAWriteVerb() throws Exception {
        try (Gateway g = gateway(1000, 2000)) {
            assertThat(proxied(g, "/ok")).isEqualTo(200);
            String json = "Content-Type: application/json\r\n";
            RawHttp.Response none = raw(g, "POST", "/api/v1/breakers/%2Fok/force-open", host(g) + json, "{}");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.headers().get("www-authenticate")).startsWith("Bearer");
            RawHttp.Response wrong = raw(g, "POST", "/api/v1/breakers/%2Fok/force-open",
                    host(g) + "Authorization: Bearer " + AdminToken.ephemeral().value() + "\r\n" + json, "{}");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.headers().get("www-authenticate")).startsWith("Bearer");
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fok/force-open",
                    host(g) + "Authorization: Basic " + g.adminAuth().token().value() + "\r\n" + json, "{}").status())
                    .isEqualTo(401);
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fok/force-open", host(g) + bearer(g) + "Content-Type: text/plain\r\n", "{}")
                    .status()).isEqualTo(415);
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fok/force-open", host(g) + bearer(g), "").status()).isEqualTo(415);
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fok/force-open", host(g) + bearer(g) + json, "route=/ok")
                    .status()).isEqualTo(400);
            assertThat(raw(g, "GET", "/api/v1/breakers/%2Fok/force-open", host(g) + bearer(g), "").status()).isEqualTo(405);
            assertThat(state(g, "/ok")).isEqualTo("closed");
            assertThat(proxied(g, "/ok")).isEqualTo(200);

            // the operator's call: token, JSON, and the page's own Origin is fine too
            RawHttp.Response forced = raw(g, "POST", "/api/v1/breakers/force-open", host(g) + bearer(g) + json
                    + "Origin: http://127.0.0.1:" + g.adminPort() + "\r\n", "{\"route\":\"/ok\"}");
            assertThat(forced.status()).as(forced.text()).isEqualTo(200);
            assertThat(JSON.readTree(forced.body()).get("state").asText()).isEqualTo("forced_open");
            for (int i = 0; i < 3; i++) {
                assertThat(proxied(g, "/ok")).isEqualTo(503);
            }
            assertThat(proxied(g, "/other")).isEqualTo(200);
            RawHttp.Response reset = raw(g, "POST", "/api/v1/breakers/%2Fok/reset", host(g) + bearer(g) + json, "{}");
            assertThat(reset.status()).isEqualTo(200);
            assertThat(proxied(g, "/ok")).isEqualTo(200);
        }
    }

    @Test
    void aForceOpenOfARoutePastTheRouteBudgetIsRefusedAndUnseenRoutesStillPass() throws Exception {
        try (Gateway g = gateway(2, 2000)) {
            String json = "Content-Type: application/json\r\n";
            assertThat(proxied(g, "/alpha")).isEqualTo(200);
            assertThat(proxied(g, "/beta")).isEqualTo(200);
            assertThat(proxied(g, "/gamma")).isEqualTo(200); // the third route: /{overflow}
            assertThat(state(g, RouteNormalizer.OVERFLOW_ROUTE)).isEqualTo("closed");

            for (String route : List.of("%2Fgamma", "%2Fdelta", "%2F%7Boverflow%7D")) {
                RawHttp.Response refused = raw(g, "POST", "/api/v1/breakers/" + route + "/force-open",
                        host(g) + bearer(g) + json, "{}");
                assertThat(refused.status()).as(route).isEqualTo(409);
                assertThat(refused.text()).contains("nothing was changed");
            }
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fdelta/disable", host(g) + bearer(g) + json, "{}").status())
                    .isEqualTo(409);
            assertThat(state(g, RouteNormalizer.OVERFLOW_ROUTE)).isEqualTo("closed");
            assertThat(state(g, "/delta")).isEqualTo("none");
            assertThat(proxied(g, "/gamma")).isEqualTo(200);
            assertThat(proxied(g, "/delta")).isEqualTo(200);
            assertThat(proxied(g, "/epsilon")).isEqualTo(200);
            // a route with a breaker of its own still can be forced
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Falpha/force-open", host(g) + bearer(g) + json, "{}").status())
                    .isEqualTo(200);
            assertThat(proxied(g, "/alpha")).isEqualTo(503);
            assertThat(proxied(g, "/zeta")).isEqualTo(200);
        }
    }

    @Test
    void aForceOpenOfAnUnseenRouteIsRefusedOnceTheBudgetIsFullEvenBeforeAnyOverflow() throws Exception {
        try (Gateway g = gateway(2, 2000)) {
            String json = "Content-Type: application/json\r\n";
            assertThat(proxied(g, "/alpha")).isEqualTo(200);
            assertThat(proxied(g, "/beta")).isEqualTo(200); // the budget is full; nothing has overflowed yet
            RawHttp.Response refused = raw(g, "POST", "/api/v1/breakers/%2Fgamma/force-open", host(g) + bearer(g) + json, "{}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(state(g, "/gamma")).isEqualTo("none");
            // A route the budget already holds can still be forced.
            assertThat(raw(g, "POST", "/api/v1/breakers/%2Fbeta/force-open", host(g) + bearer(g) + json, "{}").status())
                    .isEqualTo(200);
            assertThat(proxied(g, "/beta")).isEqualTo(503);
            assertThat(proxied(g, "/gamma")).isEqualTo(200);
        }
    }

    @Test
    void aForceOpenPastMaxBreakersIsRefusedAndNeverOpensTheSharedBreaker() throws Exception {
        try (Gateway g = gateway(1000, 2)) {
            String json = "Content-Type: application/json\r\n";
            assertThat(proxied(g, "/alpha")).isEqualTo(200);
            assertThat(proxied(g, "/beta")).isEqualTo(200);
            RawHttp.Response refused = raw(g, "POST", "/api/v1/breakers/%2Fgamma/force-open", host(g) + bearer(g) + json, "{}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.text()).contains("max-breakers");
            assertThat(state(g, "/gamma")).isEqualTo("none");
            assertThat(state(g, RouteNormalizer.OVERFLOW_ROUTE)).isIn("none", "closed");
            assertThat(proxied(g, "/gamma")).isEqualTo(200);
            assertThat(proxied(g, "/delta")).isEqualTo(200);
            assertThat(state(g, RouteNormalizer.OVERFLOW_ROUTE)).isEqualTo("closed");
        }
    }
}
