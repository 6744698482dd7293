package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Security regression: a breaker bypass by path spelling. With {@code /api/v1/checkout} forced open
 * through the real admin API, no spelling a framework would route to checkout may reach the
 * backend; with it closed, the backend receives the canonical target, byte for byte. Real gateway,
 * real backend that records raw bytes, raw-socket client.
 */
class PathSpellingSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECKOUT = "/api/v1/checkout";

    /** A spelling as sent, and the target the backend must receive. */
    private record Spelling(String sent, String forwarded) {}

    /** Spellings that common frameworks (Tomcat/Spring, Express, Go, Flask, ASP.NET, Rails) route to checkout. */
    private static final List<Spelling> CHECKOUT_SPELLINGS = List.of(
            new Spelling("/api/v1/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/checkout/", "/api/v1/checkout/"),
            new Spelling("/api/v1/checkout//", "/api/v1/checkout/"),
            new Spelling("//api/v1/checkout", "/api/v1/checkout"),
            new Spelling("/api//v1///checkout", "/api/v1/checkout"),
            new Spelling("/api/v1//checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/./checkout", "/api/v1/checkout"),
            new Spelling("/./api/v1/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/x/../checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/x/y/../../checkout", "/api/v1/checkout"),
            new Spelling("/api/v2/../v1/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/%2e/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/x/%2e%2e/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/x/%2E%2e/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/x/.%2E/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/%63heckout", "/api/v1/checkout"),
            new Spelling("/api/v1/%63%68%65%63%6b%6F%75%74", "/api/v1/checkout"),
            new Spelling("/%61%70%69/v1/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/checkout%2ejson", "/api/v1/checkout.json"),
            new Spelling("/API/V1/CHECKOUT", "/API/V1/CHECKOUT"),
            new Spelling("/API/V1/Checkout/", "/API/V1/Checkout/"),
            new Spelling("/Api/v1/checkout", "/Api/v1/checkout"),
            new Spelling("/api/v1/%43heckout", "/api/v1/Checkout"),
            new Spelling("/api/v1/checkout;jsessionid=1", "/api/v1/checkout"),
            new Spelling("/api/v1/checkout;a=b;c", "/api/v1/checkout"),
            new Spelling("/api;x=1/v1;y/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/x/..;/checkout", "/api/v1/checkout"),
            new Spelling("/api/v1/checkout.json", "/api/v1/checkout.json"),
            new Spelling("/api/v1/checkout.JSON", "/api/v1/checkout.JSON"),
            new Spelling("/api/v1/checkout.xml", "/api/v1/checkout.xml"),
            new Spelling("/api/v1/checkout.json.xml", "/api/v1/checkout.json.xml"),
            new Spelling("/api/v1/checkout?x=1", "/api/v1/checkout?x=1"),
            new Spelling("/api/v1/checkout/?x=1&next=%2F..%2F", "/api/v1/checkout/?x=1&next=%2F..%2F"),
            new Spelling("/api/v1/checkout#fragment", "/api/v1/checkout"),
            new Spelling("/api/v1/checkout/.", "/api/v1/checkout/"),
            new Spelling("/api/v1/checkout/x/..", "/api/v1/checkout/"),
            new Spelling("/api/v1/./x/.././/checkout;v=2/", "/api/v1/checkout/"),
            new Spelling("http://shop.example/api/v1/checkout", "/api/v1/checkout"),
            new Spelling("HTTP://shop.example:8080/api//v1/checkout?x=1", "/api/v1/checkout?x=1"));

    /** Spellings refused outright (400), whatever the breaker's state, with the reason counted. */
    private record Refused(String sent, String reason) {}

    private static final List<Refused> REFUSED_SPELLINGS = List.of(
            new Refused("/api/v1%2Fcheckout", "encoded_slash"),
            new Refused("/api%2fv1%2fcheckout", "encoded_slash"),
            new Refused("/api/v1/%5Ccheckout", "encoded_backslash"),
            new Refused("/api/v1\\checkout", "backslash"),
            new Refused("/api/v1/checkout%00", "encoded_nul"),
            new Refused("/api/v1/%2563heckout", "double_encoding"),
            new Refused("/api/v1/checkout%zz", "bad_encoding"),
            new Refused("/../api/v1/checkout", "above_root"),
            new Refused("/api/../../api/v1/checkout", "above_root"));

    private RawBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() {
        backend = RawBackend.start(RawBackend.OK);
        gateway = TestGateways.start(backend.uri(), b -> b);
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private RawHttp.Response get(String target) throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            return raw.exchange("GET " + target + " HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
        }
    }

    private RawHttp.Response admin(String method, String path) throws IOException {
        return TestGateways.admin(gateway, method, path);
    }

    private List<String> breakerRoutes() throws IOException {
        List<String> routes = new ArrayList<>();
        for (JsonNode b : JSON.readTree(admin("GET", "/api/v1/breakers").text()).get("breakers")) {
            routes.add(b.get("route").asText());
        }
        return routes;
    }

    @Test
    void theTableCoversEnoughSpellings() {
        assertThat(CHECKOUT_SPELLINGS.size() + REFUSED_SPELLINGS.size()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void anOpenBreakerHoldsForEverySpelling() throws IOException {
        RawHttp.Response forced = admin("POST", "/api/v1/breakers/%2Fapi%2Fv1%2Fcheckout/force-open");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.text()).contains("\"state\":\"forced_open\"");
        for (Spelling s : CHECKOUT_SPELLINGS) {
            RawHttp.Response r = get(s.sent());
            assertThat(r.status()).as(s.sent()).isEqualTo(503);
            assertThat(JSON.readTree(r.text()).get("route").asText()).as(s.sent()).isEqualTo(CHECKOUT);
        }
        for (Refused s : REFUSED_SPELLINGS) {
            assertThat(get(s.sent()).status()).as(s.sent()).isEqualTo(400);
        }
        assertThat(backend.received()).isEmpty();
        assertThat(breakerRoutes()).containsExactly(CHECKOUT);
        assertThat(admin("GET", "/metrics").text())
                .contains("apiguard_gateway_shed_total{reason=\"forced_open\"} " + CHECKOUT_SPELLINGS.size() + ".0");
    }

    @Test
    void aClosedBreakerForwardsTheCanonicalTargetByteForByte() throws IOException {
        String reference = null; // the head the canonical spelling produced, after its request line
        for (Spelling s : CHECKOUT_SPELLINGS) {
            int before = backend.received().size();
            RawHttp.Response r = get(s.sent());
            assertThat(r.status()).as(s.sent()).isEqualTo(200);
            List<RawBackend.Received> received = backend.received();
            assertThat(received).as(s.sent()).hasSize(before + 1);
            RawBackend.Received got = received.getLast();
            assertThat(got.requestLine()).as(s.sent()).isEqualTo("GET " + s.forwarded() + " HTTP/1.1");
            String host = s.sent().startsWith("HTTP://") ? "shop.example:8080" : "shop.example";
            assertThat(got.header("host")).as(s.sent()).containsExactly(host);
            String rest = got.head().substring(got.requestLine().length());
            if (reference == null) {
                reference = rest;
                assertThat(reference).contains("\r\nHost: shop.example\r\n").endsWith("\r\n\r\n");
            }
            // every other byte of the head is what the canonical spelling sent
            assertThat(rest).as(s.sent()).isEqualTo(reference.replace("Host: shop.example\r\n", "Host: " + host + "\r\n"));
        }
        // one breaker for every spelling
        assertThat(breakerRoutes()).containsExactly(CHECKOUT);
    }

    @Test
    void refusedSpellingsNeverReachTheBackendAndAreCountedByReason() throws IOException {
        for (Refused s : REFUSED_SPELLINGS) {
            RawHttp.Response r = get(s.sent());
            assertThat(r.status()).as(s.sent()).isEqualTo(400);
        }
        assertThat(backend.received()).isEmpty();
        String metrics = admin("GET", "/metrics").text();
        for (Refused s : REFUSED_SPELLINGS) {
            long expected = REFUSED_SPELLINGS.stream().filter(x -> x.reason().equals(s.reason())).count();
            assertThat(metrics).as(s.sent())
                    .contains("apiguard_gateway_rejected_total{reason=\"" + s.reason() + "\"} " + expected + ".0");
        }
        assertThat(breakerRoutes()).isEmpty();
    }

    @Test
    void theRefusePolicyAnswers400ToEveryNonCanonicalSpelling() throws IOException {
        gateway.close();
        gateway = TestGateways.start(backend.uri(), b -> b.pathPolicy(GatewayConfig.PathPolicy.REFUSE));
        int forwarded = 0;
        int refused = 0;
        for (Spelling s : CHECKOUT_SPELLINGS) {
            RawHttp.Response r = get(s.sent());
            boolean canonical = s.sent().equals(s.forwarded()) || s.sent().regionMatches(true, 0, "http://", 0, 7)
                    && s.sent().endsWith(s.forwarded());
            assertThat(r.status()).as(s.sent()).isEqualTo(canonical ? 200 : 400);
            if (canonical) {
                forwarded++;
                assertThat(backend.received().getLast().requestLine()).isEqualTo("GET " + s.forwarded() + " HTTP/1.1");
            } else {
                refused++;
                assertThat(r.text()).contains("send " + s.forwarded().replaceFirst("\\?.*", ""));
            }
        }
        assertThat(backend.received()).hasSize(forwarded);
        assertThat(admin("GET", "/metrics").text())
                .contains("apiguard_gateway_rejected_total{reason=\"not_normalized\"} " + refused + ".0");
        assertThat(forwarded).isEqualTo(12); // the canonical spellings (case and suffixes are kept) and the absolute-form one
    }
}
