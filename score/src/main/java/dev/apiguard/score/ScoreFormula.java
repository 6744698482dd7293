package dev.apiguard.score;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Score = 100 − Σ penalties, clamped to [0, 100]. Every penalty is a function of a ratio (never a
 * raw rate), scaled by the route's criticality and capped per component. The weights are "points
 * per percent of requests"; {@code score/README.md} derives and calibrates them.
 */
public final class ScoreFormula {
    /** Points per percent of requests answered with a 5xx. */
    public static final double SERVER_ERROR_WEIGHT = 1.5;
    /** Points per percent of requests that were business errors, by severity. Low is 3× a 5xx. */
    public static final double CRITICAL_WEIGHT = 12;
    public static final double HIGH_WEIGHT = 9;
    public static final double MEDIUM_WEIGHT = 6;
    public static final double LOW_WEIGHT = 4.5;
    /** Points per 100% of p99 above the threshold (p99 twice the threshold costs 25). */
    public static final double LATENCY_WEIGHT = 25;
    /** Points per unit of SLO burn rate above 1 (the budget-neutral pace). */
    public static final double SLO_BURN_WEIGHT = 5;

    public static final double BUSINESS_CAP = 60;
    public static final double SERVER_ERROR_CAP = 50;
    public static final double LATENCY_CAP = 25;
    public static final double SLO_BURN_CAP = 30;

    public static final String BUSINESS_CRITICAL = "business_critical";
    public static final String BUSINESS_HIGH = "business_high";
    public static final String BUSINESS_MEDIUM = "business_medium";
    public static final String BUSINESS_LOW = "business_low";
    public static final String SERVER_ERROR = "server_error";
    public static final String LATENCY = "latency";
    public static final String SLO_BURN = "slo_burn";

    /** The score and the components that took points off it. */
    public record Breakdown(double score, Map<String, Double> penalties) {
        public Breakdown {
            penalties = Map.copyOf(penalties);
        }
    }

    private ScoreFormula() {}

    /**
     * Scores one endpoint's window. The caller applies the minimum-volume gate first.
     *
     * @param defaultLatencyThreshold used when the rule has none
     */
    public static Breakdown score(WindowStats w, RouteRule rule, Duration defaultLatencyThreshold) {
        Map<String, Double> penalties = new LinkedHashMap<>();
        double m = rule.criticality().multiplier();
        double n = w.requests();
        if (n > 0) {
            add(penalties, BUSINESS_CRITICAL, linear(w.critical() / n, CRITICAL_WEIGHT * m, BUSINESS_CAP));
            add(penalties, BUSINESS_HIGH, linear(w.high() / n, HIGH_WEIGHT * m, BUSINESS_CAP));
            add(penalties, BUSINESS_MEDIUM, linear(w.medium() / n, MEDIUM_WEIGHT * m, BUSINESS_CAP));
            add(penalties, BUSINESS_LOW, linear(w.low() / n, LOW_WEIGHT * m, BUSINESS_CAP));
            add(penalties, SERVER_ERROR, linear(w.serverErrors() / n, SERVER_ERROR_WEIGHT * m, SERVER_ERROR_CAP));
            if (rule.sloTarget().isPresent()) {
                double bad = (w.serverErrors() + w.critical() + w.high() + w.medium() + w.low()) / n;
                double burn = bad / (1 - rule.sloTarget().getAsDouble());
                add(penalties, SLO_BURN, Math.min(SLO_BURN_CAP, SLO_BURN_WEIGHT * m * Math.max(0, burn - 1)));
            }
        }
        double threshold = rule.latencyThreshold().orElse(defaultLatencyThreshold).toNanos() / 1e9;
        if (!Double.isNaN(w.p99Seconds()) && w.p99Seconds() > threshold) {
            double over = w.p99Seconds() / threshold - 1;
            add(penalties, LATENCY, Math.min(LATENCY_CAP, LATENCY_WEIGHT * m * over));
        }
        double total = 0;
        for (double p : penalties.values()) {
            total += p;
        }
        return new Breakdown(Math.clamp(100 - total, 0.0, 100.0), penalties);
    }

    /** {@code ratio} in percent of requests times points per percent, capped. */
    private static double linear(double ratio, double pointsPerPercent, double cap) {
        return Math.min(cap, Math.max(0, ratio) * 100 * pointsPerPercent);
    }

    private static void add(Map<String, Double> penalties, String component, double points) {
        if (points > 0) {
            penalties.put(component, points);
        }
    }
}
