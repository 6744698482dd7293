package dev.apiguard.score;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the scorer works. Every option has a default ({@link #defaults()}); the config file and the
 * command line override them (see {@code score/README.md}).
 *
 * @param window traffic span each score covers (default PT5M)
 * @param interval time between evaluations (default PT5S)
 * @param sides {@code side} label values summed into one endpoint (default server, gateway)
 * @param minRequests below this many requests in the window the state is UNKNOWN (default 20)
 * @param latencyThreshold p99 above this costs points, unless a route rule says otherwise (default PT0.5S)
 * @param routes per-route rules, first match wins (default none: every route NORMAL)
 * @param hysteresis points beyond a band's edge a score must go before the state leaves the band (default 3)
 * @param dwell how long a new band must hold before the state changes (default PT10S)
 * @param staleTtl how long the last scores are kept, marked stale, when the source fails (default PT2M)
 * @param maxEndpoints endpoints scored at most; the rest are dropped and counted (default 20000)
 * @param queryTimeout timeout of one request to Prometheus (default PT5S)
 * @param useRecordingRules the Prometheus source reads the series recorded by
 *     deploy/prometheus/apiguard-rules.yml instead of sending its four queries (default false; needs the
 *     default window and sides, which the rules are recorded for; the embedded source ignores it)
 */
public record ScoreConfig(
        Duration window,
        Duration interval,
        List<String> sides,
        long minRequests,
        Duration latencyThreshold,
        List<RouteRule> routes,
        double hysteresis,
        Duration dwell,
        Duration staleTtl,
        int maxEndpoints,
        Duration queryTimeout,
        boolean useRecordingRules) {

    /** Label values are interpolated into PromQL, so they are kept to a safe alphabet. */
    private static final Pattern SIDE = Pattern.compile("[a-z_]{1,32}");

    public ScoreConfig {
        sides = List.copyOf(sides);
        routes = List.copyOf(routes);
        positive("window", window);
        positive("interval", interval);
        positive("latency-threshold", latencyThreshold);
        positive("stale-ttl", staleTtl);
        positive("query-timeout", queryTimeout);
        if (dwell.isNegative()) {
            throw new IllegalArgumentException("dwell must not be negative, got " + dwell);
        }
        if (interval.compareTo(window) > 0) {
            throw new IllegalArgumentException("interval (" + interval + ") must not be longer than window (" + window + ")");
        }
        if (window.dividedBy(interval) > 10_000) {
            throw new IllegalArgumentException("window/interval must be at most 10000 evaluations, got " + window.dividedBy(interval));
        }
        if (sides.isEmpty()) {
            throw new IllegalArgumentException("sides must name at least one side (server, client, gateway)");
        }
        for (String side : sides) {
            if (!SIDE.matcher(side).matches()) {
                throw new IllegalArgumentException("side '" + side + "' is not a side label (server, client, gateway)");
            }
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("min-requests must be at least 1, got " + minRequests);
        }
        if (!(hysteresis >= 0 && hysteresis <= 15)) {
            throw new IllegalArgumentException("hysteresis must be between 0 and 15 points, got " + hysteresis);
        }
        if (maxEndpoints < 1) {
            throw new IllegalArgumentException("max-endpoints must be at least 1, got " + maxEndpoints);
        }
    }

    public static ScoreConfig defaults() {
        return new ScoreConfig(
                Duration.ofMinutes(5),
                Duration.ofSeconds(5),
                List.of("server", "gateway"),
                20,
                Duration.ofMillis(500),
                List.of(),
                3,
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                20_000,
                Duration.ofSeconds(5),
                false);
    }

    public ScoreConfig withWindow(Duration w) {
        return new ScoreConfig(w, interval, sides, minRequests, latencyThreshold, routes, hysteresis, dwell, staleTtl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withInterval(Duration i) {
        return new ScoreConfig(window, i, sides, minRequests, latencyThreshold, routes, hysteresis, dwell, staleTtl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withSides(List<String> s) {
        return new ScoreConfig(window, interval, s, minRequests, latencyThreshold, routes, hysteresis, dwell, staleTtl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withMinRequests(long n) {
        return new ScoreConfig(window, interval, sides, n, latencyThreshold, routes, hysteresis, dwell, staleTtl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withRoutes(List<RouteRule> r) {
        return new ScoreConfig(window, interval, sides, minRequests, latencyThreshold, r, hysteresis, dwell, staleTtl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withStaleTtl(Duration ttl) {
        return new ScoreConfig(window, interval, sides, minRequests, latencyThreshold, routes, hysteresis, dwell, ttl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withDwell(Duration d) {
        return new ScoreConfig(window, interval, sides, minRequests, latencyThreshold, routes, hysteresis, d, staleTtl, maxEndpoints, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withMaxEndpoints(int max) {
        return new ScoreConfig(window, interval, sides, minRequests, latencyThreshold, routes, hysteresis, dwell, staleTtl, max, queryTimeout, useRecordingRules);
    }

    public ScoreConfig withUseRecordingRules(boolean use) {
        return new ScoreConfig(window, interval, sides, minRequests, latencyThreshold, routes, hysteresis, dwell, staleTtl, maxEndpoints, queryTimeout, use);
    }

    /** The first rule whose path matches the route, or the NORMAL fallback. */
    public RouteRule ruleFor(String route) {
        for (RouteRule rule : routes) {
            if (rule.matches(route)) {
                return rule;
            }
        }
        return RouteRule.fallback();
    }

    /** The number of evaluations a window spans (at least one). */
    int slots() {
        long n = (window.toMillis() + interval.toMillis() - 1) / interval.toMillis();
        return (int) Math.max(1, n);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
