package dev.apiguard.semantics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.apiguard.config.ConfigNode;

/**
 * Binds the {@code semantics:} section (or a rules file) into the rule model through the one config
 * loader, refusing anything it does not understand with the key path of the fault
 * ({@code semantics.rules[2].when.regex: bad regular expression ...}).
 */
final class RulesBinder {
    /** {@code learning} is bound by {@code LearningSettings.bind} (the learner's own options). */
    static final List<String> TOP_KEYS = List.of("rules", "severity", "learning");
    private static final Set<String> RULE_KEYS =
            Set.of("name", "routes", "content-types", "when", "type", "severity", "not-an-error");
    private static final Set<String> SEVERITY_KEYS = Set.of("types", "routes");
    private static final Set<String> TESTS = Set.of("equals", "in", "exists", "non-empty", "regex");
    /** The snake_case spellings of earlier versions, answered with the new key. */
    private static final Map<String, String> RENAMED = Map.of("content_types", "content-types",
            "not_an_error", "not-an-error", "non_empty", "non-empty");
    /** Bounds the work per response. */
    static final int MAX_RULES = 256;

    private final PointerTrie pointers = new PointerTrie();

    private RulesBinder() {}

    static SemanticsConfig bind(ConfigNode section) {
        return new RulesBinder().config(section);
    }

    private SemanticsConfig config(ConfigNode section) {
        section.allowOnly(TOP_KEYS, RENAMED);
        List<ConfigNode> items = section.list("rules");
        if (items.size() > MAX_RULES) {
            throw section.error("rules", "at most " + MAX_RULES + " rules, got " + items.size());
        }
        List<UserRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode item : items) {
            UserRule rule = rule(item);
            if (!names.add(rule.name())) {
                throw item.error("name", "two rules are named '" + rule.name() + "'; names must be unique");
            }
            rules.add(rule);
        }
        return new SemanticsConfig(rules, severityPolicy(section.section("severity")), pointers);
    }

    private UserRule rule(ConfigNode node) {
        if (!node.value().isObject()) {
            throw node.error("must be a mapping with name, when and type (or not-an-error)");
        }
        node.allowOnly(RULE_KEYS, RENAMED);
        JsonNode nameNode = node.value().get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
            throw node.error("name", "every rule needs a name");
        }
        String name = nameNode.asText();
        List<Glob> routes = globs(node.child("routes"), false);
        List<Glob> contentTypes = globs(node.child("content-types"), true);
        List<RulePredicate> when = when(node.child("when"));
        boolean notAnError = node.bool("not-an-error", false);
        ErrorType type = null;
        Severity severity = null;
        if (notAnError) {
            for (String key : List.of("type", "severity")) {
                if (node.has(key)) {
                    throw node.error(key, "a not-an-error rule takes no type or severity");
                }
            }
        } else {
            if (!node.has("type")) {
                throw node.error("type", "is required (or set not-an-error: true); one of " + typeLabels());
            }
            type = type(node.child("type"));
            if (node.has("severity")) {
                severity = severity(node.child("severity"));
            }
        }
        return new UserRule(name, routes, contentTypes, when, type, severity, notAnError);
    }

    private List<RulePredicate> when(ConfigNode node) {
        if (!node.present()) {
            throw node.error("is required: {pointer: ..., equals|in|exists|non-empty|regex: ...}");
        }
        List<RulePredicate> predicates = new ArrayList<>();
        if (node.value().isArray()) {
            if (node.value().isEmpty()) {
                throw node.error("must not be an empty list (it would match nothing useful)");
            }
            for (ConfigNode item : node.items()) {
                predicates.add(predicate(item));
            }
        } else {
            predicates.add(predicate(node));
        }
        return List.copyOf(predicates);
    }

    private RulePredicate predicate(ConfigNode node) {
        if (!node.value().isObject()) {
            throw node.error("must be {pointer: ..., equals|in|exists|non-empty|regex: ...}, got '" + node.value() + "'");
        }
        Set<String> allowed = new LinkedHashSet<>(TESTS);
        allowed.add("pointer");
        node.allowOnly(allowed, RENAMED);
        JsonNode pointerNode = node.value().get("pointer");
        if (pointerNode == null || !pointerNode.isTextual()) {
            throw node.error("pointer", "is required: a JSON Pointer such as \"/status\"");
        }
        String pointer = pointerNode.asText();
        List<String> segments;
        try {
            segments = PointerTrie.split(pointer);
        } catch (IllegalArgumentException e) {
            throw node.error("pointer", e.getMessage());
        }
        List<String> tests = new ArrayList<>();
        node.value().fieldNames().forEachRemaining(f -> {
            if (TESTS.contains(f)) {
                tests.add(f);
            }
        });
        if (tests.size() != 1) {
            throw node.error("must give exactly one of equals, in, exists, non-empty, regex; got " + tests);
        }
        String test = tests.getFirst();
        ConfigNode arg = node.child(test);
        int slot = pointers.add(pointer, segments);
        return switch (test) {
            case "equals" -> new RulePredicate.Equals(pointer, slot, expected(arg));
            case "in" -> {
                if (!arg.value().isArray() || arg.value().isEmpty()) {
                    throw arg.error("must be a non-empty list of values, got '" + arg.value() + "'");
                }
                List<RulePredicate.Expected> values = new ArrayList<>();
                arg.items().forEach(v -> values.add(expected(v)));
                yield new RulePredicate.In(pointer, slot, List.copyOf(values));
            }
            case "exists" -> new RulePredicate.Exists(pointer, slot, node.bool("exists", false));
            case "non-empty" -> new RulePredicate.NonEmpty(pointer, slot, node.bool("non-empty", false));
            default -> {
                if (!arg.value().isTextual()) {
                    throw arg.error("must be a regular expression string, got '" + arg.value() + "'");
                }
                try {
                    yield new RulePredicate.Regex(pointer, slot, Pattern.compile(arg.value().asText()));
                } catch (PatternSyntaxException e) {
                    throw arg.error("bad regular expression '" + arg.value().asText() + "': " + e.getDescription());
                }
            }
        };
    }

    private static RulePredicate.Expected expected(ConfigNode node) {
        JsonNode v = node.value();
        if (v.isNull()) {
            return new RulePredicate.Expected(Captures.Kind.NULL, null);
        }
        if (v.isBoolean()) {
            return new RulePredicate.Expected(Captures.Kind.BOOLEAN, v.asText());
        }
        if (v.isNumber()) {
            return new RulePredicate.Expected(Captures.Kind.NUMBER, v.asText());
        }
        if (v.isTextual()) {
            return new RulePredicate.Expected(Captures.Kind.STRING, v.asText());
        }
        throw node.error("must be a string, number, boolean or null, got '" + v + "'");
    }

    private static List<Glob> globs(ConfigNode node, boolean mediaTypes) {
        if (!node.present()) {
            return List.of();
        }
        JsonNode v = node.value();
        List<Glob> globs = new ArrayList<>();
        if (v.isTextual()) {
            globs.add(Glob.of(mediaTypes ? v.asText().trim().toLowerCase(Locale.ROOT) : v.asText()));
        } else if (v.isArray()) {
            for (ConfigNode g : node.items()) {
                if (!g.value().isTextual()) {
                    throw g.error("must be a glob string, got '" + g.value() + "'");
                }
                String text = g.value().asText();
                globs.add(Glob.of(mediaTypes ? text.trim().toLowerCase(Locale.ROOT) : text));
            }
        } else {
            throw node.error("must be a list of glob strings, got '" + v + "'");
        }
        return List.copyOf(globs);
    }

    private static SeverityPolicy severityPolicy(ConfigNode node) {
        node.allowOnly(SEVERITY_KEYS);
        Map<ErrorType, Severity> types = typeMap(node.mapping("types"));
        List<SeverityPolicy.RouteOverride> routes = new ArrayList<>();
        node.mapping("routes").entries().forEach((glob, byType) ->
                routes.add(new SeverityPolicy.RouteOverride(Glob.of(glob), typeMap(byType))));
        if (types.isEmpty() && routes.isEmpty()) {
            return SeverityPolicy.DEFAULTS;
        }
        return new SeverityPolicy(types, List.copyOf(routes));
    }

    private static Map<ErrorType, Severity> typeMap(ConfigNode node) {
        Map<ErrorType, Severity> map = new EnumMap<>(ErrorType.class);
        if (!node.present()) {
            return map;
        }
        if (!node.value().isObject()) {
            throw node.error("must be a mapping of error type to severity");
        }
        node.entries().forEach((label, value) -> {
            ErrorType type;
            try {
                type = ErrorType.fromLabel(label);
            } catch (IllegalArgumentException e) {
                throw value.error("unknown error type '" + label + "'; one of " + typeLabels());
            }
            map.put(type, severity(value));
        });
        return map;
    }

    private static ErrorType type(ConfigNode node) {
        String label = node.value().isTextual() ? node.value().asText() : node.value().toString();
        try {
            return ErrorType.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw node.error("must be one of " + typeLabels() + ", got '" + label + "'");
        }
    }

    private static Severity severity(ConfigNode node) {
        String label = node.value().isTextual() ? node.value().asText() : node.value().toString();
        try {
            return Severity.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw node.error("must be one of critical, high, medium, low, got '" + label + "'");
        }
    }

    private static String typeLabels() {
        StringBuilder s = new StringBuilder();
        for (ErrorType t : ErrorType.values()) {
            s.append(s.isEmpty() ? "" : ", ").append(t.label());
        }
        return s.toString();
    }
}
