package dev.apiguard.routes;

import java.util.Map;

/**
 * Turns raw request targets into route templates ({@code /users/{id}}), bounded per service.
 *
 * <p>Shared by the agent and the gateway, so both label the same request with the same route.
 * Implementations are thread-safe.
 */
public interface RouteNormalizer {
    /** The route every request maps to once its service has used up its route budget. */
    String OVERFLOW_ROUTE = "/{overflow}";

    /** The route of a path {@link CanonicalPath} refuses (an encoded slash, dot segments above the root...). */
    String REFUSED_ROUTE = "/{refused}";

    /**
     * The route template for {@code rawPath} (query string dropped), never null. The path is
     * canonicalised first ({@link CanonicalPath}), so every spelling of a path gets one route.
     */
    String route(String service, String rawPath);

    /**
     * The route of a gRPC call: {@code /package.Service/Method} exactly as named, case kept and never
     * templated (a service's methods are a bounded set fixed by its schema, and gRPC matches them
     * case-sensitively), within the same per-service budget. A path that is not {@code /X/Y} is
     * routed as {@link #route} routes it.
     */
    default String grpcRoute(String service, String rawPath) {
        return route(service, rawPath);
    }

    /**
     * Whether {@code route} (a route as this normalizer names it) is admitted for {@code service}, or
     * the service's budget still has room for it. Read-only: it admits nothing.
     */
    default boolean hasRoomFor(String service, String route) {
        return true;
    }

    /** Requests mapped to {@link #OVERFLOW_ROUTE}, per service, since start. */
    Map<String, Long> overflowCounts();

    /** Paths mapped to {@link #REFUSED_ROUTE}, by {@link CanonicalPath.Reason#label()}, since start. */
    default Map<String, Long> refusedCounts() {
        return Map.of();
    }

    static RouteNormalizer create(RoutesConfig config) {
        return new TemplatingRouteNormalizer(config);
    }
}
