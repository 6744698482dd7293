package dev.apiguard.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The contract's request, latency and business-error families, fed one Exchange at a time.
 *
 * <p>Cardinality is bounded twice: routes per service by the routes stage, and services here (the
 * overflow service is {@code _other}, counted in {@code apiguard_services_overflow_total}).
 *
 * <p>Beside the families it keeps running totals per (service, side, path) for a scorer in the same
 * process ({@link EndpointTotalsSource}). They need no limit of their own: each entry matches at
 * least one {@code api_http_requests_total} series, so they are bounded by the same two limits and
 * are never more numerous than the family's series.
 */
public final class ApiMetrics implements EndpointTotalsSource {
    public static final String OVERFLOW_SERVICE = "_other";
    public static final int DEFAULT_MAX_SERVICES = 200;

    /** Latency buckets in seconds: fine below 100 ms, where p99s of healthy APIs live. */
    static final double[] DURATION_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10
    };

    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram duration;
    private final Counter businessErrors;
    private final Counter partialSuccesses;
    private final Counter tlsRequests;
    private final Counter servicesOverflow;
    private final Set<String> services = ConcurrentHashMap.newKeySet();
    private final int maxServices;
    private final ConcurrentHashMap<TotalsKey, EndpointCounters> totals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();

    private record TotalsKey(String service, Side side, String path) {}

    public ApiMetrics(PrometheusRegistry registry) {
        this(registry, DEFAULT_MAX_SERVICES);
    }

    public ApiMetrics(PrometheusRegistry registry, int maxServices) {
        this.registry = registry;
        this.maxServices = maxServices;
        requests = Counter.builder()
                .name("api_http_requests_total")
                .withoutExemplars() // no trace ids here; sampling them costs on every record and scrape
                .help("HTTP exchanges observed, by route template and status class")
                .labelNames("service", "side", "method", "path", "status_class")
                .register(registry);
        duration = Histogram.builder()
                .name("api_http_duration_seconds")
                .help("From the first request byte read to the last response byte written, kernel clock")
                .labelNames("service", "side", "method", "path", "status_class")
                .classicUpperBounds(DURATION_BUCKETS)
                .classicOnly()
                .withoutExemplars()
                .register(registry);
        businessErrors = Counter.builder()
                .name("api_business_errors_total")
                .withoutExemplars() // no trace ids here; sampling them costs on every record and scrape
                .help("Responses whose body reports a business failure")
                .labelNames("service", "side", "path", "error_type", "severity", "silent")
                .register(registry);
        partialSuccesses = Counter.builder()
                .name("api_partial_successes_total")
                .withoutExemplars() // no trace ids here; sampling them costs on every record and scrape
                .help("Responses that report a partial success (GraphQL errors beside data); not business errors")
                .labelNames("service", "side", "path")
                .register(registry);
        tlsRequests = Counter.builder()
                .name("api_tls_requests_total")
                .withoutExemplars()
                .help("HTTP exchanges observed inside TLS (agent.capture.tls), by route: /api/v1/endpoints derives each endpoint's transport from it")
                .labelNames("service", "side", "path")
                .register(registry);
        servicesOverflow = Counter.builder()
                .name("apiguard_services_overflow_total")
                .help("Exchanges whose service was folded into _other because the service limit was reached")
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Records one exchange under its route, with the classifier's verdict on its body. */
    public void record(Exchange exchange, String route, Verdict verdict) {
        Series series = series(boundedService(exchange.service()), exchange.side(), method(exchange.method()), route,
                statusClass(exchange.status()));
        double seconds = exchange.durationNanos() / 1e9;
        series.requests.inc();
        if (exchange.tls()) {
            series.tls().inc();
        }
        series.duration.observe(seconds);
        Severity severity = null;
        switch (verdict) {
            case Verdict.BusinessError e -> {
                severity = e.severity();
                businessErrors
                        .labelValues(series.key.service(), series.side, route, e.type().label(), severity.label(),
                                Boolean.toString(e.silent()))
                        .inc();
            }
            case Verdict.PartialSuccess p -> partialSuccesses.labelValues(series.key.service(), series.side, route).inc();
            case Verdict.Ok ok -> {}
        }
        series.totals.record(exchange.status(), seconds, severity);
    }

    /**
     * The series of one (service, side, method, route, status class): found with one lookup per exchange,
     * instead of one label lookup per family. Bounded as the families' series are (each entry is one
     * {@code api_http_requests_total} series).
     */
    private Series series(String service, Side side, String method, String route, String statusClass) {
        SeriesKey key = new SeriesKey(service, side, method, route, statusClass);
        Series series = this.series.get(key); // lock-free; computeIfAbsent only for a new series
        if (series == null) {
            series = this.series.computeIfAbsent(key, k -> new Series(k, requests.labelValues(service, side.label(), method, route,
                    statusClass), duration.labelValues(service, side.label(), method, route, statusClass),
                    counters(service, side, route)));
        }
        return series;
    }

    private record SeriesKey(String service, Side side, String method, String route, String statusClass) {}

    private final class Series {
        final SeriesKey key;
        final String side;
        final CounterDataPoint requests;
        final DistributionDataPoint duration;
        final EndpointCounters totals;
        private CounterDataPoint tls; // on first use: most endpoints never see TLS

        Series(SeriesKey key, CounterDataPoint requests, DistributionDataPoint duration, EndpointCounters totals) {
            this.key = key;
            this.side = key.side().label();
            this.requests = requests;
            this.duration = duration;
            this.totals = totals;
        }

        CounterDataPoint tls() {
            CounterDataPoint child = tls;
            if (child == null) {
                child = tlsRequests.labelValues(key.service(), side, key.route()); // the registry's own child: a race is harmless
                tls = child;
            }
            return child;
        }
    }

    private EndpointCounters counters(String service, Side side, String route) {
        TotalsKey key = new TotalsKey(service, side, route);
        EndpointCounters counters = totals.get(key); // lock-free; computeIfAbsent only for a new endpoint
        if (counters == null) {
            counters = totals.computeIfAbsent(key,
                    k -> new EndpointCounters(k.service(), k.side().label(), k.path(), DURATION_BUCKETS));
        }
        return counters;
    }

    @Override
    public double[] durationBucketBounds() {
        double[] bounds = Arrays.copyOf(DURATION_BUCKETS, DURATION_BUCKETS.length + 1);
        bounds[DURATION_BUCKETS.length] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    @Override
    public List<EndpointTotals> endpointTotals() {
        List<EndpointTotals> out = new ArrayList<>(totals.size());
        for (EndpointCounters counters : totals.values()) {
            out.add(counters.snapshot());
        }
        return out;
    }

    private String boundedService(String service) {
        if (services.contains(service)) {
            return service;
        }
        if (services.size() < maxServices) {
            services.add(service);
            return service;
        }
        servicesOverflow.inc();
        return OVERFLOW_SERVICE;
    }

    static String method(String method) {
        return STANDARD_METHODS.contains(method) ? method : "_OTHER";
    }

    /** Constants: a label built per exchange was a String allocated per exchange. */
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    static String statusClass(int status) {
        if (status < 100 || status > 599) {
            return "_OTHER";
        }
        return STATUS_CLASSES[status / 100 - 1];
    }
}
