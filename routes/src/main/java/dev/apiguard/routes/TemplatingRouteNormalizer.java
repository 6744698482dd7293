package dev.apiguard.routes;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Route templates from user templates first, then heuristics ({@link Paths#template}), with a budget
 * of distinct routes per service. Thread-safe: lookups of known routes take no lock; only admitting a
 * new route to a service synchronises on that service.
 */
final class TemplatingRouteNormalizer implements RouteNormalizer {
    private static final int CACHE_SLOTS = 4096;

    private final UserTemplates templates;
    /** Folded template → the template as configured (only when routes are case-insensitive). */
    private final Map<String, String> configuredTemplates = new java.util.HashMap<>();
    private final CanonicalPath canonical;
    private final int maxRoutesPerService;
    private final RouteCache cache = new RouteCache(CACHE_SLOTS);
    private final ConcurrentHashMap<String, ServiceRoutes> services = new ConcurrentHashMap<>();

    /** One service's admitted routes and its overflow count. */
    private static final class ServiceRoutes {
        final Map<String, Boolean> routes = new ConcurrentHashMap<>();
        final LongAdder overflow = new LongAdder();
    }

    TemplatingRouteNormalizer(RoutesConfig config) {
        this.canonical = new CanonicalPath(config.canonical());
        if (config.canonical().caseSensitive()) {
            this.templates = new UserTemplates(config.templates());
        } else {
            // Keys are folded, so templates are matched folded; the route keeps the configured spelling.
            java.util.List<String> folded = new java.util.ArrayList<>();
            for (String t : config.templates()) {
                String f = t == null ? null : t.toLowerCase(java.util.Locale.ROOT);
                folded.add(f);
                if (f != null) {
                    configuredTemplates.putIfAbsent(f, t);
                }
            }
            this.templates = new UserTemplates(folded);
        }
        this.maxRoutesPerService = config.maxRoutesPerService();
    }

    @Override
    public String route(String service, String rawPath) {
        String serviceKey = service == null ? "" : service;
        String raw = rawPath == null ? "" : rawPath;
        String cached = cache.get(serviceKey, raw);
        if (cached == null) {
            String template = templateOf(raw);
            cached = admit(serviceKey, template);
            if (!REFUSED_ROUTE.equals(template)) {
                cache.put(serviceKey, raw, cached); // refusals are not cached: each one is counted
            }
        }
        if (OVERFLOW_ROUTE.equals(cached)) {
            services.get(serviceKey).overflow.increment(); // counted per request, cached or not
        }
        return cached;
    }

    /** Keeps gRPC routes apart from ordinary ones in the cache: the same path may be both. */
    private static final String GRPC_CACHE_TAG = "\u0000grpc";

    @Override
    public String grpcRoute(String service, String rawPath) {
        String serviceKey = service == null ? "" : service;
        String raw = rawPath == null ? "" : rawPath;
        String cacheKey = serviceKey + GRPC_CACHE_TAG;
        String cached = cache.get(cacheKey, raw);
        if (cached == null) {
            String template = grpcTemplateOf(raw);
            cached = admit(serviceKey, template);
            if (!REFUSED_ROUTE.equals(template)) {
                cache.put(cacheKey, raw, cached);
            }
        }
        if (OVERFLOW_ROUTE.equals(cached)) {
            services.get(serviceKey).overflow.increment();
        }
        return cached;
    }

    private String grpcTemplateOf(String raw) {
        if (!(canonical.of(Paths.pathOf(raw)) instanceof CanonicalPath.Canonical c)) {
            return REFUSED_ROUTE;
        }
        String stem = c.stem();
        int slash = stem.indexOf('/', 1);
        boolean serviceAndMethod = slash > 1 && slash < stem.length() - 1 && stem.indexOf('/', slash + 1) < 0;
        return serviceAndMethod ? stem : templateOf(raw);
    }

    private String templateOf(String raw) {
        // Canonical key first: the templates and heuristics see one spelling per resource, so the
        // gateway's breaker key and the agent's route label agree for every spelling.
        if (!(canonical.of(Paths.pathOf(raw)) instanceof CanonicalPath.Canonical c)) {
            return REFUSED_ROUTE;
        }
        String user = templates.isEmpty() ? null : templates.match(c.key());
        if (user != null) {
            return configuredTemplates.getOrDefault(user, user);
        }
        // Segments are judged before case folding (a token's mixed case tells it from a word); the
        // template is folded after, so every spelling still gets one route.
        return canonical.fold(Paths.template(c.stem()));
    }

    @Override
    public boolean hasRoomFor(String service, String route) {
        ServiceRoutes routes = services.get(service == null ? "" : service);
        int admitted = routes == null ? 0 : routes.routes.size();
        return routes != null && routes.routes.containsKey(route) || admitted < maxRoutesPerService;
    }

    private String admit(String service, String route) {
        ServiceRoutes routes = services.computeIfAbsent(service, s -> new ServiceRoutes());
        if (routes.routes.containsKey(route)) {
            return route;
        }
        synchronized (routes) {
            if (routes.routes.containsKey(route)) {
                return route;
            }
            if (routes.routes.size() >= maxRoutesPerService) {
                return OVERFLOW_ROUTE;
            }
            routes.routes.put(route, Boolean.TRUE);
            return route;
        }
    }

    @Override
    public Map<String, Long> refusedCounts() {
        return canonical.refusedCounts();
    }

    @Override
    public Map<String, Long> overflowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        services.forEach((service, routes) -> {
            long n = routes.overflow.sum();
            if (n > 0) {
                counts.put(service, n);
            }
        });
        return counts;
    }
}
