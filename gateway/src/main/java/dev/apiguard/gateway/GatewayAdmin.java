package dev.apiguard.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;
import dev.apiguard.metrics.MetricsText;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The admin API, as handlers for {@link dev.apiguard.metrics.AdminHttpServer}:
 * <ul>
 *   <li>{@code GET /metrics}
 *   <li>{@code GET /api/v1/breakers}: every breaker with state and reason
 *   <li>{@code POST /api/v1/breakers/{route}/force-open|disable|reset}, the route URL-encoded
 *       ({@code %2Fusers%2F%7Bid%7D}), or {@code POST /api/v1/breakers/force-open?route=/users/{id}}
 * </ul>
 * {@code run} mounts the same handlers on its own port.
 */
public final class GatewayAdmin {
    static final String BREAKERS = "/api/v1/breakers";
    private static final List<String> ACTIONS = List.of("force-open", "disable", "reset");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayAdmin() {}

    public static Map<String, Function<Request, Response>> routes(BreakerRegistry breakers, PrometheusRegistry registry) {
        Map<String, Function<Request, Response>> routes = new LinkedHashMap<>();
        routes.put("/metrics", request -> new Response(200, MetricsText.CONTENT_TYPE, MetricsText.render(registry)));
        routes.put(BREAKERS, request -> breakers(breakers, request));
        return routes;
    }

    static Response breakers(BreakerRegistry breakers, Request request) {
        String rest = request.path().length() > BREAKERS.length() ? request.path().substring(BREAKERS.length()) : "";
        if (rest.isEmpty() || rest.equals("/")) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return error(405, "use GET " + BREAKERS);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("breakers", breakers.snapshot().stream().map(GatewayAdmin::toMap).toList());
            return json(200, body);
        }
        // rest is "/{route}/{action}" (the server hands us the decoded path) or "/{action}?route=..."
        int slash = rest.lastIndexOf('/');
        String action = rest.substring(slash + 1);
        String route = slash == 0 ? request.param("route", null) : rest.substring(1, slash);
        if (!ACTIONS.contains(action)) {
            return error(404, "unknown action '" + action + "'; use one of " + ACTIONS);
        }
        if (!request.method().equals("POST")) {
            return error(405, "use POST " + BREAKERS + "/{route}/" + action);
        }
        if (route == null || route.isEmpty() || !route.startsWith("/")) {
            return error(400, "name the route, URL-encoded (" + BREAKERS + "/%2Fusers%2F%7Bid%7D/" + action
                    + ") or as ?route=/users/{id}");
        }
        Optional<BreakerSnapshot> result = switch (action) {
            case "force-open" -> Optional.of(breakers.forceOpen(route));
            case "disable" -> Optional.of(breakers.disable(route));
            default -> breakers.reset(route);
        };
        return result.map(s -> json(200, toMap(s))).orElseGet(() -> error(404, "no breaker for route " + route));
    }

    static Map<String, Object> toMap(BreakerSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", s.route());
        m.put("state", s.status().label());
        m.put("state_code", s.status().code());
        m.put("reason", s.reason());
        m.put("since", s.since().toString());
        m.put("retry_at", s.retryAt().map(Object::toString).orElse(null));
        m.put("consecutive_trips", s.consecutiveTrips());
        m.put("window_calls", s.windowCalls());
        m.put("window_failures", s.windowFailures());
        m.put("score", s.score().isPresent() ? s.score().getAsDouble() : null);
        return m;
    }

    private static Response json(int status, Object body) {
        try {
            return new Response(status, "application/json", JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Response.text(500, "cannot render JSON\n");
        }
    }

    private static Response error(int status, String message) {
        return new Response(status, "application/json",
                ("{\"error\":" + Json.quote(message) + "}").getBytes(StandardCharsets.UTF_8));
    }
}
