package dev.apiguard.semantics;

import java.util.ArrayList;
import java.util.List;

/**
 * What a learned baseline needs from the user's config: whether an allow-list ({@code not-an-error})
 * rule covers a response, and the severity the config gives a type on a route. Kept apart from the
 * classifier so that the learner decorates it without changing it.
 */
public final class LearningHooks {
    private final SeverityPolicy severity;
    /** The allow-list rules turned into error rules: a business error from it means "an allow rule matched". */
    private final Classifier allowProbe;

    private LearningHooks(SeverityPolicy severity, Classifier allowProbe) {
        this.severity = severity;
        this.allowProbe = allowProbe;
    }

    public static LearningHooks of(SemanticsConfig config) {
        List<UserRule> allow = new ArrayList<>();
        for (UserRule rule : config.rules()) {
            if (rule.notAnError()) {
                allow.add(new UserRule(rule.name(), rule.routes(), rule.contentTypes(), rule.when(),
                        ErrorType.GENERIC_BUSINESS_ERROR, null, false));
            }
        }
        Classifier probe = allow.isEmpty() ? null
                : Classifiers.create(new SemanticsConfig(allow, SeverityPolicy.DEFAULTS, config.pointers()));
        return new LearningHooks(config.severity(), probe);
    }

    /**
     * Whether a {@code not-an-error} rule matches. Only meaningful for a response the configured
     * classifier called Ok: then a failure from the probe can only come from an allow rule (had the
     * built-in rules flagged it on their own, the configured classifier would not have said Ok).
     */
    public boolean allows(ResponseSample response) {
        return allowProbe != null && allowProbe.classify(response) instanceof Verdict.BusinessError;
    }

    public Severity severity(String route, ErrorType type) {
        return severity.severity(route, type);
    }
}
