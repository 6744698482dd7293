package dev.apiguard.app;

import dev.apiguard.routes.RouteNormalizer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Self-metrics of the stages after capture. */
final class NodeSelfMetrics {
    private NodeSelfMetrics() {}

    static void register(PrometheusRegistry registry, RouteNormalizer routes) {
        CounterWithCallback.builder()
                .name("apiguard_routes_overflow_total")
                .help("Requests mapped to the overflow route because their service reached its route limit")
                .labelNames("service")
                .callback(cb -> routes.overflowCounts().forEach((service, n) -> cb.call(n, service)))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_routes_refused_total")
                .help("Requests whose path has no canonical form (an encoded slash, dot segments above the root...),"
                        + " by reason; their route is /{refused}")
                .labelNames("reason")
                .callback(cb -> routes.refusedCounts().forEach((reason, n) -> cb.call(n, reason)))
                .register(registry);
    }
}
