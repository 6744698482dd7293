package dev.apiguard.app.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;

/**
 * A test-controlled {@code /api/v1/dashboard}: the test sets the phase, each request is one more
 * second of a scripted story (healthy → checkout critical with its breaker open → recovered).
 * Within a phase the checkout values move step by step, then hold on a plateau the test asserts.
 */
final class ScriptedDashboard implements Function<Request, Response> {

    enum Phase { HEALTHY, INCIDENT, RECOVERED, UNAVAILABLE, GARBLED }

    static final String CHECKOUT = "/api/v1/checkout";
    /** Plateau values the test asserts exactly. */
    static final double HEALTHY_SCORE = 96.5;
    static final double INCIDENT_SCORE = 63.5;
    static final double RECOVERED_SCORE = 92.0;
    static final int INCIDENT_EVENTS = 4;
    static final long INCIDENT_DROPS = 12;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Instant start;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger step = new AtomicInteger();
    private volatile Phase phase = Phase.HEALTHY;

    ScriptedDashboard(Instant start) {
        this.start = start;
    }

    void phase(Phase next) {
        step.set(0);
        phase = next;
    }

    @Override
    public Response apply(Request request) {
        return switch (phase) {
            case UNAVAILABLE -> Response.text(503, "scorer not ready\n");
            case GARBLED -> new Response(200, "application/json", "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8));
            case HEALTHY, INCIDENT, RECOVERED -> Response.json(toJson(frame(phase, step.getAndIncrement(), served.getAndIncrement())));
        };
    }

    private Map<String, Object> frame(Phase phase, int k, int second) {
        Checkout c = switch (phase) {
            case INCIDENT -> incident(k);
            case RECOVERED -> recovered(k);
            default -> new Checkout(HEALTHY_SCORE, 0.0, "closed", null, 0, 0);
        };
        Map<String, Object> doc = new LinkedHashMap<>();
        Instant now = start.plusSeconds(second);
        doc.put("generated_at", now.toString());
        doc.put("window", "PT1M");
        doc.put("agent", map("capturing", true, "reason", null, "events_total", 120_000 + 850L * second,
                "drops_total", c.drops, "exchanges_total", 9_000 + 60L * second, "ignored_connections_total", 3));
        doc.put("gateway", map("enabled", true, "shed_total", phase == Phase.HEALTHY ? 0 : 42));
        List<Object> endpoints = new ArrayList<>();
        endpoints.add(endpoint("shop", CHECKOUT, 12.3 + (second % 3) * 0.4, 45.1, 0.0, c.businessPct,
                c.businessPct > 0 ? map("payment_failure", c.businessPct) : map(),
                c.score, map("business_error", Math.round((HEALTHY_SCORE - c.score) * 10) / 10.0, "latency", 0.0),
                map("state", c.breaker, "reason", c.breakerReason)));
        endpoints.add(endpoint("shop", "/api/v1/users/{id}", 30.8, 12.4, 0.3, 0.0, map(), 91.2,
                map("server_error", 2.0), map("state", "closed", "reason", null)));
        endpoints.add(endpoint("shop", "/api/v1/search", 8.1, 412.0, 1.2, 0.4, map("validation", 0.4), 78.4,
                map("latency", 14.0, "server_error", 5.0), map("state", "closed", "reason", null)));
        endpoints.add(endpoint("shop", "/graphql", 5.5, 88.0, 0.0, 1.1, map("validation", 0.7, "not_found", 0.4), 88.0,
                map("business_error", 4.0), map("state", "closed", "reason", null)));
        endpoints.add(endpoint("billing", "/internal/ledger", 0.0, null, null, null, map(), null, map(), null));
        doc.put("endpoints", endpoints);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < c.events; i++) {
            events.add(map("at", now.minusSeconds(2L * i).toString(), "service", "shop", "path", CHECKOUT,
                    "error_type", "payment_failure", "severity", "critical", "silent", true, "status", 200));
        }
        doc.put("events", events);
        return doc;
    }

    /** Score falls 85.5 → 74.5 → 63.5 and holds; the breaker opens below 70, with all the events shown. */
    private static Checkout incident(int k) {
        double score = Math.max(INCIDENT_SCORE, HEALTHY_SCORE - 11.0 * (k + 1));
        boolean open = score < 70;
        return new Checkout(score, Math.min(8.2, 2.4 * (k + 1)), open ? "open" : "closed",
                open ? "score " + score + " below 70 for PT5S" : null,
                open ? INCIDENT_EVENTS : k + 1, INCIDENT_DROPS);
    }

    /** Score climbs 80.0 (half-open) → 92.0 (closed) and holds; the events stay in the window. */
    private static Checkout recovered(int k) {
        return k == 0
                ? new Checkout(80.0, 2.0, "half_open", "probing after PT10S open", INCIDENT_EVENTS, INCIDENT_DROPS)
                : new Checkout(RECOVERED_SCORE, 0.0, "closed", null, INCIDENT_EVENTS, INCIDENT_DROPS);
    }

    private record Checkout(double score, double businessPct, String breaker, String breakerReason, int events, long drops) {}

    private static Map<String, Object> endpoint(String service, String path, double rps, Double p99, Double serverPct,
            Double businessPct, Map<String, Object> byType, Double score, Map<String, Object> penalties,
            Map<String, Object> breaker) {
        String state = score == null ? "unknown" : score >= 85 ? "healthy" : score >= 70 ? "degraded" : "critical";
        return map("service", service, "path", path, "rps", rps, "p99_ms", p99, "server_error_pct", serverPct,
                "business_error_pct", businessPct, "business_errors_by_type", byType, "score", score,
                "state", state, "stale", false, "penalties", penalties, "breaker", breaker);
    }

    /** An ordered map that, unlike Map.of, keeps nulls (the contract's fields may be null). */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static String toJson(Object doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
