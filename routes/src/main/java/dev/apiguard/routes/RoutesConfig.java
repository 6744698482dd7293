package dev.apiguard.routes;

import java.util.List;

/**
 * Route templating options.
 *
 * @param templates user templates such as {@code /api/v1/orders/{order}/items}; they win over the
 *     heuristics (default: none)
 * @param maxRoutesPerService distinct routes per service before the overflow route (default 1000)
 * @param canonical how paths are canonicalised before templating ({@link CanonicalPath.Options#defaults()})
 */
public record RoutesConfig(List<String> templates, int maxRoutesPerService, CanonicalPath.Options canonical) {
    public static final int DEFAULT_MAX_ROUTES_PER_SERVICE = 1000;

    public RoutesConfig {
        templates = List.copyOf(templates);
        if (canonical == null) {
            canonical = CanonicalPath.Options.defaults();
        }
        if (maxRoutesPerService < 1) {
            throw new IllegalArgumentException("routes.max-per-service must be at least 1, got " + maxRoutesPerService);
        }
    }

    public RoutesConfig(List<String> templates, int maxRoutesPerService) {
        this(templates, maxRoutesPerService, CanonicalPath.Options.defaults());
    }

    public static RoutesConfig defaults() {
        return new RoutesConfig(List.of(), DEFAULT_MAX_ROUTES_PER_SERVICE);
    }
}
