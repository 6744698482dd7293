package dev.apiguard.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.apiguard.metrics.AdminAuth;
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
 *       ({@code %2Fusers%2F%7Bid%7D}), or {@code POST /api/v1/breakers/force-open?route=/users/{id}},
 *       or the route in the JSON body: {@code {"route":"/users/{id}"}}
 * </ul>
 * The reads are open; every state change needs the admin token and a JSON body ({@link AdminAuth})
 * and is logged. The server in front refuses foreign Host and Origin headers. {@code run} mounts
 * the same handlers on its own port.
 */
public final class GatewayAdmin {
    static final String BREAKERS = "/api/v1/breakers";
    private static final List<String> ACTIONS = List.of("force-open", "disable", "reset");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayAdmin() {}

    public static Map<String, Function<Request, Response>> routes(BreakerRegistry breakers, PrometheusRegistry registry,
            AdminAuth auth) {
        Map<String, Function<Request, Response>> routes = new LinkedHashMap<>();
        routes.put("/metrics", request -> new Response(200, MetricsText.CONTENT_TYPE, MetricsText.render(registry)));
        routes.put(BREAKERS, request -> breakers(breakers, auth, request));
        return routes;
    }

    static Response breakers(BreakerRegistry breakers, AdminAuth auth, Request request) {
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
        if (!ACTIONS.contains(action)) {
            return error(404, "unknown action '" + action + "'; use one of " + ACTIONS);
        }
        Optional<Response> refused = auth.refuse(request, action);
        if (refused.isPresent()) {
            return refused.get();
        }
        JsonNode body;
        try {
            body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (java.io.IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return audited(auth, request, action, error(400, "the body must be a JSON object, e.g. {} or {\"route\":\"/users/{id}\"}"));
        }
        String route = slash != 0 ? rest.substring(1, slash)
                : request.param("route", body.path("route").isTextual() ? body.path("route").asText() : null);
        if (route == null || route.isEmpty() || !route.startsWith("/")) {
            return audited(auth, request, action, error(400, "name the route, URL-encoded (" + BREAKERS
                    + "/%2Fusers%2F%7Bid%7D/" + action + "), as ?route=/users/{id}, or as {\"route\":\"/users/{id}\"}"));
        }
        if (!action.equals("reset")) {
            String overflow = breakers.noOwnBreakerReason(route);
            if (overflow != null) {
                return audited(auth, request, action + " " + route, error(409, overflow + "; nothing was changed"));
            }
        }
        Optional<BreakerSnapshot> result = switch (action) {
            case "force-open" -> breakers.forceOpen(route);
            case "disable" -> breakers.disable(route);
            default -> breakers.reset(route);
        };
        Response response = result.map(s -> json(200, toMap(s))).orElseGet(() -> action.equals("reset")
                ? error(404, "no breaker for route " + route)
                : error(409, "route " + route + " cannot get a breaker of its own; nothing was changed"));
        return audited(auth, request, action + " " + route, response);
    }

    private static Response audited(AdminAuth auth, Request request, String what, Response response) {
        String result = response.status() == 200
                ? "state " + toStateLabel(response)
                : new String(response.body(), StandardCharsets.UTF_8);
        auth.audit(request, what, response.status(), result);
        return response;
    }

    private static String toStateLabel(Response response) {
        try {
            return JSON.readTree(response.body()).path("state").asText("?");
        } catch (java.io.IOException e) {
            return "?";
        }
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
