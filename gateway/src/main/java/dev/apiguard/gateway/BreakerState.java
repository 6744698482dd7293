package dev.apiguard.gateway;

import java.time.Instant;

/** Where one route's breaker stands. Immutable except {@link HalfOpen}'s counters, guarded by its breaker. */
sealed interface BreakerState
        permits BreakerState.Closed, BreakerState.Open, BreakerState.HalfOpen, BreakerState.ForcedOpen,
                BreakerState.Disabled {

    Instant since();

    /** Why the breaker is in this state; empty when closed. */
    String reason();

    BreakerSnapshot.Status status();

    /** Traffic flows; observations and scores may trip it. */
    record Closed(Instant since) implements BreakerState {
        public String reason() { return ""; }
        public BreakerSnapshot.Status status() { return BreakerSnapshot.Status.CLOSED; }
    }

    /** Traffic is refused until {@code until}; then the breaker half-opens. */
    record Open(Instant since, Instant until, String reason, int consecutiveTrips) implements BreakerState {
        public BreakerSnapshot.Status status() { return BreakerSnapshot.Status.OPEN; }
    }

    /** A few probes are let through; the rest is refused. Counters guarded by the owning breaker's lock. */
    static final class HalfOpen implements BreakerState {
        private final Instant since;
        private final String reason;
        private final int consecutiveTrips;
        int issued;
        int succeeded;

        HalfOpen(Instant since, String reason, int consecutiveTrips) {
            this.since = since;
            this.reason = reason;
            this.consecutiveTrips = consecutiveTrips;
        }

        public Instant since() { return since; }
        public String reason() { return reason; }
        int consecutiveTrips() { return consecutiveTrips; }
        public BreakerSnapshot.Status status() { return BreakerSnapshot.Status.HALF_OPEN; }
    }

    /** Refused by an operator until reset. */
    record ForcedOpen(Instant since, String reason) implements BreakerState {
        public BreakerSnapshot.Status status() { return BreakerSnapshot.Status.FORCED_OPEN; }
    }

    /** Always passes, never trips, until reset. */
    record Disabled(Instant since, String reason) implements BreakerState {
        public BreakerSnapshot.Status status() { return BreakerSnapshot.Status.DISABLED; }
    }
}
