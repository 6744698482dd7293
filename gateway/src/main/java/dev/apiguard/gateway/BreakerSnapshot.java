package dev.apiguard.gateway;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One route's breaker at one moment, for the admin API and the dashboard.
 *
 * @param route route template
 * @param status state
 * @param reason why it is in that state (empty when closed)
 * @param since when it entered that state
 * @param retryAt when an open breaker half-opens (empty otherwise)
 * @param consecutiveTrips trips since it was last closed
 * @param windowCalls calls in the sliding window
 * @param windowFailures failed calls in the sliding window
 * @param score the last fresh health score seen for the route, if any
 */
public record BreakerSnapshot(
        String route,
        Status status,
        String reason,
        Instant since,
        Optional<Instant> retryAt,
        int consecutiveTrips,
        long windowCalls,
        long windowFailures,
        OptionalDouble score) {

    /** Breaker states with their {@code api_breaker_state} gauge values. */
    public enum Status {
        CLOSED(0, "closed"),
        OPEN(1, "open"),
        HALF_OPEN(2, "half_open"),
        FORCED_OPEN(3, "forced_open"),
        DISABLED(4, "disabled");

        private final int code;
        private final String label;

        Status(int code, String label) {
            this.code = code;
            this.label = label;
        }

        /** The gauge value. */
        public int code() {
            return code;
        }

        public String label() {
            return label;
        }
    }
}
