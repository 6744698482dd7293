package dev.apiguard.metrics;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;

/**
 * The gate in front of every state-changing admin call: a state-changing verb, the bearer token,
 * and a JSON body (so that no CORS-simple form post can reach it), plus one audit line per attempt
 * on the process's log.
 */
public final class AdminAuth {
    private static final System.Logger AUDIT = System.getLogger("apiguard.admin");
    private static final Set<String> MUTATING_VERBS = Set.of("POST", "PUT", "DELETE");

    private final AdminToken token;

    public AdminAuth(AdminToken token) {
        this.token = token;
    }

    public AdminToken token() {
        return token;
    }

    /**
     * Empty when the request may change state; else the answer: 405 for a read verb, 401 without the
     * right token, 415 without a JSON body type. A refusal is logged.
     */
    public Optional<Response> refuse(Request request, String action) {
        Response refusal = check(request);
        if (refusal != null) {
            audit(request, action, refusal.status(), new String(refusal.body(), StandardCharsets.UTF_8).strip());
        }
        return Optional.ofNullable(refusal);
    }

    private Response check(Request request) {
        if (!MUTATING_VERBS.contains(request.method())) {
            return error(405, "use POST to change state", Map.of("Allow", "POST"));
        }
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || !token.matches(authorization.substring(7).strip())) {
            return error(401, "this call needs the admin token: Authorization: Bearer <token> (token in " + token.where() + ")",
                    Map.of("WWW-Authenticate", "Bearer realm=\"apiguard\""));
        }
        String type = request.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            return error(415, "send Content-Type: application/json (a JSON body, {} will do)", Map.of());
        }
        return null;
    }

    /** One line on the process log: who (peer address), what, the result. */
    public void audit(Request request, String action, int status, String result) {
        AUDIT.log(status < 400 ? Level.INFO : Level.WARNING, request.method() + " " + action + " by "
                + request.peer() + " -> " + status + " " + result);
    }

    private static Response error(int status, String message, Map<String, String> headers) {
        return new Response(status, "application/json",
                ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8),
                headers);
    }
}
