package dev.apiguard.gateway;

import java.time.Duration;

/**
 * Circuit-breaker options, one set for every route.
 *
 * @param tripScore a fresh health score below this for {@link #scoreDwell} trips the breaker (default 70)
 * @param closeScore a half-open breaker closes only when the score, if there is one, is at least this
 *     (default 85; above {@code tripScore}, which is the hysteresis)
 * @param scoreDwell how long the score must stay below {@code tripScore} (default PT5S)
 * @param scoreMaxAge a score evaluated longer ago than this counts as stale (default PT60S)
 * @param window length of the sliding window of the gateway's own observations (default PT30S)
 * @param minCalls calls in the window before the failure ratio may trip (default 20)
 * @param failureRatio failures / calls at or above which the breaker trips (default 0.5)
 * @param openBase open time after a first trip (default PT5S)
 * @param openMultiplier open time factor per consecutive trip (default 2)
 * @param openMax open time cap (default PT60S)
 * @param jitter open time jitter as a share, ± (default 0.1)
 * @param halfOpenProbes requests a half-open breaker lets through, all of which must succeed (default 3)
 * @param maxBreakers breakers held; further routes share the overflow route's breaker (default 2000)
 * @param maxOpenShare the share of routes that may be open at once, 1.0 for no cap (default 1.0);
 *     at least one route may always open
 */
public record BreakerConfig(
        double tripScore,
        double closeScore,
        Duration scoreDwell,
        Duration scoreMaxAge,
        Duration window,
        int minCalls,
        double failureRatio,
        Duration openBase,
        double openMultiplier,
        Duration openMax,
        double jitter,
        int halfOpenProbes,
        int maxBreakers,
        double maxOpenShare) {

    public BreakerConfig {
        check(tripScore >= 0 && tripScore <= 100, "breaker.trip-score must be within 0..100, got " + tripScore);
        check(closeScore >= tripScore && closeScore <= 100,
                "breaker.close-score must be within trip-score.." + "100, got " + closeScore);
        check(positive(scoreDwell) || scoreDwell.isZero(), "breaker.score-dwell must not be negative");
        check(positive(scoreMaxAge), "breaker.score-max-age must be positive");
        check(window.toMillis() >= 10, "breaker.window must be at least 10ms, got " + window);
        check(minCalls >= 1, "breaker.min-calls must be at least 1, got " + minCalls);
        check(failureRatio > 0 && failureRatio <= 1, "breaker.failure-ratio must be within (0, 1], got " + failureRatio);
        check(positive(openBase), "breaker.open-base must be positive");
        check(openMultiplier >= 1, "breaker.open-multiplier must be at least 1, got " + openMultiplier);
        check(openMax.compareTo(openBase) >= 0, "breaker.open-max must be at least open-base");
        check(jitter >= 0 && jitter < 1, "breaker.jitter must be within [0, 1), got " + jitter);
        check(halfOpenProbes >= 1, "breaker.half-open-probes must be at least 1, got " + halfOpenProbes);
        check(maxBreakers >= 1, "breaker.max-breakers must be at least 1, got " + maxBreakers);
        check(maxOpenShare > 0 && maxOpenShare <= 1, "breaker.max-open-share must be within (0, 1], got " + maxOpenShare);
    }

    public static BreakerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.tripScore = tripScore;
        b.closeScore = closeScore;
        b.scoreDwell = scoreDwell;
        b.scoreMaxAge = scoreMaxAge;
        b.window = window;
        b.minCalls = minCalls;
        b.failureRatio = failureRatio;
        b.openBase = openBase;
        b.openMultiplier = openMultiplier;
        b.openMax = openMax;
        b.jitter = jitter;
        b.halfOpenProbes = halfOpenProbes;
        b.maxBreakers = maxBreakers;
        b.maxOpenShare = maxOpenShare;
        return b;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Fluent builder; unset options keep their defaults. */
    public static final class Builder {
        private double tripScore = 70;
        private double closeScore = 85;
        private Duration scoreDwell = Duration.ofSeconds(5);
        private Duration scoreMaxAge = Duration.ofSeconds(60);
        private Duration window = Duration.ofSeconds(30);
        private int minCalls = 20;
        private double failureRatio = 0.5;
        private Duration openBase = Duration.ofSeconds(5);
        private double openMultiplier = 2;
        private Duration openMax = Duration.ofSeconds(60);
        private double jitter = 0.1;
        private int halfOpenProbes = 3;
        private int maxBreakers = 2000;
        private double maxOpenShare = 1.0;

        private Builder() {}

        public Builder tripScore(double v) { tripScore = v; return this; }
        public Builder closeScore(double v) { closeScore = v; return this; }
        public Builder scoreDwell(Duration v) { scoreDwell = v; return this; }
        public Builder scoreMaxAge(Duration v) { scoreMaxAge = v; return this; }
        public Builder window(Duration v) { window = v; return this; }
        public Builder minCalls(int v) { minCalls = v; return this; }
        public Builder failureRatio(double v) { failureRatio = v; return this; }
        public Builder openBase(Duration v) { openBase = v; return this; }
        public Builder openMultiplier(double v) { openMultiplier = v; return this; }
        public Builder openMax(Duration v) { openMax = v; return this; }
        public Builder jitter(double v) { jitter = v; return this; }
        public Builder halfOpenProbes(int v) { halfOpenProbes = v; return this; }
        public Builder maxBreakers(int v) { maxBreakers = v; return this; }
        public Builder maxOpenShare(double v) { maxOpenShare = v; return this; }

        public BreakerConfig build() {
            return new BreakerConfig(tripScore, closeScore, scoreDwell, scoreMaxAge, window, minCalls, failureRatio,
                    openBase, openMultiplier, openMax, jitter, halfOpenProbes, maxBreakers, maxOpenShare);
        }
    }
}
