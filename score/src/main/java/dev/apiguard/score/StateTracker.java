package dev.apiguard.score;

import java.time.Duration;
import java.time.Instant;

/**
 * The state of one endpoint with hysteresis and dwell: a score must leave its band by more than the
 * margin, and the new band must hold for the dwell time, before the state changes. Not thread-safe
 * (one evaluation at a time).
 */
final class StateTracker {
    static final double HEALTHY_AT = 85;
    static final double CRITICAL_BELOW = 70;

    private HealthState state = HealthState.UNKNOWN;
    private HealthState pending;
    private Instant pendingSince;

    HealthState state() {
        return state;
    }

    HealthState update(double score, Instant now, double margin, Duration dwell) {
        if (state == HealthState.UNKNOWN) {
            // Nothing to be stable against: the first known state is the plain band.
            state = band(score);
            pending = null;
            return state;
        }
        HealthState candidate = candidate(state, score, margin);
        if (candidate == state) {
            pending = null;
            return state;
        }
        if (candidate != pending) {
            pending = candidate;
            pendingSince = now;
        }
        if (!now.isBefore(pendingSince.plus(dwell))) {
            state = candidate;
            pending = null;
        }
        return state;
    }

    /** Not enough data: forget the state, so fresh data is not held back by the dwell. */
    void reset() {
        state = HealthState.UNKNOWN;
        pending = null;
    }

    static HealthState band(double score) {
        if (score >= HEALTHY_AT) {
            return HealthState.HEALTHY;
        }
        return score >= CRITICAL_BELOW ? HealthState.DEGRADED : HealthState.CRITICAL;
    }

    /** The current band while the score stays within margin of it, else the plain band. */
    static HealthState candidate(HealthState current, double score, double margin) {
        double low = switch (current) {
            case HEALTHY -> HEALTHY_AT;
            case DEGRADED -> CRITICAL_BELOW;
            default -> Double.NEGATIVE_INFINITY;
        };
        double high = switch (current) {
            case CRITICAL -> CRITICAL_BELOW;
            case DEGRADED -> HEALTHY_AT;
            default -> Double.POSITIVE_INFINITY;
        };
        if (score >= low - margin && score < high + margin) {
            return current;
        }
        return band(score);
    }
}
