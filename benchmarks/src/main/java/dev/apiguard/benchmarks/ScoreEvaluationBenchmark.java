package dev.apiguard.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.score.Criticality;
import dev.apiguard.score.EmbeddedScorer;
import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.RouteRule;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.score.Scorer;
import dev.apiguard.score.WindowSource;
import dev.apiguard.score.WindowStats;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One score evaluation over 10k endpoints (target ≤ 100 ms).
 *
 * <ul>
 *   <li>{@code scoreOnly}: gate, formula, hysteresis and publishing, from ready window stats (the
 *       Prometheus source's share after its queries);
 *   <li>{@code embeddedEndToEnd}: the embedded scorer's whole evaluation: a snapshot of the agent's
 *       per-endpoint totals (10k endpoints; the registry, with its request, histogram and
 *       business-error series, is not scraped), per-endpoint deltas, ring update, p99 per endpoint,
 *       then scoring. One exchange per endpoint is recorded before
 *       each evaluation (outside the measurement) so the window keeps traffic.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseSerialGC"}) // as ./apiguard runs
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScoreEvaluationBenchmark {

    /** Every synthetic exchange travels on this one connection. */
    private record TestConnection() implements ConnectionId {
        @Override
        public String describe() {
            return "test";
        }
    }

    private static final ConnectionId TEST_CONNECTION = new TestConnection();
    @Param({"1000", "10000"})
    int endpoints;

    private static final int SERVICES = 100;
    private final ScoreConfig config = ScoreConfig.defaults().withRoutes(List.of(
            RouteRule.of("/checkout*", Criticality.CRITICAL), RouteRule.of("/health", Criticality.LOW)));
    private final TickingClock clock = new TickingClock();

    private Scorer fromStats;
    private Scorer embedded;
    private ApiMetrics agent;
    private List<Exchange> exchanges;
    private List<String> routes;
    private long round;

    @Setup(Level.Trial)
    public void setUp() {
        List<WindowStats> stats = new ArrayList<>(endpoints);
        for (int i = 0; i < endpoints; i++) {
            // A mix: clean, business errors of each severity, 5xx, slow, too little traffic.
            double n = i % 10 == 9 ? 5 : 1000;
            stats.add(new WindowStats("svc" + (i % SERVICES), path(i), n, i % 7 == 0 ? 20 : 0,
                    i % 11 == 0 ? 100 : 0, i % 13 == 0 ? 10 : 0, i % 3 == 0 ? 20 : 0, i % 5 == 0 ? 5 : 0,
                    i % 4 == 0 ? 0.8 : 0.05));
        }
        WindowSource fixed = new WindowSource() {
            @Override
            public Reading read(Instant at) {
                return new Reading(config.window(), stats, 0);
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
        fromStats = new Scorer(fixed, config, clock, new PrometheusRegistry());

        PrometheusRegistry registry = new PrometheusRegistry();
        agent = new ApiMetrics(registry, SERVICES + 1);
        exchanges = new ArrayList<>(endpoints);
        routes = new ArrayList<>(endpoints);
        for (int i = 0; i < endpoints; i++) {
            exchanges.add(new Exchange("svc" + (i % SERVICES), Side.SERVER, "GET", path(i), i % 7 == 0 ? 503 : 200,
                    0, i % 4 == 0 ? 800_000_000L : 20_000_000L, 100, 100, "application/json", null, new byte[0], false, TEST_CONNECTION));
            routes.add(path(i));
        }
        embedded = EmbeddedScorer.create(agent, new PrometheusRegistry(), config, clock);
        recordTraffic();
        embedded.evaluate();
        recordTraffic();
    }

    private static String path(int i) {
        return (i % 50 == 0 ? "/checkout/step" : "/api/v1/resource") + i;
    }

    @Setup(Level.Invocation)
    public void recordTraffic() {
        round++;
        for (int i = 0; i < exchanges.size(); i++) {
            Verdict verdict = (i + round) % 10 == 0
                    ? new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL, true)
                    : new Verdict.Ok(true);
            agent.record(exchanges.get(i), routes.get(i), verdict);
        }
        clock.tick();
    }

    @Benchmark
    public List<EndpointScore> scoreOnly() {
        return fromStats.evaluate();
    }

    @Benchmark
    public List<EndpointScore> embeddedEndToEnd() {
        return embedded.evaluate();
    }

    /**
     * Thread CPU time per evaluation, for hosts too busy for wall-clock numbers to mean much (JMH
     * reports wall time): {@code java -cp benchmarks/target/benchmarks.jar
     * dev.apiguard.benchmarks.ScoreEvaluationBenchmark 10000}. Prints medians over 30 evaluations
     * after 10 warm-up rounds. Pass the JVM flags of {@code ./apiguard} ({@code -XX:+UseSerialGC
     * -Xms64m -Xmx1g}): with the default collector a growing heap's page faults land in the measuring
     * thread's CPU time and inflate every figure, the scrape's and the formula's alike.
     */
    public static void main(String[] args) {
        ScoreEvaluationBenchmark b = new ScoreEvaluationBenchmark();
        b.endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        b.setUp();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        int warmup = 10;
        int rounds = 30;
        long[] scrape = new long[rounds];
        long[] totals = new long[rounds];
        long[] windowRead = new long[rounds];
        // A second embedded source over the same totals, to time the read apart from the scoring.
        WindowSource window = dev.apiguard.score.WindowSources.embedded(b.agent, b.config);
        long[] embeddedCpu = new long[rounds];
        long[] scoreCpu = new long[rounds];
        for (int r = 0; r < warmup + rounds; r++) {
            b.recordTraffic();
            long t0 = cpu.getCurrentThreadCpuTime();
            b.agent.registry().scrape(name -> name.startsWith("api_"));
            long tTotals = cpu.getCurrentThreadCpuTime();
            b.agent.endpointTotals();
            long tWindow = cpu.getCurrentThreadCpuTime();
            try {
                window.read(b.clock.instant());
            } catch (WindowSource.SourceException e) {
                throw new IllegalStateException(e);
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            b.embeddedEndToEnd();
            long t2 = cpu.getCurrentThreadCpuTime();
            b.scoreOnly();
            long t3 = cpu.getCurrentThreadCpuTime();
            if (r >= warmup) {
                scrape[r - warmup] = tTotals - t0;
                totals[r - warmup] = tWindow - tTotals;
                windowRead[r - warmup] = t1 - tWindow;
                embeddedCpu[r - warmup] = t2 - t1;
                scoreCpu[r - warmup] = t3 - t2;
            }
        }
        System.out.printf("endpoints=%d thread CPU medians: scoreOnly %.1f ms, embeddedEndToEnd %.1f ms"
                        + "; measured apart: the embedded window read %.1f ms, of which the totals snapshot %.1f ms;"
                        + " a bare registry scrape (no longer part of it) %.1f ms%n",
                b.endpoints, median(scoreCpu), median(embeddedCpu), median(windowRead), median(totals), median(scrape));
        b.tearDown();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    @TearDown
    public void tearDown() {
        fromStats.close();
        embedded.close();
    }

    /** Advances five seconds per evaluation, as the default interval would. */
    static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void tick() {
            now = now.plusSeconds(5);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
