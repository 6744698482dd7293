package dev.apiguard.gateway;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

import dev.apiguard.gateway.Admission.Admitted;
import dev.apiguard.gateway.Admission.Rejected;
import dev.apiguard.gateway.BreakerState.Closed;
import dev.apiguard.gateway.BreakerState.Disabled;
import dev.apiguard.gateway.BreakerState.ForcedOpen;
import dev.apiguard.gateway.BreakerState.HalfOpen;
import dev.apiguard.gateway.BreakerState.Open;

/**
 * The circuit breaker of one route. Closed and disabled admissions are lock-free (the hot path);
 * everything else, and every transition, holds this breaker's lock, which makes half-open permit
 * accounting exact.
 */
final class RouteBreaker {
    private static final System.Logger LOG = System.getLogger(RouteBreaker.class.getName());

    /** What the registry does around transitions: metrics, and the blast-radius cap. */
    interface Hooks {
        /** Runs {@code trip} if one more route may open; false when the cap refuses it. */
        boolean openIfAllowed(Runnable trip);

        void transitioned(String route, BreakerState from, BreakerState to, boolean trip);

        /** The clients found to cause a route's failures were shed instead of tripping it. */
        default void culpritsShed(String route, int clients) {}

        /** A route's client table had no room for a client without pushing out an active one. */
        default void clientTableOverflow() {}
    }

    private final String route;
    private final BreakerConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private final Hooks hooks;
    private volatile BreakerState state;
    private final OutcomeWindow window;
    /** Null when fairness is off: every failure feeds the window, as before. */
    private final ClientFairness fairness;
    private Instant scoreBelowSince;
    private ScoreReading lastReading = ScoreReading.MISSING;
    private boolean hadFreshScore;

    RouteBreaker(String route, BreakerConfig config, Clock clock, RandomGenerator random, Hooks hooks) {
        this(route, config, FairnessConfig.disabled(), clock, random, hooks);
    }

    RouteBreaker(String route, BreakerConfig config, FairnessConfig fairness, Clock clock, RandomGenerator random,
            Hooks hooks) {
        this.route = route;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.hooks = hooks;
        this.window = new OutcomeWindow(config.window());
        this.fairness = !fairness.enabled() ? null : new ClientFairness(route, fairness, config, this::openDuration,
                new ClientFairness.Hooks() {
                    @Override
                    public void culpritsShed(String r, int clients) {
                        hooks.culpritsShed(r, clients);
                    }

                    @Override
                    public void tableOverflow() {
                        hooks.clientTableOverflow();
                    }
                });
        this.state = new Closed(clock.instant());
    }

    String route() {
        return route;
    }

    BreakerState state() {
        return state;
    }

    /** Admits or refuses one request. Every {@link Admitted} must be followed by one {@link #onResult}. */
    Admission tryAcquire() {
        BreakerState s = state;
        if (s instanceof Closed || s instanceof Disabled) {
            return Admitted.NORMAL;
        }
        synchronized (this) {
            Instant now = clock.instant();
            s = state;
            if (s instanceof Open open && !now.isBefore(open.until())) {
                s = new HalfOpen(now, open.reason(), open.consecutiveTrips());
                setState(s, false);
            }
            return switch (s) {
                case Closed c -> Admitted.NORMAL;
                case Disabled d -> Admitted.NORMAL;
                case Open o -> new Rejected(o.status(), o.reason(), Duration.between(now, o.until()));
                case ForcedOpen f -> new Rejected(f.status(), f.reason(), config.openBase());
                case HalfOpen h -> {
                    if (h.issued < config.halfOpenProbes()) {
                        h.issued++;
                        yield new Admitted(h);
                    }
                    yield new Rejected(h.status(), "half-open, probes in flight; " + h.reason(), Duration.ofSeconds(1));
                }
            };
        }
    }

    /**
     * How long {@code client} stays shed on this route because its calls alone were failing, or null
     * when it is not shed. Lock-free unless some client of the route is shed now.
     */
    Duration clientShed(String client) {
        if (fairness == null || !fairness.everShed()) {
            return null;
        }
        long nowMillis = clock.millis();
        if (!fairness.mayShed(nowMillis)) {
            return null;
        }
        synchronized (this) {
            return fairness.shedRemaining(client, nowMillis);
        }
    }

    /** Feeds the result of an admitted call of an unknown client. */
    void onResult(Admitted admitted, Outcome outcome) {
        onResult(admitted, outcome, null);
    }

    /** Feeds the result of an admitted call of {@code client} (its identity; null when unknown). */
    void onResult(Admitted admitted, Outcome outcome, String client) {
        synchronized (this) {
            Instant now = clock.instant();
            BreakerState s = state;
            if (admitted.probe()) {
                if (s != admitted.probeOf()) {
                    return; // a probe of an earlier episode
                }
                HalfOpen h = (HalfOpen) s;
                if (outcome == Outcome.CANCELLED) {
                    h.issued--; // the permit goes back: the probe said nothing
                } else if (outcome.failure()) {
                    reopen(now, "half-open probe failed (" + outcome.label() + ")", h.consecutiveTrips());
                } else if (++h.succeeded >= config.halfOpenProbes()) {
                    if (lastReading instanceof ScoreReading.Fresh(double score) && score < config.closeScore()) {
                        reopen(now, "probes succeeded but score " + fmt(score) + " is below the close threshold "
                                + fmt(config.closeScore()), h.consecutiveTrips());
                    } else {
                        close(now);
                    }
                }
                return;
            }
            if (s instanceof Closed && outcome != Outcome.CANCELLED) {
                long nowMillis = now.toEpochMilli();
                if (fairness != null && fairness.mayShed(nowMillis) && fairness.shedRemaining(client, nowMillis) != null) {
                    return; // a culprit's call admitted before it was shed: it feeds nothing
                }
                window.record(now, outcome);
                if (fairness != null) {
                    fairness.record(client, nowMillis, outcome);
                }
                OutcomeWindow.Totals totals = window.totals(now);
                if (totals.calls() >= config.minCalls()
                        && totals.failures() >= config.failureRatio() * totals.calls()) {
                    ClientFairness.Verdict culprits = fairness == null ? null
                            : fairness.judge(nowMillis, totals.calls(), totals.failures(), window);
                    if (culprits != null) {
                        LOG.log(Level.WARNING, "route {0}: shedding {1} instead of opening the breaker: {2}", route,
                                culprits.clients(), culprits.reason());
                        // their calls have left the window; the other clients' stay
                    } else {
                        tripFromClosed(now, totals.describe() + " in the last " + config.window());
                    }
                }
            }
        }
    }

    /** Feeds the route's current score; called by the registry on every score refresh. */
    void onScore(ScoreReading reading) {
        synchronized (this) {
            Instant now = clock.instant();
            lastReading = reading;
            if (!(reading instanceof ScoreReading.Fresh(double score))) {
                scoreBelowSince = null;
                if (hadFreshScore) {
                    hadFreshScore = false;
                    LOG.log(Level.INFO, "route {0}: no fresh health score ({1}); the breaker ignores scores until one"
                            + " arrives (fail open)", route, reading instanceof ScoreReading.Stale(String why) ? why : "missing");
                }
                return;
            }
            hadFreshScore = true;
            if (!(state instanceof Closed) || score >= config.tripScore()) {
                scoreBelowSince = null;
                return;
            }
            if (scoreBelowSince == null) {
                scoreBelowSince = now;
            }
            if (Duration.between(scoreBelowSince, now).compareTo(config.scoreDwell()) >= 0) {
                tripFromClosed(now, "health score " + fmt(score) + " below " + fmt(config.tripScore()) + " for "
                        + config.scoreDwell());
            }
        }
    }

    void forceOpen(String reason) {
        synchronized (this) {
            setState(new ForcedOpen(clock.instant(), reason), false);
        }
    }

    void disable(String reason) {
        synchronized (this) {
            if (fairness != null) {
                fairness.clear(); // the operator lets all of the route's traffic through: shed clients too
            }
            setState(new Disabled(clock.instant(), reason), false);
        }
    }

    /** Back to closed with an empty window and no client shed, whatever the state. */
    void reset() {
        synchronized (this) {
            if (fairness != null) {
                fairness.clear();
            }
            close(clock.instant());
        }
    }

    BreakerSnapshot snapshot() {
        synchronized (this) {
            Instant now = clock.instant();
            BreakerState s = state;
            OutcomeWindow.Totals totals = window.totals(now);
            int trips = switch (s) {
                case Open o -> o.consecutiveTrips();
                case HalfOpen h -> h.consecutiveTrips();
                default -> 0;
            };
            Optional<Instant> retryAt = s instanceof Open o ? Optional.of(o.until()) : Optional.empty();
            OptionalDouble score = lastReading instanceof ScoreReading.Fresh(double v)
                    ? OptionalDouble.of(v) : OptionalDouble.empty();
            return new BreakerSnapshot(route, s.status(), s.reason(), s.since(), retryAt, trips,
                    totals.calls(), totals.failures(), score);
        }
    }

    // ---- transitions, all under the lock

    private void tripFromClosed(Instant now, String reason) {
        boolean opened = hooks.openIfAllowed(() -> reopen(now, reason, 0));
        if (!opened) {
            resetWindow(); // refused by the blast-radius cap: start observing afresh
            scoreBelowSince = null;
        }
    }

    private void reopen(Instant now, String reason, int previousTrips) {
        int trips = previousTrips + 1;
        setState(new Open(now, now.plus(openDuration(trips)), reason, trips), true);
    }

    private void close(Instant now) {
        resetWindow();
        scoreBelowSince = null;
        setState(new Closed(now), false);
    }

    /** base × multiplier^(trips-1), capped, with ± jitter, never above the cap. */
    Duration openDuration(int trips) {
        double millis = config.openBase().toMillis() * Math.pow(config.openMultiplier(), trips - 1);
        millis = Math.min(millis, config.openMax().toMillis());
        millis *= 1 + config.jitter() * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.min(Math.round(millis), config.openMax().toMillis())));
    }

    private void setState(BreakerState next, boolean trip) {
        BreakerState previous = state;
        if (next instanceof Closed || next instanceof Open) {
            resetWindow();
        }
        state = next;
        hooks.transitioned(route, previous, next, trip);
    }

    /** The route's window and its clients' counts always cover the same calls. */
    private void resetWindow() {
        window.reset();
        if (fairness != null) {
            fairness.clearCounts();
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
