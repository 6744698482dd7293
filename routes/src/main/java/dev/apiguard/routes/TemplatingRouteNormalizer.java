package dev.apiguard.routes;

import java.util.Map;

/** Placeholder until the routes stage lands: strips the query only. */
final class TemplatingRouteNormalizer implements RouteNormalizer {
    TemplatingRouteNormalizer(RoutesConfig config) {}

    @Override
    public String route(String service, String rawPath) {
        int q = rawPath.indexOf('?');
        return q < 0 ? rawPath : rawPath.substring(0, q);
    }

    @Override
    public Map<String, Long> overflowCounts() {
        return Map.of();
    }
}
