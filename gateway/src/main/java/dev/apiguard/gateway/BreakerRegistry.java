package dev.apiguard.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.score.EndpointScore;

/**
 * One breaker per route, bounded. The admin API and the dashboard read {@link #snapshot()} and act
 * through {@link #forceOpen}, {@link #disable} and {@link #reset}.
 */
public final class BreakerRegistry {
    private final BreakerConfig config;
    private final FairnessConfig fairness;
    private final Clock clock;
    private final RandomGenerator random;
    private final GatewayMetrics metrics;
    private final ConcurrentHashMap<String, RouteBreaker> breakers = new ConcurrentHashMap<>();
    private final RouteBreaker.Hooks hooks = new Hooks();
    private final Predicate<String> routeOutOfBudget;

    BreakerRegistry(BreakerConfig config, Clock clock, RandomGenerator random, GatewayMetrics metrics) {
        this(config, FairnessConfig.disabled(), clock, random, metrics, route -> false);
    }

    /**
     * @param routeOutOfBudget true for a route the route normalizer has not admitted for the gateway's
     *     service and has no room left for: its traffic maps to {@link RouteNormalizer#OVERFLOW_ROUTE},
     *     so a breaker of its own would never see any
     */
    BreakerRegistry(BreakerConfig config, FairnessConfig fairness, Clock clock, RandomGenerator random,
            GatewayMetrics metrics, Predicate<String> routeOutOfBudget) {
        this.config = config;
        this.fairness = fairness;
        this.clock = clock;
        this.random = random;
        this.metrics = metrics;
        this.routeOutOfBudget = routeOutOfBudget;
    }

    /** The route's breaker; past {@code maxBreakers} routes share the overflow route's breaker. */
    RouteBreaker breaker(String route) {
        RouteBreaker existing = breakers.get(route);
        if (existing != null) {
            return existing;
        }
        if (breakers.size() >= config.maxBreakers() && !route.equals(RouteNormalizer.OVERFLOW_ROUTE)) {
            metrics.breakersOverflow.inc();
            return breakers.computeIfAbsent(RouteNormalizer.OVERFLOW_ROUTE, this::newBreaker);
        }
        return breakers.computeIfAbsent(route, this::newBreaker);
    }

    private RouteBreaker newBreaker(String route) {
        metrics.breakerState.labelValues(route).set(0);
        return new RouteBreaker(route, config, fairness, clock, random, hooks);
    }

    /** Every breaker, sorted by route. */
    public List<BreakerSnapshot> snapshot() {
        List<BreakerSnapshot> out = new ArrayList<>(breakers.size());
        breakers.values().forEach(b -> out.add(b.snapshot()));
        out.sort(Comparator.comparing(BreakerSnapshot::route));
        return out;
    }

    public Optional<BreakerSnapshot> get(String route) {
        RouteBreaker b = breakers.get(route);
        return b == null ? Optional.empty() : Optional.of(b.snapshot());
    }

    /** Whether {@code route} has a breaker of its own (not the one the overflow routes share). */
    public boolean hasOwnBreaker(String route) {
        return !route.equals(RouteNormalizer.OVERFLOW_ROUTE) && breakers.containsKey(route);
    }

    /**
     * Null when {@code route} has or can still get a breaker of its own that its traffic reaches;
     * else why not (the admin API answers 409 with it).
     */
    public String noOwnBreakerReason(String route) {
        if (route.equals(RouteNormalizer.OVERFLOW_ROUTE)) {
            return "route " + route + " is shared by every route past the route or breaker limits; "
                    + "acting on it would hit all of them";
        }
        if (breakers.containsKey(route)) {
            return null;
        }
        if (breakers.size() >= config.maxBreakers()) {
            return "route " + route + " has no breaker of its own and cannot get one: the gateway already has "
                    + config.maxBreakers() + " breakers (breaker.max-breakers); its traffic shares the "
                    + RouteNormalizer.OVERFLOW_ROUTE + " breaker";
        }
        if (routeOutOfBudget.test(route)) {
            return "route " + route + " has not been seen and the service's route budget (routes.max-per-service) "
                    + "is used up: its traffic would map to " + RouteNormalizer.OVERFLOW_ROUTE;
        }
        return null;
    }

    /** The route's own breaker, created if allowed; empty rather than the shared overflow breaker. */
    private Optional<RouteBreaker> ownBreaker(String route) {
        if (noOwnBreakerReason(route) != null) {
            return Optional.empty();
        }
        RouteBreaker b = breaker(route);
        return b.route().equals(route) ? Optional.of(b) : Optional.empty();
    }

    /**
     * Refuses the route's traffic until {@link #reset}; creates the breaker if the route is new.
     * Empty, changing nothing, when the route cannot have a breaker of its own ({@link #noOwnBreakerReason}).
     */
    public Optional<BreakerSnapshot> forceOpen(String route) {
        return ownBreaker(route).map(b -> {
            b.forceOpen("forced open through the admin API");
            return b.snapshot();
        });
    }

    /** Lets all of the route's traffic through, never tripping, until {@link #reset}; empty as for forceOpen. */
    public Optional<BreakerSnapshot> disable(String route) {
        return ownBreaker(route).map(b -> {
            b.disable("disabled through the admin API");
            return b.snapshot();
        });
    }

    /** Closes the route's breaker with an empty window; empty when the route has no breaker. */
    public Optional<BreakerSnapshot> reset(String route) {
        RouteBreaker b = breakers.get(route);
        if (b == null) {
            return Optional.empty();
        }
        b.reset();
        return Optional.of(b.snapshot());
    }

    /**
     * Feeds the latest scores to every breaker. A route's score is the lowest fresh one among the
     * entries for its path (of {@code service} when given); stale or old entries count as stale.
     */
    void applyScores(Collection<EndpointScore> scores, String service) {
        Instant oldest = clock.instant().minus(config.scoreMaxAge());
        Map<String, ScoreReading> byRoute = new HashMap<>();
        for (EndpointScore s : scores) {
            if (service != null && !service.equals(s.service())) {
                continue;
            }
            ScoreReading reading;
            if (s.stale()) {
                reading = new ScoreReading.Stale("the scorer marks it stale");
            } else if (s.evaluatedAt() != null && s.evaluatedAt().isBefore(oldest)) {
                reading = new ScoreReading.Stale("evaluated at " + s.evaluatedAt() + ", older than " + config.scoreMaxAge());
            } else if (s.score().isEmpty()) {
                reading = new ScoreReading.Stale("the scorer has no score (state " + s.state() + ")");
            } else {
                reading = new ScoreReading.Fresh(s.score().getAsDouble());
            }
            byRoute.merge(s.path(), reading, BreakerRegistry::worse);
        }
        breakers.forEach((route, b) -> b.onScore(byRoute.getOrDefault(route, ScoreReading.MISSING)));
    }

    /** Fresh beats stale (only fresh data counts); among fresh scores the lowest wins. */
    private static ScoreReading worse(ScoreReading a, ScoreReading b) {
        if (a instanceof ScoreReading.Fresh(double x) && b instanceof ScoreReading.Fresh(double y)) {
            return x <= y ? a : b;
        }
        return a instanceof ScoreReading.Fresh ? a : b;
    }

    private final class Hooks implements RouteBreaker.Hooks {
        @Override
        public boolean openIfAllowed(Runnable trip) {
            if (config.maxOpenShare() >= 1.0) {
                trip.run();
                return true;
            }
            synchronized (this) {
                int open = 0;
                for (RouteBreaker b : breakers.values()) {
                    if (b.state() instanceof BreakerState.Open || b.state() instanceof BreakerState.HalfOpen) {
                        open++;
                    }
                }
                int allowed = Math.max(1, (int) Math.floor(config.maxOpenShare() * breakers.size()));
                if (open + 1 > allowed) {
                    metrics.tripsRefused.inc();
                    return false;
                }
                trip.run();
                return true;
            }
        }

        @Override
        public void transitioned(String route, BreakerState from, BreakerState to, boolean trip) {
            metrics.breakerState.labelValues(route).set(to.status().code());
            if (trip) {
                metrics.breakerTripped.labelValues(route).inc();
            }
        }

        @Override
        public void culpritsShed(String route, int clients) {
            metrics.culpritsShed.inc(clients);
        }

        @Override
        public void clientTableOverflow() {
            metrics.clientTableOverflow.inc();
        }
    }
}
