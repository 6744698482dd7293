package dev.apiguard.score;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import dev.apiguard.metrics.EndpointTotalsSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Scoring inside the process that records the metrics ({@code ./apiguard run}): reads the
 * per-endpoint totals of its {@code ApiMetrics}, publishes into a registry (the agent's own is
 * fine), evaluates every {@code config.interval()}.
 *
 * <pre>{@code
 * Scorer scorer = EmbeddedScorer.start(apiMetrics, agentRegistry, ScoreConfig.defaults(), Clock.systemUTC(), scheduler);
 * gateway.useScores(scorer);            // a ScoreSource
 * ...
 * scorer.close();                        // stops the schedule, unregisters the families
 * }</pre>
 */
public final class EmbeddedScorer {
    private EmbeddedScorer() {}

    /** A scorer that evaluates only when {@link Scorer#evaluate()} is called (tests, custom loops). */
    public static Scorer create(EndpointTotalsSource read, PrometheusRegistry publishTo, ScoreConfig config, Clock clock) {
        return new Scorer(WindowSources.embedded(read, config), config, clock, publishTo);
    }

    /** A scorer already scheduled on {@code scheduler}, first evaluation now. */
    public static Scorer start(
            EndpointTotalsSource read,
            PrometheusRegistry publishTo,
            ScoreConfig config,
            Clock clock,
            ScheduledExecutorService scheduler) {
        Scorer scorer = create(read, publishTo, config, clock);
        scorer.start(scheduler);
        return scorer;
    }
}
