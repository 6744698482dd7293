package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.apiguard.http.Side;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
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
        WindowSource source = WindowSources.embedded(registry, config);
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
        WindowSource source = WindowSources.embedded(registry, config);
        read(source);
        traffic.ok("/new", 25, 0.01);
        assertThat(read(source).get("/new").requests()).isEqualTo(25);
    }

    @Test
    void theWindowSlides() throws Exception {
        WindowSource source = WindowSources.embedded(registry, config);
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
        WindowSource source = WindowSources.embedded(registry, config);
        assertThat(source.read(now).window()).isEqualTo(Duration.ZERO);
        assertThat(source.read(now.plus(STEP)).window()).isEqualTo(STEP);
        source.read(now.plus(STEP.multipliedBy(2)));
        source.read(now.plus(STEP.multipliedBy(3)));
        assertThat(source.read(now.plus(STEP.multipliedBy(4))).window()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void onlyTheConfiguredSidesCount() throws Exception {
        WindowSource source = WindowSources.embedded(registry, config);
        read(source);
        traffic.record(Side.SERVER, "/a", 10, 200, 0.01, new Verdict.Ok(true));
        traffic.record(Side.GATEWAY, "/a", 5, 200, 0.01, new Verdict.Ok(true));
        traffic.record(Side.CLIENT, "/a", 100, 200, 0.01, new Verdict.Ok(true));
        assertThat(read(source).get("/a").requests()).isEqualTo(15);
    }

    @Test
    void p99ComesFromBucketDeltas() throws Exception {
        WindowSource source = WindowSources.embedded(registry, config);
        traffic.ok("/a", 1000, 2.0); // before the baseline: must not count
        read(source);
        traffic.ok("/a", 98, 0.3); // bucket (0.25, 0.5]
        traffic.ok("/a", 2, 0.6); // bucket (0.5, 0.75]
        // rank 99 of 100: halfway through (0.5, 0.75].
        assertThat(read(source).get("/a").p99Seconds()).isCloseTo(0.625, within(1e-9));
    }

    @Test
    void aCounterResetCountsTheNewValueNotANegativeDelta() throws Exception {
        PrometheusRegistry fake = new PrometheusRegistry();
        double[] value = {100};
        MultiCollector requests = () -> new MetricSnapshots(CounterSnapshot.builder()
                .name("api_http_requests")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("service", "shop", "side", "server", "method", "GET", "path", "/a", "status_class", "2xx"))
                        .value(value[0])
                        .build())
                .build());
        fake.register(requests);
        WindowSource source = WindowSources.embedded(fake, config);
        read(source);
        value[0] = 130;
        assertThat(read(source).get("/a").requests()).isEqualTo(30);
        value[0] = 12; // the process restarted: 12 since then
        assertThat(read(source).get("/a").requests()).isEqualTo(42);
    }

    @Test
    void endpointsBeyondTheLimitAreDroppedAndCounted() throws Exception {
        WindowSource source = WindowSources.embedded(registry, config.withMaxEndpoints(2));
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
}
