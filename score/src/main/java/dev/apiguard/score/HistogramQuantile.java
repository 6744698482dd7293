package dev.apiguard.score;

/**
 * A quantile from classic histogram buckets, interpolated linearly inside the bucket where the rank
 * falls, as PromQL's {@code histogram_quantile} does: same inputs, same answer, so both sources agree.
 */
final class HistogramQuantile {
    private HistogramQuantile() {}

    /**
     * @param q the quantile, 0..1
     * @param upperBounds ascending upper bounds, the last one +Inf
     * @param cumulative cumulative counts per bucket (count of observations ≤ the bound)
     * @return the quantile, or NaN when there are no observations
     */
    static double quantile(double q, double[] upperBounds, double[] cumulative) {
        int n = upperBounds.length;
        if (n < 2 || cumulative.length != n || !Double.isInfinite(upperBounds[n - 1])) {
            return Double.NaN;
        }
        double total = cumulative[n - 1];
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        int b = 0;
        while (b < n - 1 && cumulative[b] < rank) {
            b++;
        }
        if (b == n - 1) {
            // The rank lies in the +Inf bucket: the highest finite bound is all that is known.
            return upperBounds[n - 2];
        }
        double bucketStart = b == 0 ? 0 : upperBounds[b - 1];
        double bucketEnd = upperBounds[b];
        if (b == 0 && bucketEnd <= 0) {
            return bucketEnd;
        }
        double below = b == 0 ? 0 : cumulative[b - 1];
        double inBucket = cumulative[b] - below;
        if (inBucket <= 0) {
            return bucketEnd;
        }
        return bucketStart + (bucketEnd - bucketStart) * ((rank - below) / inBucket);
    }
}
