package dev.apiguard.semantics.learn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Turns what a learner knows into user rules (the {@code semantics.rules} YAML of
 * docs/configuration.md) for an operator to review and pin: one rule per route, outcome field and
 * error type, matching the values the baseline flagged ({@code when: {pointer, in: [...]}}). A
 * pinned rule gives the same verdicts from the first response after a restart, before any learning.
 * Departures by absence, or into objects, have no scalar to pin and are only mentioned.
 */
public final class RuleSuggester {
    private static final int MAX_NAME = 80;

    private RuleSuggester() {}

    public static String yaml(BaselineSnapshot snapshot, String source) {
        StringBuilder head = new StringBuilder();
        StringBuilder rules = new StringBuilder();
        head.append("# apiguard rules suggest: from ").append(source).append('\n');
        head.append("# Review each rule, then pin it under semantics.rules in the agent's config (docs/configuration.md).\n");
        Set<String> names = new HashSet<>();
        int count = 0;
        for (BaselineSnapshot.Route route : snapshot.routes()) {
            if (!route.formed()) {
                head.append("# ").append(route.route()).append(": still learning (").append(route.samples()).append(" of ")
                        .append(snapshot.settings().minSamples()).append(" responses)\n");
                continue;
            }
            Map<String, List<BaselineSnapshot.Departure>> groups = new LinkedHashMap<>();
            for (BaselineSnapshot.Departure d : route.departures()) {
                if (d.kind().equals("absent") || d.kind().equals("object") || d.kind().equals("array")) {
                    head.append("# ").append(route.route()).append(": ").append(d.count()).append(" response(s) without ")
                            .append(d.pointer()).append(" looked like failures (").append(d.errorType())
                            .append("); nothing to pin\n");
                    continue;
                }
                groups.computeIfAbsent(d.pointer() + '\0' + d.errorType(), k -> new ArrayList<>()).add(d);
            }
            if (groups.isEmpty()) {
                head.append("# ").append(route.route()).append(": ").append(route.samples())
                        .append(" responses learned, nothing departed from ").append(usuals(route)).append('\n');
                continue;
            }
            for (List<BaselineSnapshot.Departure> group : groups.values()) {
                BaselineSnapshot.Departure first = group.getFirst();
                long flagged = group.stream().mapToLong(BaselineSnapshot.Departure::count).sum();
                String name = unique(names, "learned-" + slug(route.route()) + "-" + slug(first.pointer())
                        + (groups.size() > 1 ? "-" + slug(first.errorType()) : ""));
                rules.append("    - name: ").append(name).append('\n');
                BaselineSnapshot.Field field = field(route, first.pointer());
                rules.append("      # usual ").append(first.pointer()).append(": ")
                        .append(field == null || field.usual() == null ? "none"
                                : scalar(field.usual().kind(), field.usual().text()) + " in " + field.usual().count()
                                        + " of " + field.present())
                        .append("; ").append(flagged).append(" departure(s) looked like failures\n");
                rules.append("      routes: [").append(quote(route.route())).append("]\n");
                rules.append("      when: {pointer: ").append(quote(first.pointer())).append(", in: [");
                for (int i = 0; i < group.size(); i++) {
                    rules.append(i == 0 ? "" : ", ").append(scalar(group.get(i).kind(), group.get(i).text()));
                }
                rules.append("]}\n");
                rules.append("      type: ").append(first.errorType()).append('\n');
                count++;
            }
        }
        if (snapshot.overflow() != null && snapshot.overflow().values().stream().anyMatch(n -> n > 0)) {
            head.append("# some routes, fields or values did not fit the learner's bounds: ").append(snapshot.overflow())
                    .append('\n');
        }
        return head + "semantics:\n" + (count == 0 ? "  rules: []\n" : "  rules:\n" + rules);
    }

    private static String usuals(BaselineSnapshot.Route route) {
        List<String> parts = new ArrayList<>();
        for (BaselineSnapshot.Field f : route.fields()) {
            if (f.usual() != null) {
                parts.add(f.pointer() + " = " + scalar(f.usual().kind(), f.usual().text()));
            }
        }
        return parts.isEmpty() ? "(no usual outcome value)" : String.join(", ", parts);
    }

    private static BaselineSnapshot.Field field(BaselineSnapshot.Route route, String pointer) {
        for (BaselineSnapshot.Field f : route.fields()) {
            if (f.pointer().equals(pointer)) {
                return f;
            }
        }
        return null;
    }

    /** A YAML flow scalar of the same JSON type: strings double-quoted (JSON escapes are valid YAML). */
    static String scalar(String kind, String text) {
        return switch (kind) {
            case "string" -> quote(text);
            case "number", "boolean" -> text;
            default -> "null";
        };
    }

    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text == null ? "" : text)) + "\"";
    }

    static String slug(String text) {
        StringBuilder s = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                s.append(c);
            } else if (!s.isEmpty() && s.charAt(s.length() - 1) != '-') {
                s.append('-');
            }
        }
        while (!s.isEmpty() && s.charAt(s.length() - 1) == '-') {
            s.setLength(s.length() - 1);
        }
        return s.isEmpty() ? "root" : s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s.toString();
    }

    private static String unique(Set<String> names, String base) {
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }
}
