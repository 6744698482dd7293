package dev.apiguard.semantics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Severity of an error type: a route override (first matching glob, in config order) beats a type
 * override, which beats the default. Defaults: payment_failure critical; auth_failure and
 * rate_limit high; validation and generic_business_error medium; not_found low.
 */
record SeverityPolicy(Map<ErrorType, Severity> types, List<RouteOverride> routes) {

    record RouteOverride(Glob route, Map<ErrorType, Severity> types) {}

    static final SeverityPolicy DEFAULTS = new SeverityPolicy(new EnumMap<>(ErrorType.class), List.of());

    static Severity defaultFor(ErrorType type) {
        return switch (type) {
            case PAYMENT_FAILURE -> Severity.CRITICAL;
            case AUTH_FAILURE, RATE_LIMIT -> Severity.HIGH;
            case VALIDATION, GENERIC_BUSINESS_ERROR -> Severity.MEDIUM;
            case NOT_FOUND -> Severity.LOW;
        };
    }

    Severity severity(String route, ErrorType type) {
        for (RouteOverride override : routes) {
            Severity s = override.types().get(type);
            if (s != null && override.route().matches(route)) {
                return s;
            }
        }
        Severity s = types.get(type);
        return s != null ? s : defaultFor(type);
    }
}
