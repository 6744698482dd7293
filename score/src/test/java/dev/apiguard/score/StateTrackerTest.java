package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class StateTrackerTest {
    private static final Duration DWELL = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final double MARGIN = 3;

    private final StateTracker tracker = new StateTracker();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private HealthState next(double score) {
        HealthState s = tracker.update(score, now, MARGIN, DWELL);
        now = now.plus(STEP);
        return s;
    }

    @Test
    void bandsAre85And70() {
        assertThat(StateTracker.band(85)).isEqualTo(HealthState.HEALTHY);
        assertThat(StateTracker.band(84.99)).isEqualTo(HealthState.DEGRADED);
        assertThat(StateTracker.band(70)).isEqualTo(HealthState.DEGRADED);
        assertThat(StateTracker.band(69.99)).isEqualTo(HealthState.CRITICAL);
    }

    @Test
    void firstScoreTakesItsBandAtOnce() {
        assertThat(next(60)).isEqualTo(HealthState.CRITICAL);
    }

    @Test
    void aScoreWobblingAroundAThresholdDoesNotFlip() {
        assertThat(next(90)).isEqualTo(HealthState.HEALTHY);
        for (double s : new double[] {84, 86, 83, 85.5, 82.5, 87, 84}) {
            assertThat(next(s)).as("score %s", s).isEqualTo(HealthState.HEALTHY);
        }
    }

    @Test
    void aChangeNeedsTheMarginAndTheDwell() {
        assertThat(next(90)).isEqualTo(HealthState.HEALTHY);
        assertThat(next(80)).isEqualTo(HealthState.HEALTHY); // t=5: candidate degraded from now
        assertThat(next(80)).isEqualTo(HealthState.HEALTHY); // t=10: held 5 s
        assertThat(next(80)).isEqualTo(HealthState.DEGRADED); // t=15: held 10 s
    }

    @Test
    void aBriefDipDoesNotChangeTheState() {
        next(90);
        assertThat(next(60)).isEqualTo(HealthState.HEALTHY);
        assertThat(next(90)).isEqualTo(HealthState.HEALTHY); // back before the dwell: pending dropped
        assertThat(next(60)).isEqualTo(HealthState.HEALTHY); // the dwell starts over
        assertThat(next(60)).isEqualTo(HealthState.HEALTHY);
        assertThat(next(60)).isEqualTo(HealthState.CRITICAL);
    }

    @Test
    void recoveryNeedsToClearTheUpperEdgePlusMargin() {
        next(75);
        for (int i = 0; i < 5; i++) {
            assertThat(next(87)).isEqualTo(HealthState.DEGRADED); // 87 < 85 + 3
        }
        next(88);
        next(88);
        assertThat(next(88)).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void resetForgetsTheState() {
        next(90);
        tracker.reset();
        assertThat(tracker.state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(next(50)).isEqualTo(HealthState.CRITICAL);
    }
}
