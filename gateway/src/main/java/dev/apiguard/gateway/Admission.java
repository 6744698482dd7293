package dev.apiguard.gateway;

import java.time.Duration;

/** A breaker's answer to one request. */
sealed interface Admission {

    /**
     * Let through. A probe belongs to the half-open episode that issued it, so that a late result
     * never counts toward a later episode.
     */
    record Admitted(BreakerState.HalfOpen probeOf) implements Admission {
        static final Admitted NORMAL = new Admitted(null);

        boolean probe() {
            return probeOf != null;
        }
    }

    /** Refused: answer 503 with {@code Retry-After}. */
    record Rejected(BreakerSnapshot.Status status, String reason, Duration retryAfter) implements Admission {}
}
