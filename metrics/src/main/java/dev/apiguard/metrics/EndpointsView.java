package dev.apiguard.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code /api/v1/endpoints}: the contract families summed per (service, side, path) since start.
 * Built from a registry scrape, so it shows exactly what /metrics shows.
 */
public final class EndpointsView {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** One endpoint as seen from one side. Latencies in seconds, estimated from the histogram buckets. */
    public record Endpoint(String service, String side, String path, long requests, Map<String, Long> statusClasses,
            long businessErrors, Map<String, Long> businessErrorsByType, long partialSuccesses,
            double meanSeconds, double p50Seconds, double p99Seconds, String transport) {}

    private EndpointsView() {}

    public static List<Endpoint> from(MetricSnapshots snapshots) {
        Map<String, Builder> rows = new TreeMap<>();
        for (MetricSnapshot snapshot : snapshots) {
            String name = snapshot.getMetadata().getName();
            switch (snapshot) {
                case CounterSnapshot counter when name.equals("api_http_requests") -> counter.getDataPoints().forEach(p -> {
                    Builder row = row(rows, p.getLabels());
                    long n = (long) p.getValue();
                    row.requests += n;
                    row.statusClasses.merge(p.getLabels().get("status_class"), n, Long::sum);
                });
                case CounterSnapshot counter when name.equals("api_business_errors") -> counter.getDataPoints().forEach(p -> {
                    Builder row = row(rows, p.getLabels());
                    long n = (long) p.getValue();
                    row.businessErrors += n;
                    row.byType.merge(p.getLabels().get("error_type"), n, Long::sum);
                });
                case CounterSnapshot counter when name.equals("api_tls_requests") -> counter.getDataPoints()
                        .forEach(p -> row(rows, p.getLabels()).tls += (long) p.getValue());
                case CounterSnapshot counter when name.equals("api_partial_successes") -> counter.getDataPoints()
                        .forEach(p -> row(rows, p.getLabels()).partial += (long) p.getValue());
                case HistogramSnapshot histogram when name.equals("api_http_duration_seconds") -> histogram.getDataPoints()
                        .forEach(p -> row(rows, p.getLabels()).add(p.getClassicBuckets(), p.getSum()));
                default -> {}
            }
        }
        List<Endpoint> out = new ArrayList<>(rows.size());
        rows.values().forEach(b -> out.add(b.build()));
        out.sort(Comparator.comparing(Endpoint::service).thenComparing(Endpoint::path).thenComparing(Endpoint::side));
        return out;
    }

    public static String json(List<Endpoint> endpoints) {
        try {
            return JSON.writeValueAsString(Map.of("endpoints", endpoints));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Builder row(Map<String, Builder> rows, Labels labels) {
        String service = labels.get("service");
        String side = labels.get("side");
        String path = labels.get("path");
        return rows.computeIfAbsent(service + '\0' + side + '\0' + path, k -> new Builder(service, side, path));
    }

    private static final class Builder {
        final String service;
        final String side;
        final String path;
        long requests;
        long businessErrors;
        long partial;
        long tls;
        final Map<String, Long> statusClasses = new TreeMap<>();
        final Map<String, Long> byType = new TreeMap<>();
        double[] bounds;
        long[] counts;
        double sum;
        long observations;

        Builder(String service, String side, String path) {
            this.service = service;
            this.side = side;
            this.path = path;
        }

        void add(ClassicHistogramBuckets buckets, double sum) {
            if (bounds == null) {
                bounds = new double[buckets.size()];
                counts = new long[buckets.size()];
                for (int i = 0; i < buckets.size(); i++) {
                    bounds[i] = buckets.getUpperBound(i);
                }
            }
            for (int i = 0; i < buckets.size() && i < counts.length; i++) {
                counts[i] += buckets.getCount(i);
                observations += buckets.getCount(i);
            }
            this.sum += sum;
        }

        Endpoint build() {
            double mean = observations == 0 ? 0 : sum / observations;
            return new Endpoint(service, side, path, requests, Map.copyOf(statusClasses), businessErrors,
                    Map.copyOf(byType), partial, mean, quantile(0.5), quantile(0.99),
                    tls == 0 ? "plain" : tls >= requests ? "tls" : "mixed");
        }

        /** Linear interpolation inside the bucket that holds the rank, like PromQL's histogram_quantile. */
        double quantile(double q) {
            if (observations == 0) {
                return 0;
            }
            double rank = q * observations;
            long cumulative = 0;
            for (int i = 0; i < counts.length; i++) {
                long before = cumulative;
                cumulative += counts[i];
                if (cumulative >= rank && counts[i] > 0) {
                    double lower = i == 0 ? 0 : bounds[i - 1];
                    double upper = bounds[i];
                    if (Double.isInfinite(upper)) {
                        return lower;
                    }
                    return lower + (upper - lower) * ((rank - before) / counts[i]);
                }
            }
            return bounds[bounds.length - 1];
        }
    }
}
