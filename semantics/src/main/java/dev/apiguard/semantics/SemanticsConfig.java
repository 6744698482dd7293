package dev.apiguard.semantics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * User rules and severity overrides for the classifier. In YAML (a file of its own, or the
 * {@code semantics:} section of the agent's config):
 *
 * <pre>{@code
 * rules:
 *   - name: shop-declines                  # required, unique
 *     routes: ["/api/v1/checkout*"]        # route-template globs (* any run, ? one char); default: all routes
 *     content_types: ["application/json"]  # media-type globs; default: the JSON family
 *     when: {pointer: "/result/status", equals: "DECLINED"}
 *     type: payment_failure                # rate_limit | auth_failure | payment_failure | validation
 *                                          # | not_found | generic_business_error
 *     severity: critical                   # optional; default: the severity policy below
 *   - name: health-is-fine
 *     routes: ["/health"]
 *     when: {pointer: "/status", in: ["degraded"]}
 *     not_an_error: true                   # allow-list: when it matches, the verdict is Ok
 * severity:
 *   types: {validation: low}                        # per error type
 *   routes: {"/api/v1/checkout*": {validation: high}} # per route glob, first match wins
 * }</pre>
 *
 * <p>A {@code when} is one condition or a list of them (all must hold). Each names a JSON Pointer
 * (RFC 6901, at most 16 levels) and one test: {@code equals: V}, {@code in: [V, ...]},
 * {@code exists: true|false} (present, even as null), {@code non_empty: true|false} (not null, "",
 * [] or {}), or {@code regex: "..."} (found in the value's text). Pointers are evaluated in the same
 * streaming pass as the built-in rules, over what the captured prefix holds.
 *
 * <p>Order: a matching {@code not_an_error} rule wins; otherwise the first matching rule decides;
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
     * Reads a YAML (or JSON) file.
     *
     * @throws SemanticsConfigException when the file is missing, unreadable or broken
     */
    public static SemanticsConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SemanticsConfigException(null, null, "rules file " + file + " does not exist");
        } catch (IOException e) {
            throw new SemanticsConfigException(null, null, "cannot read rules file " + file + ": " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (SemanticsConfigException e) {
            throw new SemanticsConfigException(e.rule(), e.key(), file + ": " + stripPrefix(e));
        }
    }

    /**
     * Parses YAML text.
     *
     * @throws SemanticsConfigException when it is not YAML or the rules are broken
     */
    public static SemanticsConfig parse(String yaml) {
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            String detail = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new SemanticsConfigException(null, null, "not valid YAML: " + detail);
        }
        return fromTree(tree);
    }

    /**
     * Reads an already-parsed tree, such as the {@code semantics:} section of the agent's config.
     * A missing or null tree is the empty config.
     *
     * @throws SemanticsConfigException naming the broken rule and key
     */
    public static SemanticsConfig fromTree(JsonNode tree) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return EMPTY;
        }
        return ConfigReader.read(tree);
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

    private static String stripPrefix(SemanticsConfigException e) {
        String message = e.getMessage();
        String prefix = (e.rule() == null ? "" : "rule '" + e.rule() + "': ") + (e.key() == null ? "" : "key '" + e.key() + "': ");
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
