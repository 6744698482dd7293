package dev.apiguard.routes;

import java.util.List;

/**
 * Route templating options.
 *
 * @param templates user templates such as {@code /api/v1/orders/{order}/items}; they win over the
 *     heuristics (default: none)
 * @param maxRoutesPerService distinct routes per service before the overflow route (default 1000)
 */
public record RoutesConfig(List<String> templates, int maxRoutesPerService) {
    public static final int DEFAULT_MAX_ROUTES_PER_SERVICE = 1000;

    public RoutesConfig {
        templates = List.copyOf(templates);
        if (maxRoutesPerService < 1) {
            throw new IllegalArgumentException("routes.max-per-service must be at least 1, got " + maxRoutesPerService);
        }
    }

    public static RoutesConfig defaults() {
        return new RoutesConfig(List.of(), DEFAULT_MAX_ROUTES_PER_SERVICE);
    }
}
