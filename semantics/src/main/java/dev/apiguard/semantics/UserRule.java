package dev.apiguard.semantics;

import java.util.List;

/**
 * A rule from the semantics config: where it applies (route and content-type globs), when it
 * matches (all predicates hold), and what it concludes.
 *
 * @param type the error type, or null for a {@code not-an-error} rule
 * @param severity the rule's own severity, or null for the policy's
 */
record UserRule(
        String name,
        List<Glob> routes,
        List<Glob> contentTypes,
        List<RulePredicate> when,
        ErrorType type,
        Severity severity,
        boolean notAnError) {

    boolean appliesTo(String route, String mediaType, MediaType kind) {
        if (contentTypes.isEmpty() ? !kind.isJson() : contentTypes.stream().noneMatch(g -> g.matches(mediaType))) {
            return false;
        }
        return routes.isEmpty() || routes.stream().anyMatch(g -> g.matches(route));
    }

    /** Whether a body of this media type must be scanned as JSON for the rule. */
    boolean readsAsJson(String mediaType) {
        return contentTypes.stream().anyMatch(g -> g.matches(mediaType));
    }

    boolean matches(Captures captures) {
        for (RulePredicate p : when) {
            if (!p.test(captures)) {
                return false;
            }
        }
        return true;
    }
}
