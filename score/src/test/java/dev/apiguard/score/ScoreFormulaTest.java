package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class ScoreFormulaTest {
    private static final Duration HALF_SECOND = Duration.ofMillis(500);
    private static final RouteRule NORMAL = RouteRule.of("*", Criticality.NORMAL);

    private static WindowStats stats(double n, double fiveXx, double crit, double high, double med, double low, double p99) {
        return new WindowStats("shop", "/x", n, fiveXx, crit, high, med, low, p99);
    }

    private static ScoreFormula.Breakdown score(WindowStats w, RouteRule rule) {
        return ScoreFormula.score(w, rule, HALF_SECOND);
    }

    @Test
    void cleanEndpointScoresFullMarksWithNoComponents() {
        var b = score(stats(1000, 0, 0, 0, 0, 0, 0.020), NORMAL);
        assertThat(b.score()).isEqualTo(100.0);
        assertThat(b.penalties()).isEmpty();
    }

    @Test
    void tenPercentCriticalPaymentFailuresOnCriticalRouteAreCritical() {
        var b = score(stats(1000, 0, 100, 0, 0, 0, 0.020), RouteRule.of("/checkout*", Criticality.CRITICAL));
        // 10% × 12 points/% × 1.5 = 180, capped at 60.
        assertThat(b.penalties()).isEqualTo(Map.of("business_critical", 60.0));
        assertThat(b.score()).isEqualTo(40.0);
        assertThat(StateTracker.band(b.score())).isEqualTo(HealthState.CRITICAL);
    }

    @Test
    void tenPercentCriticalIsCriticalEvenOnANormalRoute() {
        assertThat(score(stats(1000, 0, 100, 0, 0, 0, Double.NaN), NORMAL).score()).isEqualTo(40.0);
    }

    @Test
    void twoPercentMediumBusinessErrorsStayHealthy() {
        var b = score(stats(500, 0, 0, 0, 10, 0, Double.NaN), NORMAL);
        assertThat(b.penalties()).containsExactly(Map.entry("business_medium", 12.0));
        assertThat(b.score()).isEqualTo(88.0);
        assertThat(StateTracker.band(b.score())).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void penaltiesDependOnRatiosNotVolume() {
        double small = score(stats(40, 2, 0, 0, 1, 0, Double.NaN), NORMAL).score();
        double large = score(stats(40_000, 2_000, 0, 0, 1_000, 0, Double.NaN), NORMAL).score();
        assertThat(small).isEqualTo(large);
        // 5% 5xx × 1.5 + 2.5% medium × 6 = 7.5 + 15.
        assertThat(small).isEqualTo(77.5);
    }

    @Test
    void businessErrorsWeighAtLeastThreeTimesSystemErrorsAtEqualRatios() {
        double server = score(stats(1000, 10, 0, 0, 0, 0, Double.NaN), NORMAL).penalties().get("server_error");
        assertThat(server).isCloseTo(1.5, within(1e-9));
        for (double[] business : new double[][] {{10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0}, {0, 0, 0, 10}}) {
            var b = score(stats(1000, 0, business[0], business[1], business[2], business[3], Double.NaN), NORMAL);
            assertThat(100 - b.score()).isGreaterThanOrEqualTo(3 * server - 1e-9);
        }
    }

    @Test
    void severityWeightsRankCriticalHighMediumLow() {
        double crit = 100 - score(stats(1000, 0, 10, 0, 0, 0, Double.NaN), NORMAL).score();
        double high = 100 - score(stats(1000, 0, 0, 10, 0, 0, Double.NaN), NORMAL).score();
        double med = 100 - score(stats(1000, 0, 0, 0, 10, 0, Double.NaN), NORMAL).score();
        double low = 100 - score(stats(1000, 0, 0, 0, 0, 10, Double.NaN), NORMAL).score();
        assertThat(new double[] {crit, high, med, low}).containsExactly(new double[] {12, 9, 6, 4.5}, within(1e-9));
    }

    @Test
    void eachComponentIsCappedAndTheScoreClampedAtZero() {
        var b = score(stats(100, 100, 100, 100, 100, 100, 50.0), NORMAL);
        assertThat(b.penalties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "business_critical", 60.0, "business_high", 60.0, "business_medium", 60.0,
                "business_low", 60.0, "server_error", 50.0, "latency", 25.0));
        assertThat(b.score()).isEqualTo(0.0);
    }

    @Test
    void latencyCostsPointsOnlyAboveTheThreshold() {
        assertThat(score(stats(100, 0, 0, 0, 0, 0, 0.5), NORMAL).penalties()).isEmpty();
        // p99 0.75 s against 0.5 s: 50% over × 25 points.
        assertThat(score(stats(100, 0, 0, 0, 0, 0, 0.75), NORMAL).penalties()).isEqualTo(Map.of("latency", 12.5));
        RouteRule slowOk = new RouteRule("/report", Criticality.NORMAL, Optional.of(Duration.ofSeconds(1)), OptionalDouble.empty());
        assertThat(score(stats(100, 0, 0, 0, 0, 0, 0.75), slowOk).penalties()).isEmpty();
        assertThat(score(stats(100, 0, 0, 0, 0, 0, 1.5), slowOk).penalties()).isEqualTo(Map.of("latency", 12.5));
    }

    @Test
    void unknownLatencyCostsNothing() {
        assertThat(score(stats(100, 0, 0, 0, 0, 0, Double.NaN), NORMAL).score()).isEqualTo(100.0);
    }

    @Test
    void criticalityMultipliesTheWeights() {
        WindowStats twoPercentMedium = stats(1000, 0, 0, 0, 20, 0, Double.NaN);
        assertThat(score(twoPercentMedium, RouteRule.of("/health", Criticality.LOW)).score()).isEqualTo(94.0);
        assertThat(score(twoPercentMedium, NORMAL).score()).isEqualTo(88.0);
        assertThat(score(twoPercentMedium, RouteRule.of("/a", Criticality.HIGH)).score()).isEqualTo(85.0);
        assertThat(score(twoPercentMedium, RouteRule.of("/checkout", Criticality.CRITICAL)).score()).isEqualTo(82.0);
    }

    @Test
    void sloTargetAddsABurnRatePenalty() {
        RouteRule slo = new RouteRule("/a", Criticality.NORMAL, Optional.empty(), OptionalDouble.of(0.99));
        // 2% 5xx against a 1% budget: burn rate 2, (2 - 1) × 5 = 5 points, plus 2 × 1.5 for the 5xx.
        var b = score(stats(1000, 20, 0, 0, 0, 0, Double.NaN), slo);
        assertThat(b.penalties().get("slo_burn")).isCloseTo(5.0, within(1e-9));
        assertThat(b.penalties().get("server_error")).isCloseTo(3.0, within(1e-9));
        // Within budget: no burn penalty.
        assertThat(score(stats(1000, 5, 0, 0, 0, 0, Double.NaN), slo).penalties()).doesNotContainKey("slo_burn");
    }
}
