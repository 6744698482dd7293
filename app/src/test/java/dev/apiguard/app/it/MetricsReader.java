package dev.apiguard.app.it;

import java.util.Map;
import java.util.function.BooleanSupplier;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads exact values out of a registry for assertions. */
public final class MetricsReader {
    private final PrometheusRegistry registry;

    public MetricsReader(PrometheusRegistry registry) {
        this.registry = registry;
    }

    /** Sum of a counter's data points whose labels include all of {@code labels}. */
    public long counter(String name, Map<String, String> labels) {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
        long sum = 0;
        for (MetricSnapshot s : registry.scrape()) {
            if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals(base)) {
                for (var p : c.getDataPoints()) {
                    if (matches(p, labels)) {
                        sum += (long) p.getValue();
                    }
                }
            }
        }
        return sum;
    }

    public long requests(String service, String side, String method, String path, String statusClass) {
        return counter("api_http_requests_total", Map.of("service", service, "side", side, "method", method, "path", path,
                "status_class", statusClass));
    }

    /** (count, sum in seconds) of the duration histogram for the labels. */
    public double[] duration(Map<String, String> labels) {
        double count = 0;
        double sum = 0;
        for (MetricSnapshot s : registry.scrape()) {
            if (s instanceof HistogramSnapshot h && h.getMetadata().getName().equals("api_http_duration_seconds")) {
                for (var p : h.getDataPoints()) {
                    if (matches(p, labels)) {
                        count += p.getCount();
                        sum += p.getSum();
                    }
                }
            }
        }
        return new double[] {count, sum};
    }

    private static boolean matches(DataPointSnapshot p, Map<String, String> labels) {
        for (var e : labels.entrySet()) {
            if (!e.getValue().equals(p.getLabels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Polls until the condition holds or the timeout passes; returns whether it held. */
    public static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
