package dev.apiguard.semantics;

/**
 * A broken semantics config: names the rule (when the problem is inside one) and the key. The CLI
 * turns it into exit code 2.
 */
public final class SemanticsConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String key;

    SemanticsConfigException(String rule, String key, String problem) {
        super(describe(rule, key, problem));
        this.rule = rule;
        this.key = key;
    }

    SemanticsConfigException(String message, Throwable cause) {
        super(message, cause);
        this.rule = null;
        this.key = null;
    }

    private static String describe(String rule, String key, String problem) {
        StringBuilder text = new StringBuilder();
        if (rule != null) {
            text.append("rule '").append(rule).append("': ");
        }
        if (key != null) {
            text.append("key '").append(key).append("': ");
        }
        return text.append(problem).toString();
    }

    /** The rule's name (or {@code #n} for an unnamed one), or null when the problem is outside the rules. */
    public String rule() {
        return rule;
    }

    /** The offending key, such as {@code when.regex}, or null. */
    public String key() {
        return key;
    }
}
