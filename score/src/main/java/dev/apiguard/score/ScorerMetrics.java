package dev.apiguard.score;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The scorer's published families. Score and penalty gauges are rendered from the latest score
 * list at scrape time, so a scrape never sees a half-updated set and an UNKNOWN endpoint simply has
 * no sample.
 */
final class ScorerMetrics implements AutoCloseable {
    static final String SCORE = "api_endpoint_health_score";
    static final String PENALTY = "api_endpoint_health_penalty";

    private final PrometheusRegistry registry;
    private final MultiCollector scores;
    final Counter evaluations;
    final Counter sourceErrors;
    final Counter endpointsOverflow;
    final Gauge staleEndpoints;
    final Gauge evaluationSeconds;

    ScorerMetrics(PrometheusRegistry registry, Supplier<List<EndpointScore>> latest) {
        this.registry = registry;
        this.scores = new ScoreFamilies(latest);
        registry.register(scores);
        evaluations = Counter.builder()
                .name("apiguard_scorer_evaluations_total")
                .help("Score evaluations, by outcome (ok: the source answered; source_error: it did not)")
                .labelNames("outcome")
                .register(registry);
        sourceErrors = Counter.builder()
                .name("apiguard_scorer_source_errors_total")
                .help("Evaluations whose source (registry or Prometheus) could not answer")
                .register(registry);
        endpointsOverflow = Counter.builder()
                .name("apiguard_scorer_endpoints_overflow_total")
                .help("Endpoints left unscored because max-endpoints was reached, summed over evaluations")
                .register(registry);
        staleEndpoints = Gauge.builder()
                .name("apiguard_scorer_stale_endpoints")
                .help("Endpoints whose score is kept from an earlier evaluation because the source failed")
                .register(registry);
        evaluationSeconds = Gauge.builder()
                .name("apiguard_scorer_last_evaluation_seconds")
                .help("Wall time of the last evaluation")
                .register(registry);
        evaluations.labelValues("ok");
        evaluations.labelValues("source_error");
    }

    /** Builds the two families from the latest scores, and only when a scrape asks for them. */
    private record ScoreFamilies(Supplier<List<EndpointScore>> latest) implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            return ScorerMetrics.collect(latest.get());
        }

        @Override
        public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
            // The default builds everything and filters afterwards; a filtered scrape of the same
            // registry for other families would pay for 10k gauges each time.
            if (includedNames != null && !includedNames.test(SCORE) && !includedNames.test(PENALTY)) {
                return MetricSnapshots.of();
            }
            return MultiCollector.super.collect(includedNames, request);
        }

        @Override
        public List<String> getPrometheusNames() {
            return List.of(SCORE, PENALTY);
        }
    }

    private static MetricSnapshots collect(List<EndpointScore> latest) {
        GaugeSnapshot.Builder score = GaugeSnapshot.builder()
                .name(SCORE)
                .help("Health 0-100 per endpoint over the scoring window; no sample while unknown");
        GaugeSnapshot.Builder penalty = GaugeSnapshot.builder()
                .name(PENALTY)
                .help("Points taken off the health score, per component");
        for (EndpointScore s : latest) {
            if (s.score().isEmpty()) {
                continue;
            }
            score.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("service", s.service(), "path", s.path()))
                    .value(s.score().getAsDouble())
                    .build());
            for (Map.Entry<String, Double> p : s.penalties().entrySet()) {
                penalty.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("service", s.service(), "path", s.path(), "component", p.getKey()))
                        .value(p.getValue())
                        .build());
            }
        }
        return new MetricSnapshots(score.build(), penalty.build());
    }

    @Override
    public void close() {
        registry.unregister(scores);
        registry.unregister(evaluations);
        registry.unregister(sourceErrors);
        registry.unregister(endpointsOverflow);
        registry.unregister(staleEndpoints);
        registry.unregister(evaluationSeconds);
    }
}
