package dev.apiguard.score;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Per-route scoring options, matched against the route template.
 *
 * @param path a route template, where {@code *} matches any characters ({@code /checkout*})
 * @param criticality multiplies the penalty weights (default NORMAL)
 * @param latencyThreshold p99 above this costs points (empty: the config's default, PT0.5S)
 * @param sloTarget optional availability SLO in (0, 1), e.g. 0.999; adds the {@code slo_burn} component
 */
public record RouteRule(String path, Criticality criticality, Optional<Duration> latencyThreshold, OptionalDouble sloTarget) {

    public RouteRule {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a route rule needs a path");
        }
        if (latencyThreshold.isPresent() && (latencyThreshold.get().isNegative() || latencyThreshold.get().isZero())) {
            throw new IllegalArgumentException("latency-threshold of " + path + " must be positive");
        }
        if (sloTarget.isPresent() && !(sloTarget.getAsDouble() > 0 && sloTarget.getAsDouble() < 1)) {
            throw new IllegalArgumentException("slo of " + path + " must be between 0 and 1 (e.g. 0.999), got " + sloTarget.getAsDouble());
        }
    }

    public static RouteRule of(String path, Criticality criticality) {
        return new RouteRule(path, criticality, Optional.empty(), OptionalDouble.empty());
    }

    /** The rule for routes no configured rule matches. */
    static RouteRule fallback() {
        return of("*", Criticality.NORMAL);
    }

    boolean matches(String route) {
        return toPattern().matcher(route).matches();
    }

    Pattern toPattern() {
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
