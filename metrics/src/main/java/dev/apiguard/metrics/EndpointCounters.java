package dev.apiguard.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.apiguard.semantics.Severity;

/**
 * The mutable side of {@link EndpointTotals}: one array of atomic counters per (service, side,
 * path). A record costs one increment (its latency bucket), two or three for a 5xx or a business
 * error: every exchange lands in exactly one bucket, so the request count is their sum.
 */
final class EndpointCounters {
    private static final int SERVER_ERRORS = 0;
    private static final int SEVERITIES = 1; // critical, high, medium, low
    private static final int BUCKETS = 5;

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
        counts.getAndIncrement(BUCKETS + bucket(seconds)); // first: see snapshot()
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

    /**
     * Errors are read before buckets and recorded after them, so a snapshot never counts a 5xx or a
     * business error without its request.
     */
    EndpointTotals snapshot() {
        long serverErrors = counts.get(SERVER_ERRORS);
        long critical = counts.get(SEVERITIES);
        long high = counts.get(SEVERITIES + 1);
        long medium = counts.get(SEVERITIES + 2);
        long low = counts.get(SEVERITIES + 3);
        long[] buckets = new long[bounds.length + 1];
        long requests = 0;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = counts.get(BUCKETS + i);
            requests += buckets[i];
        }
        return new EndpointTotals(service, side, path, requests, serverErrors, critical, high, medium, low, buckets);
    }
}
