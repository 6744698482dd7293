package dev.apiguard.score;

import dev.apiguard.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.apiguard.metrics.MetricsText;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class ScorerTest {
    private static final Duration STEP = Duration.ofSeconds(5);

    /** Answers what the test queued, or fails when told to. */
    private static final class ScriptedSource implements WindowSource {
        List<WindowStats> next = List.of();
        boolean failing;

        @Override
        public Reading read(Instant at) throws SourceException {
            if (failing) {
                throw new SourceException("connection refused");
            }
            return new Reading(Duration.ofMinutes(5), next, 0);
        }

        @Override
        public String name() {
            return "scripted";
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScriptedSource source = new ScriptedSource();
    private final PrometheusRegistry published = new PrometheusRegistry();
    private final Scorer scorer = new Scorer(source, ScoreConfig.defaults(), clock, published);

    private static WindowStats medium(String path, double n, double medium) {
        return new WindowStats("shop", path, n, 0, 0, 0, medium, 0, 0.01);
    }

    private EndpointScore only() {
        assertThat(scorer.scores()).hasSize(1);
        return scorer.scores().getFirst();
    }

    private String metricsText() {
        return new String(MetricsText.render(published), StandardCharsets.UTF_8);
    }

    private void step() {
        clock.advance(STEP);
        scorer.evaluate();
    }

    @Test
    void belowTheMinimumVolumeTheStateIsUnknownWithNoScoreAndNoGauge() {
        source.next = List.of(medium("/a", 19, 0));
        scorer.evaluate();
        assertThat(only().state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(only().score()).isEmpty();
        assertThat(metricsText()).doesNotContain("api_endpoint_health_score{");

        source.next = List.of(medium("/a", 20, 0));
        step();
        assertThat(only().state()).isEqualTo(HealthState.HEALTHY);
        assertThat(only().score()).isEqualTo(OptionalDouble.of(100));
    }

    @Test
    void publishesScoreAndPenaltyGauges() {
        source.next = List.of(medium("/a", 500, 10));
        scorer.evaluate();
        String text = metricsText();
        assertThat(text).contains("api_endpoint_health_score{path=\"/a\",service=\"shop\"} 88.0");
        assertThat(text).contains("api_endpoint_health_penalty{component=\"business_medium\",path=\"/a\",service=\"shop\"} 12.0");
        assertThat(text).contains("apiguard_scorer_evaluations_total{outcome=\"ok\"} 1.0");
        assertThat(only().penalties()).isEqualTo(Map.of("business_medium", 12.0));
        assertThat(only().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(only().requests()).isEqualTo(500);
    }

    @Test
    void stateChangesOnlyAfterTheDwell() {
        source.next = List.of(medium("/a", 1000, 0));
        scorer.evaluate();
        source.next = List.of(medium("/a", 1000, 40)); // 4% medium: 76, beyond the margin below 85
        List<HealthState> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            step();
            states.add(only().state());
        }
        assertThat(states).containsExactly(HealthState.HEALTHY, HealthState.HEALTHY, HealthState.DEGRADED);
        assertThat(only().score()).isEqualTo(OptionalDouble.of(76));
    }

    @Test
    void aFailingSourceKeepsScoresStaleForTheTtlThenUnknown() {
        source.next = List.of(medium("/a", 500, 10));
        scorer.evaluate();
        Instant fresh = clock.instant();
        source.failing = true;
        step();
        EndpointScore stale = only();
        assertThat(stale.stale()).isTrue();
        assertThat(stale.score()).isEqualTo(OptionalDouble.of(88));
        assertThat(stale.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(stale.evaluatedAt()).isEqualTo(fresh);
        assertThat(metricsText()).contains("api_endpoint_health_score{path=\"/a\",service=\"shop\"} 88.0")
                .contains("apiguard_scorer_stale_endpoints 1.0")
                .contains("apiguard_scorer_source_errors_total 1.0");

        clock.advance(Duration.ofMinutes(2)); // 2m05s since the last success: past the TTL
        scorer.evaluate();
        EndpointScore unknown = only();
        assertThat(unknown.state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(unknown.score()).isEmpty();
        assertThat(unknown.stale()).isTrue();
        assertThat(metricsText()).doesNotContain("api_endpoint_health_score{").contains("apiguard_scorer_stale_endpoints 0.0");

        source.failing = false;
        source.next = List.of(medium("/a", 1000, 100)); // 10% medium: 40, critical at once after unknown
        step();
        assertThat(only().stale()).isFalse();
        assertThat(only().state()).isEqualTo(HealthState.CRITICAL);
    }

    @Test
    void exactlyAtTheTtlTheScoreIsStillKept() {
        source.next = List.of(medium("/a", 500, 0));
        scorer.evaluate();
        source.failing = true;
        clock.advance(Duration.ofMinutes(2));
        scorer.evaluate();
        assertThat(only().state()).isEqualTo(HealthState.HEALTHY);
        assertThat(only().stale()).isTrue();
    }

    @Test
    void aSourceThatNeverAnsweredGivesNoScores() {
        source.failing = true;
        scorer.evaluate();
        assertThat(scorer.scores()).isEmpty();
    }

    @Test
    void endpointsTheSourceNoLongerReportsAreForgotten() {
        source.next = List.of(medium("/a", 500, 0), medium("/b", 500, 0));
        scorer.evaluate();
        source.next = List.of(medium("/b", 500, 0));
        step();
        assertThat(only().path()).isEqualTo("/b");
    }

    @Test
    void routeRulesApplyByPath() {
        Scorer withRules = new Scorer(source,
                ScoreConfig.defaults().withRoutes(List.of(RouteRule.of("/checkout*", Criticality.CRITICAL))),
                clock, new PrometheusRegistry());
        source.next = List.of(medium("/checkout/pay", 1000, 20), medium("/other", 1000, 20));
        List<EndpointScore> scores = withRules.evaluate();
        assertThat(scores).extracting(s -> s.score().getAsDouble()).containsExactly(82.0, 88.0);
    }

    @Test
    void oneRegistryCanBeReadAndPublishedInto() {
        PrometheusRegistry shared = new PrometheusRegistry();
        dev.apiguard.metrics.ApiMetrics metrics = new dev.apiguard.metrics.ApiMetrics(shared);
        Traffic traffic = new Traffic(metrics);
        Scorer embedded = EmbeddedScorer.create(metrics, shared, ScoreConfig.defaults(), clock);
        embedded.evaluate();
        traffic.ok("/a", 50, 0.02);
        clock.advance(STEP);
        embedded.evaluate();
        String text = new String(MetricsText.render(shared), StandardCharsets.UTF_8);
        assertThat(text).contains("api_endpoint_health_score{path=\"/a\",service=\"shop\"} 100.0")
                .contains("api_http_requests_total{");
        embedded.close();
        assertThat(new String(MetricsText.render(shared), StandardCharsets.UTF_8))
                .doesNotContain("api_endpoint_health_score").contains("api_http_requests_total{");
    }

    @Test
    void theEmbeddedScorerScoresARegistry() {
        PrometheusRegistry agent = new PrometheusRegistry();
        dev.apiguard.metrics.ApiMetrics metrics = new dev.apiguard.metrics.ApiMetrics(agent);
        Traffic traffic = new Traffic(metrics);
        Scorer embedded = EmbeddedScorer.create(metrics, new PrometheusRegistry(), ScoreConfig.defaults(), clock);
        embedded.evaluate();
        traffic.ok("/checkout/pay", 90, 0.02);
        traffic.business("/checkout/pay", 10, dev.apiguard.semantics.ErrorType.PAYMENT_FAILURE,
                dev.apiguard.semantics.Severity.CRITICAL);
        traffic.ok("/quiet", 5, 0.02);
        clock.advance(STEP);
        List<EndpointScore> scores = embedded.evaluate();
        assertThat(scores).extracting(EndpointScore::path, EndpointScore::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/checkout/pay", HealthState.CRITICAL),
                org.assertj.core.groups.Tuple.tuple("/quiet", HealthState.UNKNOWN));
        assertThat(scores.getFirst().score()).isEqualTo(OptionalDouble.of(40));
        assertThat(scores.getFirst().window()).isEqualTo(STEP);
    }
}
