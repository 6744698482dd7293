package dev.apiguard.semantics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns a config tree into rules, refusing anything it does not understand. */
final class ConfigReader {
    // "learning" is read by dev.apiguard.semantics.learn.LearningSettings.
    private static final Set<String> TOP_KEYS = Set.of("rules", "severity", "learning");
    private static final Set<String> RULE_KEYS =
            Set.of("name", "routes", "content_types", "when", "type", "severity", "not_an_error");
    private static final Set<String> SEVERITY_KEYS = Set.of("types", "routes");
    private static final Set<String> TESTS = Set.of("equals", "in", "exists", "non_empty", "regex");
    /** Bounds the work per response. */
    static final int MAX_RULES = 256;

    private final PointerTrie pointers = new PointerTrie();

    private ConfigReader() {}

    static SemanticsConfig read(JsonNode tree) {
        return new ConfigReader().config(tree);
    }

    private SemanticsConfig config(JsonNode tree) {
        if (!tree.isObject()) {
            throw new SemanticsConfigException(null, null, "expected a mapping with 'rules' and 'severity'");
        }
        unknownKeys(tree, TOP_KEYS, null, "");
        List<UserRule> rules = new ArrayList<>();
        JsonNode rulesNode = tree.get("rules");
        if (rulesNode != null && !rulesNode.isNull()) {
            if (!rulesNode.isArray()) {
                throw new SemanticsConfigException(null, "rules", "expected a list of rules");
            }
            if (rulesNode.size() > MAX_RULES) {
                throw new SemanticsConfigException(null, "rules", "at most " + MAX_RULES + " rules, got " + rulesNode.size());
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < rulesNode.size(); i++) {
                UserRule rule = rule(rulesNode.get(i), i + 1);
                if (!names.add(rule.name())) {
                    throw new SemanticsConfigException(rule.name(), "name", "two rules have this name");
                }
                rules.add(rule);
            }
        }
        return new SemanticsConfig(rules, severity(tree.get("severity")), pointers);
    }

    private UserRule rule(JsonNode node, int position) {
        String label = "#" + position;
        if (!node.isObject()) {
            throw new SemanticsConfigException(label, null, "expected a mapping");
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
            unknownKeys(node, RULE_KEYS, label, "");
            throw new SemanticsConfigException(label, "name", "every rule needs a name");
        }
        String name = nameNode.asText();
        unknownKeys(node, RULE_KEYS, name, "");
        List<Glob> routes = globs(node.get("routes"), name, "routes");
        List<Glob> contentTypes = globs(node.get("content_types"), name, "content_types");
        List<RulePredicate> when = when(node.get("when"), name);
        boolean notAnError = false;
        JsonNode allow = node.get("not_an_error");
        if (allow != null) {
            if (!allow.isBoolean()) {
                throw new SemanticsConfigException(name, "not_an_error", "expected true or false");
            }
            notAnError = allow.asBoolean();
        }
        ErrorType type = null;
        Severity severity = null;
        JsonNode typeNode = node.get("type");
        JsonNode severityNode = node.get("severity");
        if (notAnError) {
            if (typeNode != null || severityNode != null) {
                throw new SemanticsConfigException(name, typeNode != null ? "type" : "severity",
                        "a not_an_error rule takes no type or severity");
            }
        } else {
            if (typeNode == null) {
                throw new SemanticsConfigException(name, "type", "missing (or set not_an_error: true); one of " + typeLabels());
            }
            type = type(typeNode, name, "type");
            if (severityNode != null) {
                severity = severity(severityNode, name, "severity");
            }
        }
        return new UserRule(name, routes, contentTypes, when, type, severity, notAnError);
    }

    private List<RulePredicate> when(JsonNode node, String rule) {
        if (node == null || node.isNull()) {
            throw new SemanticsConfigException(rule, "when", "missing: give {pointer: ..., equals|in|exists|non_empty|regex: ...}");
        }
        List<RulePredicate> predicates = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new SemanticsConfigException(rule, "when", "an empty list matches nothing useful");
            }
            for (int i = 0; i < node.size(); i++) {
                predicates.add(predicate(node.get(i), rule, "when[" + i + "]"));
            }
        } else {
            predicates.add(predicate(node, rule, "when"));
        }
        return List.copyOf(predicates);
    }

    private RulePredicate predicate(JsonNode node, String rule, String key) {
        if (!node.isObject()) {
            throw new SemanticsConfigException(rule, key, "expected {pointer: ..., equals|in|exists|non_empty|regex: ...}");
        }
        Set<String> allowed = new HashSet<>(TESTS);
        allowed.add("pointer");
        unknownKeys(node, allowed, rule, key + ".");
        JsonNode pointerNode = node.get("pointer");
        if (pointerNode == null || !pointerNode.isTextual()) {
            throw new SemanticsConfigException(rule, key + ".pointer", "missing: a JSON Pointer such as \"/status\"");
        }
        String pointer = pointerNode.asText();
        List<String> segments;
        try {
            segments = PointerTrie.split(pointer);
        } catch (IllegalArgumentException e) {
            throw new SemanticsConfigException(rule, key + ".pointer", e.getMessage());
        }
        List<String> tests = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> {
            if (TESTS.contains(f)) {
                tests.add(f);
            }
        });
        if (tests.size() != 1) {
            throw new SemanticsConfigException(rule, key, "give exactly one of equals, in, exists, non_empty, regex; got " + tests);
        }
        String test = tests.getFirst();
        JsonNode arg = node.get(test);
        String argKey = key + "." + test;
        int slot = pointers.add(pointer, segments);
        return switch (test) {
            case "equals" -> new RulePredicate.Equals(pointer, slot, expected(arg, rule, argKey));
            case "in" -> {
                if (!arg.isArray() || arg.isEmpty()) {
                    throw new SemanticsConfigException(rule, argKey, "expected a non-empty list of values");
                }
                List<RulePredicate.Expected> values = new ArrayList<>();
                arg.forEach(v -> values.add(expected(v, rule, argKey)));
                yield new RulePredicate.In(pointer, slot, List.copyOf(values));
            }
            case "exists" -> new RulePredicate.Exists(pointer, slot, bool(arg, rule, argKey));
            case "non_empty" -> new RulePredicate.NonEmpty(pointer, slot, bool(arg, rule, argKey));
            default -> {
                if (!arg.isTextual()) {
                    throw new SemanticsConfigException(rule, argKey, "expected a regular expression string");
                }
                try {
                    yield new RulePredicate.Regex(pointer, slot, Pattern.compile(arg.asText()));
                } catch (PatternSyntaxException e) {
                    throw new SemanticsConfigException(rule, argKey,
                            "bad regular expression '" + arg.asText() + "': " + e.getDescription());
                }
            }
        };
    }

    private static RulePredicate.Expected expected(JsonNode v, String rule, String key) {
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
        throw new SemanticsConfigException(rule, key, "expected a string, number, boolean or null");
    }

    private static boolean bool(JsonNode v, String rule, String key) {
        if (!v.isBoolean()) {
            throw new SemanticsConfigException(rule, key, "expected true or false");
        }
        return v.asBoolean();
    }

    private static List<Glob> globs(JsonNode node, String rule, String key) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<Glob> globs = new ArrayList<>();
        if (node.isTextual()) {
            globs.add(Glob.of(node.asText()));
        } else if (node.isArray()) {
            for (JsonNode g : node) {
                if (!g.isTextual()) {
                    throw new SemanticsConfigException(rule, key, "expected a list of glob strings");
                }
                globs.add(Glob.of(key.equals("content_types") ? g.asText().trim().toLowerCase(java.util.Locale.ROOT) : g.asText()));
            }
        } else {
            throw new SemanticsConfigException(rule, key, "expected a list of glob strings");
        }
        return List.copyOf(globs);
    }

    private SeverityPolicy severity(JsonNode node) {
        if (node == null || node.isNull()) {
            return SeverityPolicy.DEFAULTS;
        }
        if (!node.isObject()) {
            throw new SemanticsConfigException(null, "severity", "expected a mapping with 'types' and 'routes'");
        }
        unknownKeys(node, SEVERITY_KEYS, null, "severity.");
        Map<ErrorType, Severity> types = typeMap(node.get("types"), "severity.types");
        List<SeverityPolicy.RouteOverride> routes = new ArrayList<>();
        JsonNode routesNode = node.get("routes");
        if (routesNode != null && !routesNode.isNull()) {
            if (!routesNode.isObject()) {
                throw new SemanticsConfigException(null, "severity.routes", "expected a mapping of route glob to {type: severity}");
            }
            for (Map.Entry<String, JsonNode> e : routesNode.properties()) {
                routes.add(new SeverityPolicy.RouteOverride(Glob.of(e.getKey()),
                        typeMap(e.getValue(), "severity.routes." + e.getKey())));
            }
        }
        return new SeverityPolicy(types, List.copyOf(routes));
    }

    private static Map<ErrorType, Severity> typeMap(JsonNode node, String key) {
        Map<ErrorType, Severity> map = new EnumMap<>(ErrorType.class);
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new SemanticsConfigException(null, key, "expected a mapping of error type to severity");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            ErrorType type = type(e.getKey(), null, key + "." + e.getKey());
            map.put(type, severity(e.getValue(), null, key + "." + e.getKey()));
        }
        return map;
    }

    private static ErrorType type(JsonNode node, String rule, String key) {
        if (!node.isTextual()) {
            throw new SemanticsConfigException(rule, key, "expected one of " + typeLabels());
        }
        return type(node.asText(), rule, key);
    }

    private static ErrorType type(String label, String rule, String key) {
        try {
            return ErrorType.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw new SemanticsConfigException(rule, key, "unknown error type '" + label + "'; one of " + typeLabels());
        }
    }

    private static Severity severity(JsonNode node, String rule, String key) {
        String label = node.isTextual() ? node.asText() : node.toString();
        try {
            return Severity.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw new SemanticsConfigException(rule, key, "unknown severity '" + label + "'; one of critical, high, medium, low");
        }
    }

    private static String typeLabels() {
        StringBuilder s = new StringBuilder();
        for (ErrorType t : ErrorType.values()) {
            s.append(s.isEmpty() ? "" : ", ").append(t.label());
        }
        return s.toString();
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String rule, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw new SemanticsConfigException(rule, prefix + field, "unknown key; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
    }
}
