package dev.apiguard.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads scorer options from a YAML (or JSON) file: the keys of {@link ScoreConfig}, at the top level
 * or under a {@code score:} section, so one file can configure several stages. Unknown keys are errors.
 *
 * <pre>
 * score:
 *   window: PT5M
 *   routes:
 *     - path: /checkout*
 *       criticality: critical
 *       slo: 0.999
 * </pre>
 */
public final class ScoreConfigFile {
    private static final Set<String> KEYS = Set.of(
            "window", "interval", "sides", "min-requests", "latency-threshold", "routes", "hysteresis", "dwell",
            "stale-ttl", "max-endpoints", "query-timeout", "use-recording-rules");
    private static final Set<String> ROUTE_KEYS = Set.of("path", "criticality", "latency-threshold", "slo");

    private ScoreConfigFile() {}

    /**
     * @throws IllegalArgumentException with a one-line message naming the file and the bad key
     */
    public static ScoreConfig load(Path file, ScoreConfig base) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage());
        }
        try {
            return parse(text, base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage());
        }
    }

    static ScoreConfig parse(String yaml, ScoreConfig base) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid YAML (" + e.getOriginalMessage() + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return base;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a mapping of options");
        }
        JsonNode node = root.has("score") ? root.get("score") : root;
        if (!node.isObject()) {
            throw new IllegalArgumentException("'score' must be a mapping of options");
        }
        // Other stages' sections may sit beside 'score'; only this section is checked then.
        rejectUnknown(node, KEYS, node == root ? "" : "score.");
        return new ScoreConfig(
                duration(node, "window", base.window()),
                duration(node, "interval", base.interval()),
                node.has("sides") ? strings(node.get("sides"), "sides") : base.sides(),
                node.has("min-requests") ? integer(node.get("min-requests"), "min-requests") : base.minRequests(),
                duration(node, "latency-threshold", base.latencyThreshold()),
                node.has("routes") ? routes(node.get("routes")) : base.routes(),
                node.has("hysteresis") ? number(node.get("hysteresis"), "hysteresis") : base.hysteresis(),
                duration(node, "dwell", base.dwell()),
                duration(node, "stale-ttl", base.staleTtl()),
                node.has("max-endpoints") ? Math.toIntExact(integer(node.get("max-endpoints"), "max-endpoints")) : base.maxEndpoints(),
                duration(node, "query-timeout", base.queryTimeout()),
                node.has("use-recording-rules") ? bool(node.get("use-recording-rules"), "use-recording-rules") : base.useRecordingRules());
    }

    private static List<RouteRule> routes(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("routes must be a list of {path, criticality, latency-threshold, slo}");
        }
        List<RouteRule> rules = new ArrayList<>();
        for (JsonNode r : node) {
            if (!r.isObject() || !r.has("path")) {
                throw new IllegalArgumentException("each route needs a path");
            }
            rejectUnknown(r, ROUTE_KEYS, "routes[].");
            rules.add(new RouteRule(
                    r.get("path").asText(),
                    r.has("criticality") ? Criticality.fromLabel(r.get("criticality").asText()) : Criticality.NORMAL,
                    r.has("latency-threshold")
                            ? Optional.of(parseDuration(r.get("latency-threshold").asText(), "latency-threshold"))
                            : Optional.empty(),
                    r.has("slo") ? OptionalDouble.of(number(r.get("slo"), "slo")) : OptionalDouble.empty()));
        }
        return rules;
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + prefix + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static List<String> strings(JsonNode node, String name) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " must be a list");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long integer(JsonNode node, String name) {
        if (!node.canConvertToExactIntegral() && !node.isIntegralNumber()) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + node.asText() + "'");
        }
        return node.asLong();
    }

    private static boolean bool(JsonNode node, String name) {
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(name + " must be true or false, got '" + node.asText() + "'");
        }
        return node.booleanValue();
    }

    private static double number(JsonNode node, String name) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number, got '" + node.asText() + "'");
        }
        return node.asDouble();
    }

    private static Duration duration(JsonNode node, String name, Duration fallback) {
        return node.has(name) ? parseDuration(node.get(name).asText(), name) : fallback;
    }

    /**
     * ISO-8601 ({@code PT30S}) or the short forms {@code 30s}, {@code 5m}, {@code 250ms}, {@code 1h}; the
     * one duration grammar of every apiguard option and flag.
     *
     * @throws IllegalArgumentException "'x' is not a duration (…)"
     */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("bad unit");
            };
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use ISO-8601 like PT30S, or 30s, 5m, 250ms)");
        }
    }

    /** {@link #parseDuration(String)} with the option's name in the message. */
    public static Duration parseDuration(String text, String name) {
        try {
            return parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }
}
