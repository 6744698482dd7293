package dev.apiguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

class ApiMetricsTotalsTest {

    /** Every synthetic exchange travels on this one connection. */
    private record TestConnection() implements ConnectionId {
        @Override
        public String describe() {
            return "test";
        }
    }

    private static final ConnectionId TEST_CONNECTION = new TestConnection();
    private static final Verdict OK = new Verdict.Ok(true);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ApiMetrics metrics = new ApiMetrics(registry);

    private void record(String service, Side side, String path, int n, int status, long nanos, Verdict verdict) {
        for (int i = 0; i < n; i++) {
            metrics.record(new Exchange(service, side, "GET", path, status, 0, nanos, 10, 10,
                    "application/json", null, new byte[0], false, TEST_CONNECTION), path, verdict);
        }
    }

    private static Verdict error(Severity severity) {
        return new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, severity, true);
    }

    private Map<String, EndpointTotals> totalsByKey() {
        Map<String, EndpointTotals> out = new HashMap<>();
        for (EndpointTotals t : metrics.endpointTotals()) {
            out.put(t.service() + " " + t.side() + " " + t.path(), t);
        }
        return out;
    }

    @Test
    void totalsArePerServiceSideAndPath() {
        record("shop", Side.SERVER, "/a", 7, 200, 300_000, OK); // 0.3 ms: first bucket
        record("shop", Side.SERVER, "/a", 3, 503, 20_000_000, OK); // 20 ms: (0.01, 0.025]
        record("shop", Side.SERVER, "/a", 2, 200, 2_000_000_000L, error(Severity.CRITICAL)); // (1, 2.5]
        record("shop", Side.SERVER, "/a", 1, 200, 1_000_000, error(Severity.HIGH)); // exactly 1 ms: le=0.001
        record("shop", Side.SERVER, "/a", 4, 201, 1_000_000, error(Severity.MEDIUM));
        record("shop", Side.SERVER, "/a", 5, 200, 1_000_000, error(Severity.LOW));
        record("shop", Side.SERVER, "/a", 6, 200, 1_000_000, new Verdict.PartialSuccess(true));
        record("shop", Side.GATEWAY, "/a", 8, 500, 60_000_000_000L, OK); // 60 s: +Inf
        record("shop", Side.SERVER, "/b", 9, 404, 100_000_000, OK); // exactly 0.1 s
        record("cart", Side.SERVER, "/a", 1, 200, 300_000, OK);

        Map<String, EndpointTotals> totals = totalsByKey();
        assertThat(totals).hasSize(4);
        long[] a = new long[17];
        a[0] = 7;
        a[5] = 3;
        a[13] = 2;
        a[1] = 1 + 4 + 5 + 6;
        assertThat(totals.get("shop server /a"))
                .isEqualTo(new EndpointTotals("shop", "server", "/a", 28, 3, 2, 1, 4, 5, a));
        long[] gateway = new long[17];
        gateway[16] = 8;
        assertThat(totals.get("shop gateway /a"))
                .isEqualTo(new EndpointTotals("shop", "gateway", "/a", 8, 8, 0, 0, 0, 0, gateway));
        long[] b = new long[17];
        b[8] = 9;
        assertThat(totals.get("shop server /b"))
                .isEqualTo(new EndpointTotals("shop", "server", "/b", 9, 0, 0, 0, 0, 0, b));
        long[] cart = new long[17];
        cart[0] = 1;
        assertThat(totals.get("cart server /a"))
                .isEqualTo(new EndpointTotals("cart", "server", "/a", 1, 0, 0, 0, 0, 0, cart));
    }

    @Test
    void concurrentRecordsAreAllCountedAndNoSnapshotHasAnErrorWithoutItsRequest() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        List<Thread> writers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(Thread.ofPlatform().start(() -> record("shop", Side.SERVER, "/a", perThread, 503, 300_000,
                    error(Severity.HIGH))));
        }
        for (int i = 0; i < 200 && writers.getFirst().isAlive(); i++) {
            for (EndpointTotals t : metrics.endpointTotals()) {
                assertThat(t.serverErrors()).isLessThanOrEqualTo(t.requests());
                assertThat(t.high()).isLessThanOrEqualTo(t.requests());
            }
        }
        for (Thread w : writers) {
            w.join(10_000);
        }
        EndpointTotals a = metrics.endpointTotals().getFirst();
        assertThat(a.requests()).isEqualTo(threads * perThread);
        assertThat(a.serverErrors()).isEqualTo(threads * perThread);
        assertThat(a.high()).isEqualTo(threads * perThread);
        assertThat(a.bucketCount(0)).isEqualTo(threads * perThread);
    }

    @Test
    void theBoundsAreTheHistogramsWithInfinityLast() {
        double[] bounds = metrics.durationBucketBounds();
        assertThat(bounds).hasSize(17).startsWith(0.0005, 0.001).endsWith(10.0, Double.POSITIVE_INFINITY);
        bounds[0] = 42; // a copy
        assertThat(metrics.durationBucketBounds()[0]).isEqualTo(0.0005);
    }

    @Test
    void snapshotsDoNotMove() {
        record("shop", Side.SERVER, "/a", 2, 200, 300_000, OK);
        EndpointTotals before = metrics.endpointTotals().getFirst();
        long[] buckets = before.bucketCounts();
        buckets[0] = 99;
        record("shop", Side.SERVER, "/a", 3, 200, 300_000, OK);
        assertThat(before.requests()).isEqualTo(2);
        assertThat(before.bucketCount(0)).isEqualTo(2);
        assertThat(metrics.endpointTotals().getFirst().requests()).isEqualTo(5);
    }

    @Test
    void overflowingServicesShareTheOtherEntry() {
        ApiMetrics small = new ApiMetrics(new PrometheusRegistry(), 1);
        for (String service : List.of("a", "b", "c")) {
            small.record(new Exchange(service, Side.SERVER, "GET", "/x", 200, 0, 1000, 1, 1, null, null,
                    new byte[0], false, TEST_CONNECTION), "/x", OK);
        }
        assertThat(small.endpointTotals()).extracting(EndpointTotals::service, EndpointTotals::requests)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", 1L),
                        org.assertj.core.groups.Tuple.tuple(ApiMetrics.OVERFLOW_SERVICE, 2L));
    }

    @Test
    void totalsNeedAName() {
        assertThatThrownBy(() -> new EndpointTotals(null, "server", "/a", 0, 0, 0, 0, 0, 0, new long[0]))
                .isInstanceOf(NullPointerException.class);
    }

    /** The totals add nothing to /metrics: the same five families, with the values the traffic implies. */
    @Test
    void theMetricsTextIsTheFamiliesAlone() {
        record("shop", Side.SERVER, "/a", 3, 200, 300_000, OK);
        record("shop", Side.SERVER, "/a", 2, 503, 20_000_000, error(Severity.HIGH));
        byte[] first = MetricsText.render(registry);
        metrics.endpointTotals(); // reading the totals changes nothing
        String text = new String(MetricsText.render(registry), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(new String(first, StandardCharsets.UTF_8));
        assertThat(StreamSupport.stream(registry.scrape().spliterator(), false)
                        .map(s -> s.getMetadata().getName()))
                .containsExactlyInAnyOrder("api_http_requests", "api_http_duration_seconds",
                        "api_business_errors", "api_partial_successes", "api_tls_requests", "apiguard_services_overflow");
        assertThat(text)
                .contains("api_http_requests_total{method=\"GET\",path=\"/a\",service=\"shop\",side=\"server\",status_class=\"2xx\"} 3.0\n")
                .contains("api_http_requests_total{method=\"GET\",path=\"/a\",service=\"shop\",side=\"server\",status_class=\"5xx\"} 2.0\n")
                .contains("api_business_errors_total{error_type=\"payment_failure\",path=\"/a\",service=\"shop\",severity=\"high\",side=\"server\",silent=\"true\"} 2.0\n")
                .contains("api_http_duration_seconds_count{method=\"GET\",path=\"/a\",service=\"shop\",side=\"server\",status_class=\"5xx\"} 2\n")
                .doesNotContain("totals");
    }

    /** Every total agrees with the families it summarises, bucket by bucket. */
    @Test
    void totalsAgreeWithTheFamilies() {
        long[] durations = {100_000, 700_000, 3_000_000, 9_000_000, 40_000_000, 600_000_000, 3_000_000_000L, 20_000_000_000L};
        for (int i = 0; i < 40; i++) {
            Verdict verdict = switch (i % 5) {
                case 0 -> error(Severity.values()[i % 4]);
                case 1 -> new Verdict.PartialSuccess(true);
                default -> OK;
            };
            record(i % 2 == 0 ? "shop" : "cart", i % 3 == 0 ? Side.GATEWAY : Side.SERVER, "/p" + (i % 4),
                    1 + i % 3, i % 6 == 0 ? 502 : 200, durations[i % durations.length], verdict);
        }
        Map<String, long[]> fromFamilies = new HashMap<>(); // requests, 5xx, critical..low, buckets
        for (MetricSnapshot snapshot : registry.scrape()) {
            switch (snapshot) {
                case CounterSnapshot c when c.getMetadata().getName().equals("api_http_requests") -> c.getDataPoints().forEach(dp -> {
                    long[] f = fromFamilies.computeIfAbsent(key(dp.getLabels()), k -> new long[6 + 17]);
                    f[0] += (long) dp.getValue();
                    if (dp.getLabels().get("status_class").equals("5xx")) {
                        f[1] += (long) dp.getValue();
                    }
                });
                case CounterSnapshot c when c.getMetadata().getName().equals("api_business_errors") -> c.getDataPoints().forEach(dp -> {
                    long[] f = fromFamilies.computeIfAbsent(key(dp.getLabels()), k -> new long[6 + 17]);
                    f[2 + Severity.fromLabel(dp.getLabels().get("severity")).ordinal()] += (long) dp.getValue();
                });
                case HistogramSnapshot h -> h.getDataPoints().forEach(dp -> {
                    long[] f = fromFamilies.computeIfAbsent(key(dp.getLabels()), k -> new long[6 + 17]);
                    for (int b = 0; b < dp.getClassicBuckets().size(); b++) {
                        f[6 + b] += dp.getClassicBuckets().getCount(b);
                    }
                });
                default -> {}
            }
        }
        Map<String, long[]> fromTotals = new HashMap<>();
        for (EndpointTotals t : metrics.endpointTotals()) {
            long[] f = new long[6 + 17];
            f[0] = t.requests();
            f[1] = t.serverErrors();
            f[2] = t.critical();
            f[3] = t.high();
            f[4] = t.medium();
            f[5] = t.low();
            System.arraycopy(t.bucketCounts(), 0, f, 6, 17);
            fromTotals.put(t.service() + " " + t.side() + " " + t.path(), f);
        }
        assertThat(fromTotals).hasSize(8).containsOnlyKeys(fromFamilies.keySet());
        fromFamilies.forEach((k, f) -> assertThat(fromTotals.get(k)).as(k).containsExactly(f));
    }

    private static String key(io.prometheus.metrics.model.snapshots.Labels labels) {
        return labels.get("service") + " " + labels.get("side") + " " + labels.get("path");
    }
}
