package dev.apiguard.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * One endpoint's running totals on one side since the process started: what the contract families
 * count, summed over method, status class, error type and silence.
 *
 * @param bucketCounts latency observations per bucket (not cumulative), one per bound of
 *     {@link EndpointTotalsSource#durationBucketBounds()}; the last is the +Inf bucket
 */
public record EndpointTotals(
        String service,
        String side,
        String path,
        long requests,
        long serverErrors,
        long critical,
        long high,
        long medium,
        long low,
        long[] bucketCounts) {

    public EndpointTotals {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(path, "path");
        bucketCounts = bucketCounts.clone();
    }

    /** A copy: the snapshot stays immutable. */
    @Override
    public long[] bucketCounts() {
        return bucketCounts.clone();
    }

    /** Observations in bucket {@code i}, without copying the array. */
    public long bucketCount(int i) {
        return bucketCounts[i];
    }

    public int bucketCountsLength() {
        return bucketCounts.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointTotals t
                && requests == t.requests && serverErrors == t.serverErrors
                && critical == t.critical && high == t.high && medium == t.medium && low == t.low
                && service.equals(t.service) && side.equals(t.side) && path.equals(t.path)
                && Arrays.equals(bucketCounts, t.bucketCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, side, path, requests, serverErrors, critical, high, medium, low)
                * 31 + Arrays.hashCode(bucketCounts);
    }

    @Override
    public String toString() {
        return "EndpointTotals[" + service + " " + side + " " + path + " requests=" + requests
                + " serverErrors=" + serverErrors + " critical=" + critical + " high=" + high
                + " medium=" + medium + " low=" + low + " buckets=" + Arrays.toString(bucketCounts) + "]";
    }
}
