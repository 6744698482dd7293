package dev.apiguard.metrics;

import java.util.List;

/**
 * Per-endpoint running totals for a scorer in the same process: the numbers it needs without
 * scraping, sorting and validating every series of the registry.
 */
public interface EndpointTotalsSource {
    /** Upper bounds of the latency buckets in seconds, ascending; the last is +Inf. A fresh copy. */
    double[] durationBucketBounds();

    /**
     * One entry per (service, side, path) recorded so far, in no particular order. Totals only grow;
     * each entry is read field by field while recording goes on, like a scrape.
     */
    List<EndpointTotals> endpointTotals();
}
