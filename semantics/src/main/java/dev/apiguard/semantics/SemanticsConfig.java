package dev.apiguard.semantics;

import java.nio.file.Path;
import java.util.List;

import dev.apiguard.config.ConfigException;
import dev.apiguard.config.ConfigNode;

/**
 * User rules and severity overrides for the classifier. In YAML (a file of its own, or the
 * {@code semantics:} section of the agent's config):
 *
 * <pre>{@code
 * rules:
 *   - name: shop-declines                  # required, unique
 *     routes: ["/api/v1/checkout*"]        # route-template globs (* any run, ? one char); default: all routes
 *     content-types: ["application/json"]  # media-type globs; default: the JSON family
 *     when: {pointer: "/result/status", equals: "DECLINED"}
 *     type: payment_failure                # rate_limit | auth_failure | payment_failure | validation
 *                                          # | not_found | generic_business_error
 *     severity: critical                   # optional; default: the severity policy below
 *   - name: health-is-fine
 *     routes: ["/health"]
 *     when: {pointer: "/status", in: ["degraded"]}
 *     not-an-error: true                   # allow-list: when it matches, the verdict is Ok
 * severity:
 *   types: {validation: low}                        # per error type
 *   routes: {"/api/v1/checkout*": {validation: high}} # per route glob, first match wins
 * }</pre>
 *
 * <p>A {@code when} is one condition or a list of them (all must hold). Each names a JSON Pointer
 * (RFC 6901, at most 16 levels) and one test: {@code equals: V}, {@code in: [V, ...]},
 * {@code exists: true|false} (present, even as null), {@code non-empty: true|false} (not null, "",
 * [] or {}), or {@code regex: "..."} (found in the value's text). Pointers are evaluated in the same
 * streaming pass as the built-in rules, over what the captured prefix holds.
 *
 * <p>Order: a matching {@code not-an-error} rule wins; otherwise the first matching rule decides;
 * otherwise the built-in rules. A 5xx is never a business error, whatever the rules say.
 *
 * <p>Severity: a rule's own severity, else the first route override whose glob matches and names
 * the type, else the type override, else the default (payment_failure critical; auth_failure and
 * rate_limit high; validation and generic_business_error medium; not_found low).
 */
public final class SemanticsConfig {
    private static final SemanticsConfig EMPTY = new SemanticsConfig(List.of(), SeverityPolicy.DEFAULTS, new PointerTrie());

    private final List<UserRule> rules;
    private final SeverityPolicy severity;
    private final PointerTrie pointers;

    SemanticsConfig(List<UserRule> rules, SeverityPolicy severity, PointerTrie pointers) {
        this.rules = List.copyOf(rules);
        this.severity = severity;
        this.pointers = pointers;
    }

    /** No user rules, default severities. */
    public static SemanticsConfig empty() {
        return EMPTY;
    }

    /**
     * Reads a rules file: a YAML file whose top level is what the {@code semantics:} section holds
     * ({@code rules}, {@code severity}), or a whole apiguard config file with a {@code semantics:} section.
     *
     * @throws ConfigException naming the file, or the key path of the broken rule
     */
    public static SemanticsConfig load(Path file) {
        ConfigNode root = ConfigNode.load(file);
        return root.has("semantics") ? bind(root.section("semantics")) : bind(root);
    }

    /**
     * Parses YAML text whose top level holds {@code rules} and {@code severity}.
     *
     * @throws ConfigException naming the key path of the broken rule
     */
    public static SemanticsConfig parse(String yaml) {
        return bind(ConfigNode.parse(yaml, "rules"));
    }

    /**
     * Binds the {@code semantics:} section of the config (through the one config loader). An
     * absent section is the empty config.
     *
     * @throws ConfigException naming the key path of the broken rule
     */
    public static SemanticsConfig bind(ConfigNode section) {
        SemanticsConfig config = RulesBinder.bind(section);
        return config.rules.isEmpty() && config.severity.equals(SeverityPolicy.DEFAULTS) ? EMPTY : config;
    }

    /** The rule names, in evaluation order. */
    public List<String> ruleNames() {
        return rules.stream().map(UserRule::name).toList();
    }

    List<UserRule> rules() {
        return rules;
    }

    SeverityPolicy severity() {
        return severity;
    }

    PointerTrie pointers() {
        return pointers;
    }
}
