package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import dev.apiguard.metrics.EndpointTotals;
import dev.apiguard.metrics.EndpointTotalsSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class EmbeddedWindowSourceTest {
    private static final Duration STEP = Duration.ofSeconds(5);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ApiMetrics metrics = new ApiMetrics(registry);
    private final Traffic traffic = new Traffic(metrics);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** Window of 3 evaluations. */
    private final ScoreConfig config = ScoreConfig.defaults().withWindow(Duration.ofSeconds(15)).withInterval(STEP);

    private Map<String, WindowStats> read(WindowSource source) throws Exception {
        WindowSource.Reading r = source.read(now);
        now = now.plus(STEP);
        return r.endpoints().stream().collect(Collectors.toMap(WindowStats::path, Function.identity()));
    }

    @Test
    void firstReadIsABaselineThenIncrementsCount() throws Exception {
        traffic.ok("/a", 7, 0.01);
        WindowSource source = WindowSources.embedded(metrics, config);
        assertThat(read(source).get("/a").requests()).isZero();
        traffic.ok("/a", 30, 0.01);
        traffic.serverErrors("/a", 3);
        traffic.business("/a", 2, ErrorType.PAYMENT_FAILURE, Severity.CRITICAL);
        traffic.business("/a", 1, ErrorType.VALIDATION, Severity.MEDIUM);
        WindowStats a = read(source).get("/a");
        assertThat(a.requests()).isEqualTo(36);
        assertThat(a.serverErrors()).isEqualTo(3);
        assertThat(a.critical()).isEqualTo(2);
        assertThat(a.medium()).isEqualTo(1);
        assertThat(a.high() + a.low()).isZero();
    }

    @Test
    void seriesBornAfterTheBaselineCountInFull() throws Exception {
        WindowSource source = WindowSources.embedded(metrics, config);
        read(source);
        traffic.ok("/new", 25, 0.01);
        assertThat(read(source).get("/new").requests()).isEqualTo(25);
    }

    @Test
    void theWindowSlides() throws Exception {
        WindowSource source = WindowSources.embedded(metrics, config);
        read(source);
        traffic.ok("/a", 10, 0.01);
        assertThat(read(source).get("/a").requests()).isEqualTo(10);
        traffic.ok("/a", 20, 0.01);
        assertThat(read(source).get("/a").requests()).isEqualTo(30);
        traffic.ok("/a", 40, 0.01);
        assertThat(read(source).get("/a").requests()).isEqualTo(70);
        // Three slots: the 10 drop out.
        assertThat(read(source).get("/a").requests()).isEqualTo(60);
        assertThat(read(source).get("/a").requests()).isEqualTo(40);
        assertThat(read(source).get("/a").requests()).isZero();
    }

    @Test
    void reportsTheSpanActuallyCovered() throws Exception {
        WindowSource source = WindowSources.embedded(metrics, config);
        assertThat(source.read(now).window()).isEqualTo(Duration.ZERO);
        assertThat(source.read(now.plus(STEP)).window()).isEqualTo(STEP);
        source.read(now.plus(STEP.multipliedBy(2)));
        source.read(now.plus(STEP.multipliedBy(3)));
        assertThat(source.read(now.plus(STEP.multipliedBy(4))).window()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void onlyTheConfiguredSidesCount() throws Exception {
        WindowSource source = WindowSources.embedded(metrics, config);
        read(source);
        traffic.record(Side.SERVER, "/a", 10, 200, 0.01, new Verdict.Ok(true));
        traffic.record(Side.GATEWAY, "/a", 5, 200, 0.01, new Verdict.Ok(true));
        traffic.record(Side.CLIENT, "/a", 100, 200, 0.01, new Verdict.Ok(true));
        assertThat(read(source).get("/a").requests()).isEqualTo(15);
    }

    @Test
    void p99ComesFromBucketDeltas() throws Exception {
        WindowSource source = WindowSources.embedded(metrics, config);
        traffic.ok("/a", 1000, 2.0); // before the baseline: must not count
        read(source);
        traffic.ok("/a", 98, 0.3); // bucket (0.25, 0.5]
        traffic.ok("/a", 2, 0.6); // bucket (0.5, 0.75]
        // rank 99 of 100: halfway through (0.5, 0.75].
        assertThat(read(source).get("/a").p99Seconds()).isCloseTo(0.625, within(1e-9));
    }

    /** Totals set by hand, as a restarted or replaced ApiMetrics would show them. */
    private static final class FakeTotals implements EndpointTotalsSource {
        List<EndpointTotals> totals = List.of();

        @Override
        public double[] durationBucketBounds() {
            return new double[] {0.1, 1, Double.POSITIVE_INFINITY};
        }

        @Override
        public List<EndpointTotals> endpointTotals() {
            return totals;
        }

        static EndpointTotals requests(String side, String path, long n) {
            return new EndpointTotals("shop", side, path, n, 0, 0, 0, 0, 0, new long[] {n, 0, 0});
        }
    }

    @Test
    void aCounterResetCountsTheNewValueNotANegativeDelta() throws Exception {
        FakeTotals fake = new FakeTotals();
        fake.totals = List.of(FakeTotals.requests("server", "/a", 100));
        WindowSource source = WindowSources.embedded(fake, config);
        read(source);
        fake.totals = List.of(FakeTotals.requests("server", "/a", 130));
        assertThat(read(source).get("/a").requests()).isEqualTo(30);
        fake.totals = List.of(FakeTotals.requests("server", "/a", 12)); // the process restarted: 12 since then
        assertThat(read(source).get("/a").requests()).isEqualTo(42);
    }

    @Test
    void aResetIsPerSide() throws Exception {
        FakeTotals fake = new FakeTotals();
        fake.totals = List.of(FakeTotals.requests("server", "/a", 100), FakeTotals.requests("gateway", "/a", 50));
        WindowSource source = WindowSources.embedded(fake, config);
        assertThat(read(source).get("/a").requests()).as("baseline").isZero();
        fake.totals = List.of(FakeTotals.requests("server", "/a", 7), FakeTotals.requests("gateway", "/a", 60));
        assertThat(read(source).get("/a").requests()).as("7 since the server side's reset, 10 on the gateway")
                .isEqualTo(17);
    }

    @Test
    void anyFieldGoingDownIsAReset() throws Exception {
        FakeTotals fake = new FakeTotals();
        fake.totals = List.of(new EndpointTotals("shop", "server", "/a", 100, 10, 5, 0, 0, 0, new long[] {100, 0, 0}));
        WindowSource source = WindowSources.embedded(fake, config);
        read(source);
        // More requests, fewer 5xx: only a restart explains it, so everything counts as new.
        fake.totals = List.of(new EndpointTotals("shop", "server", "/a", 120, 2, 1, 0, 0, 0, new long[] {120, 0, 0}));
        WindowStats a = read(source).get("/a");
        assertThat(a.requests()).isEqualTo(120);
        assertThat(a.serverErrors()).isEqualTo(2);
        assertThat(a.critical()).isEqualTo(1);
    }

    @Test
    void totalsThatVanishAndComeBackCountInFull() throws Exception {
        FakeTotals fake = new FakeTotals();
        fake.totals = List.of(FakeTotals.requests("server", "/a", 100));
        WindowSource source = WindowSources.embedded(fake, config);
        read(source);
        fake.totals = List.of();
        assertThat(read(source)).as("quiet and gone: forgotten").doesNotContainKey("/a");
        fake.totals = List.of(FakeTotals.requests("server", "/a", 40));
        assertThat(read(source).get("/a").requests()).isEqualTo(40);
    }

    @Test
    void bucketsThatDoNotMatchTheBoundsGiveNoP99() throws Exception {
        FakeTotals fake = new FakeTotals();
        WindowSource source = WindowSources.embedded(fake, config);
        read(source);
        fake.totals = List.of(new EndpointTotals("shop", "server", "/a", 20, 0, 0, 0, 0, 0, new long[] {20}));
        WindowStats a = read(source).get("/a");
        assertThat(a.requests()).isEqualTo(20);
        assertThat(a.p99Seconds()).isNaN();
    }

    @Test
    void aFailingSourceIsASourceException() {
        EndpointTotalsSource broken = new EndpointTotalsSource() {
            @Override
            public double[] durationBucketBounds() {
                return new double[] {Double.POSITIVE_INFINITY};
            }

            @Override
            public List<EndpointTotals> endpointTotals() {
                throw new IllegalStateException("gone");
            }
        };
        WindowSource source = WindowSources.embedded(broken, config);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.read(now))
                .isInstanceOf(WindowSource.SourceException.class)
                .hasMessageContaining("gone");
    }

    @Test
    void endpointsBeyondTheLimitAreDroppedAndCounted() throws Exception {
        WindowSource source = WindowSources.embedded(metrics, config.withMaxEndpoints(2));
        read(source);
        traffic.ok("/a", 1, 0.01);
        traffic.ok("/b", 1, 0.01);
        traffic.ok("/c", 1, 0.01);
        WindowSource.Reading r = source.read(now);
        assertThat(r.endpoints()).hasSize(2);
        assertThat(r.dropped()).isEqualTo(1);
        // The same two stay scored; the third stays out.
        List<String> kept = r.endpoints().stream().map(WindowStats::path).toList();
        traffic.ok("/d", 1, 0.01);
        WindowSource.Reading again = source.read(now.plus(STEP));
        assertThat(again.endpoints()).extracting(WindowStats::path).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(again.dropped()).as("/c and /d").isEqualTo(2);
    }

    @Test
    void aDroppedEndpointIsScoredOnceThereIsRoom() throws Exception {
        FakeTotals fake = new FakeTotals();
        WindowSource source = WindowSources.embedded(fake, config.withMaxEndpoints(1));
        read(source);
        fake.totals = List.of(FakeTotals.requests("server", "/a", 5), FakeTotals.requests("server", "/b", 5));
        WindowSource.Reading first = source.read(now);
        assertThat(first.endpoints()).extracting(WindowStats::path).hasSize(1);
        assertThat(first.dropped()).isEqualTo(1);
        String kept = first.endpoints().getFirst().path();
        String other = kept.equals("/a") ? "/b" : "/a";
        // The kept endpoint's totals vanish; once its window empties, the other one gets its ring.
        fake.totals = List.of(FakeTotals.requests("server", other, 5));
        for (int i = 0; i < 3; i++) {
            source.read(now.plus(STEP.multipliedBy(i + 1)));
        }
        fake.totals = List.of(FakeTotals.requests("server", other, 9));
        WindowSource.Reading later = source.read(now.plus(STEP.multipliedBy(5)));
        assertThat(later.dropped()).isZero();
        assertThat(later.endpoints()).extracting(WindowStats::path, WindowStats::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(other, 4.0));
    }
}
