package dev.apiguard.app;

import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.semantics.learn.LearnedClassifier;
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

    static void register(PrometheusRegistry registry, LearnedClassifier learned) {
        CounterWithCallback.builder()
                .name("apiguard_baseline_overflow_total")
                .help("Learned-baseline observations that did not fit its bounds, by what: routes (max-routes),"
                        + " fields (max-fields per route), values (max-values per field)")
                .labelNames("what")
                .callback(cb -> learned.learner().overflowCounts().forEach((what, n) -> cb.call(n, what)))
                .register(registry);
    }
}
