package dev.apiguard.score;

/**
 * What one endpoint did during the window, summed over the scored sides: the inputs of the formula.
 *
 * @param service service label
 * @param path route template
 * @param requests requests (all status classes)
 * @param serverErrors responses with a 5xx status (system errors)
 * @param critical business errors of severity critical
 * @param high business errors of severity high
 * @param medium business errors of severity medium
 * @param low business errors of severity low
 * @param p99Seconds 99th percentile latency interpolated from histogram buckets; NaN when unknown
 */
public record WindowStats(
        String service,
        String path,
        double requests,
        double serverErrors,
        double critical,
        double high,
        double medium,
        double low,
        double p99Seconds) {

    /** Traffic without business errors, 5xx or latency data: for tests and benchmarks. */
    public static WindowStats clean(String service, String path, double requests) {
        return new WindowStats(service, path, requests, 0, 0, 0, 0, 0, Double.NaN);
    }
}
