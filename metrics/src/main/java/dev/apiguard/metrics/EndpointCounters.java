package dev.apiguard.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.apiguard.semantics.Severity;

/**
 * The mutable side of {@link EndpointTotals}: one array of atomic counters per (service, side,
 * path), so a record costs two to four increments and no allocation.
 */
final class EndpointCounters {
    private static final int REQUESTS = 0;
    private static final int SERVER_ERRORS = 1;
    private static final int SEVERITIES = 2; // critical, high, medium, low
    private static final int BUCKETS = 6;

    private final String service;
    private final String side;
    private final String path;
    private final double[] bounds;
    private final AtomicLongArray counts;

    /** @param bounds finite upper bounds in seconds; a +Inf bucket follows them */
    EndpointCounters(String service, String side, String path, double[] bounds) {
        this.service = service;
        this.side = side;
        this.path = path;
        this.bounds = bounds;
        this.counts = new AtomicLongArray(BUCKETS + bounds.length + 1);
    }

    /** @param severity null unless the body reported a business error */
    void record(int status, double seconds, Severity severity) {
        counts.getAndIncrement(REQUESTS);
        if (status >= 500 && status <= 599) {
            counts.getAndIncrement(SERVER_ERRORS);
        }
        if (severity != null) {
            counts.getAndIncrement(SEVERITIES + switch (severity) {
                case CRITICAL -> 0;
                case HIGH -> 1;
                case MEDIUM -> 2;
                case LOW -> 3;
            });
        }
        counts.getAndIncrement(BUCKETS + bucket(seconds));
    }

    /** The first bucket whose upper bound is ≥ the value, as client_java's classic histogram picks it. */
    private int bucket(double seconds) {
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                return i;
            }
        }
        return bounds.length;
    }

    EndpointTotals snapshot() {
        long[] buckets = new long[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = counts.get(BUCKETS + i);
        }
        return new EndpointTotals(service, side, path, counts.get(REQUESTS), counts.get(SERVER_ERRORS),
                counts.get(SEVERITIES), counts.get(SEVERITIES + 1), counts.get(SEVERITIES + 2),
                counts.get(SEVERITIES + 3), buckets);
    }
}
