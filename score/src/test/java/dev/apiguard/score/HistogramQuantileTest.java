package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramQuantileTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void interpolatesLinearlyInsideTheBucket() {
        // 100 observations: 98 ≤ 0.5 s, 2 in (0.5, 0.75]. Rank 99 is halfway through the second bucket.
        double p99 = HistogramQuantile.quantile(0.99, new double[] {0.5, 0.75, INF}, new double[] {98, 100, 100});
        assertThat(p99).isCloseTo(0.625, within(1e-12));
    }

    @Test
    void firstBucketStartsAtZero() {
        assertThat(HistogramQuantile.quantile(0.5, new double[] {0.1, INF}, new double[] {10, 10})).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void rankInTheInfBucketAnswersTheHighestFiniteBound() {
        assertThat(HistogramQuantile.quantile(0.99, new double[] {0.1, 1, INF}, new double[] {50, 90, 100})).isEqualTo(1.0);
    }

    @Test
    void noObservationsIsNaN() {
        assertThat(HistogramQuantile.quantile(0.99, new double[] {0.1, INF}, new double[] {0, 0})).isNaN();
        assertThat(HistogramQuantile.quantile(0.99, new double[] {0.1}, new double[] {5})).isNaN();
    }
}
