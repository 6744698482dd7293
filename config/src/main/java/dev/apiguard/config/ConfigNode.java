package dev.apiguard.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * One node of the config tree with its key path, and the one set of typed reads every binder uses.
 * Every read takes the option's default; a bad value is a {@link ConfigException} naming the key
 * path, the value and what is allowed; unknown keys are errors naming the known ones.
 *
 * <p>Reading an empty tree with {@link #declarations} records every option a binder reads with its
 * default: the declared options, which docs/configuration.md is checked against.
 */
public final class ConfigNode {
    /**
     * Built on first parse only: an ObjectMapper loads a few hundred Jackson classes (about 3 MiB of
     * metaspace and their JIT code), which an agent started without a config file never needs.
     */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    }

    private final String path;
    private final JsonNode node;
    private final Map<String, String> declared; // null unless recording declarations

    private ConfigNode(String path, JsonNode node, Map<String, String> declared) {
        this.path = path;
        this.node = node;
        this.declared = declared;
    }

    /** No file: every option at its default. */
    public static ConfigNode empty() {
        return new ConfigNode("", JsonNodeFactory.instance.objectNode(), null);
    }

    /** Reads a YAML file; a missing, unreadable or malformed file is a ConfigException naming it. */
    public static ConfigNode load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(file.toString(), "the config file does not exist or is not readable");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the config file (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    /**
     * Parses YAML text.
     *
     * @param source names the text in errors (the file name)
     */
    public static ConfigNode parse(String yaml, String source) {
        JsonNode root;
        try {
            root = Yaml.MAPPER.readTree(yaml);
        } catch (JacksonException e) {
            String detail = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
            throw new ConfigException(source, "not valid YAML: " + detail.replaceAll("\\s*\\n\\s*", "; ")
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return empty();
        }
        if (!root.isObject()) {
            throw new ConfigException(source, "the top level must be a mapping of sections, got '" + shorten(root.toString()) + "'");
        }
        return new ConfigNode("", root, null);
    }

    /**
     * Runs {@code binder} over an empty tree and returns every option it read, in order, with its
     * declared default as text ({@code none} for no value, {@code required} for a required one).
     */
    public static Map<String, String> declarations(Consumer<ConfigNode> binder) {
        Map<String, String> out = new LinkedHashMap<>();
        binder.accept(new ConfigNode("", JsonNodeFactory.instance.objectNode(), out));
        return out;
    }

    /**
     * This tree with {@code values} set at their dotted key paths over whatever the file says: how
     * command-line flags win. Values are Integer, Long, Double, Boolean or String (durations as text).
     */
    public ConfigNode withValues(Map<String, ?> values) {
        ObjectNode copy = node.isObject() ? ((ObjectNode) node).deepCopy() : JsonNodeFactory.instance.objectNode();
        values.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            ObjectNode at = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = at.get(parts[i]);
                at = next instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            String last = parts[parts.length - 1];
            switch (value) {
                case null -> at.remove(last);
                case Integer i -> at.put(last, i);
                case Long l -> at.put(last, l);
                case Double d -> at.put(last, d);
                case Boolean b -> at.put(last, b);
                default -> at.put(last, value.toString());
            }
        });
        return new ConfigNode(path, copy, declared);
    }

    /**
     * This tree over {@code yaml}'s: a command's own defaults (the demo's short score window), which
     * the file's values win over. Mappings merge key by key; lists and values are taken whole.
     */
    public ConfigNode withDefaults(String yaml) {
        JsonNode base = parse(yaml, "built-in defaults").node;
        return new ConfigNode(path, merge(base.deepCopy(), node), declared);
    }

    private static JsonNode merge(JsonNode base, JsonNode over) {
        if (base instanceof ObjectNode b && over instanceof ObjectNode o) {
            for (var e : o.properties()) {
                JsonNode mine = b.get(e.getKey());
                b.set(e.getKey(), mine == null ? e.getValue() : merge(mine, e.getValue()));
            }
            return b;
        }
        return over.isMissingNode() || over.isNull() ? base : over;
    }

    /** Whether the file gives this node any value. */
    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    /** Whether the file sets {@code name} here. */
    public boolean has(String name) {
        JsonNode v = node.path(name);
        return !v.isMissingNode() && !v.isNull();
    }

    /** The dotted key path of this node ({@code (top level)} for the root). */
    public String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    /** The key path of {@code name} under this node. */
    public String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The raw value of this node, for binders that inspect scalars (null, boolean, number, text). */
    public JsonNode value() {
        return node;
    }

    /** An error about {@code name} under this node. */
    public ConfigException error(String name, String problem) {
        return new ConfigException(key(name), problem);
    }

    /** An error about this node itself. */
    public ConfigException error(String problem) {
        return new ConfigException(path(), problem);
    }

    /** Fails on any key not in {@code known}. */
    public ConfigNode allowOnly(Collection<String> known) {
        return allowOnly(known, Map.of());
    }

    /**
     * Fails on any key not in {@code known}; a key in {@code renamed} gets an error naming its new
     * spelling ({@code content_types} → {@code content-types}).
     */
    public ConfigNode allowOnly(Collection<String> known, Map<String, String> renamed) {
        if (!present()) {
            return this;
        }
        if (!node.isObject()) {
            throw error("must be a mapping of " + String.join(", ", new TreeSet<>(known)) + ", got '" + shorten(node.toString()) + "'");
        }
        for (String name : (Iterable<String>) node::fieldNames) {
            if (renamed.containsKey(name)) {
                throw error(name, "renamed to " + renamed.get(name) + " (keys are kebab-case)");
            }
            if (!known.contains(name)) {
                throw error(name, "unknown key (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    /** A nested mapping; absent is an empty one. */
    public ConfigNode section(String name) {
        JsonNode child = node.path(name);
        if (!child.isMissingNode() && !child.isNull() && !child.isObject()) {
            throw error(name, "must be a mapping, got '" + shorten(child.asText()) + "'");
        }
        return new ConfigNode(key(name), child.isMissingNode() || child.isNull() ? MissingNode.getInstance() : child, declared);
    }

    /** A mapping of arbitrary keys (route globs, process names) under {@code name}; absent is an empty one. */
    public ConfigNode mapping(String name) {
        declare(name, "none");
        return section(name);
    }

    /** The child {@code name}, whatever it holds (absent: a node that is not {@link #present()}). */
    public ConfigNode child(String name) {
        return new ConfigNode(key(name), node.path(name), declared);
    }

    /** The items of the list {@code name} ({@code name[0]}, ...); absent is an empty list. */
    public List<ConfigNode> list(String name) {
        declare(name, "none");
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(name, "must be a list, got '" + shorten(v.asText()) + "'");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            items.add(new ConfigNode(key(name) + "[" + i + "]", v.get(i), declared));
        }
        return items;
    }

    /** The items of this node when it is a list ({@code path[0]}, ...). */
    public List<ConfigNode> items() {
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new ConfigNode(path + "[" + i + "]", node.get(i), null));
        }
        return items;
    }

    /** The entries of this node when it is a mapping, keyed by name, with their paths. */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), new ConfigNode(key(e.getKey()), e.getValue(), null)));
        }
        return out;
    }

    private JsonNode scalar(String name) {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw error(name, "must be a single value, got '" + shorten(v.toString()) + "'");
        }
        return v;
    }

    public String string(String name, String defaultValue) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        return v == null ? defaultValue : v.asText();
    }

    /** A string that is one of {@code allowed}. */
    public String choice(String name, String defaultValue, Set<String> allowed) {
        String v = string(name, defaultValue);
        if (v != null && !allowed.contains(v)) {
            throw error(name, "must be one of " + String.join(", ", new TreeSet<>(allowed)) + ", got '" + shorten(v) + "'");
        }
        return v;
    }

    /** A required string: no default. */
    public String required(String name) {
        declare(name, "required");
        JsonNode v = scalar(name);
        if (declared != null && v == null) {
            return ""; // recording declarations over an empty tree
        }
        if (v == null || v.asText().isBlank()) {
            throw error(name, "is required");
        }
        return v.asText();
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return (int) longInteger(name, defaultValue, min, max);
    }

    public long longInteger(String name, long defaultValue, long min, long max) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw error(name, "must be a whole number between " + min + " and " + max + ", got '" + shorten(v.asText()) + "'");
        }
        return v.asLong();
    }

    public double number(String name, double defaultValue, double min, double max) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        if (v == null) {
            return defaultValue;
        }
        double d = v.isNumber() ? v.asDouble() : Double.NaN;
        if (!(d >= min && d <= max)) {
            throw error(name, "must be a number between " + fmt(min) + " and " + fmt(max) + ", got '" + shorten(v.asText()) + "'");
        }
        return d;
    }

    public boolean bool(String name, boolean defaultValue) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw error(name, "must be true or false, got '" + shorten(v.asText()) + "'");
        }
        return v.asBoolean();
    }

    /** A positive duration up to {@link Durations#MAX}. */
    public Duration duration(String name, Duration defaultValue) {
        return duration(name, defaultValue, Duration.ofMillis(1));
    }

    /** A duration within {@code min}..{@link Durations#MAX}. */
    public Duration duration(String name, Duration defaultValue, Duration min) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        if (v == null) {
            return defaultValue;
        }
        Duration d;
        try {
            d = Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            d = null;
        }
        if (d == null || d.compareTo(min) < 0 || d.compareTo(Durations.MAX) > 0) {
            throw error(name, "must be a duration from " + (min.isZero() ? "0" : min.toMillis() < 1000 ? min.toMillis() + "ms" : min.toString()) + " to P365D ("
                    + Durations.GRAMMAR + "), got '" + shorten(v.asText()) + "'");
        }
        return d;
    }

    /** An address in the one listen grammar ({@link Listen}). */
    public Listen listen(String name, Listen defaultValue) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Listen.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw error(name, e.getMessage() + ", got '" + shorten(v.asText()) + "'");
        }
    }

    /** An {@code http://host[:port][/path]} URL. */
    public URI httpUrl(String name, URI defaultValue) {
        declare(name, defaultValue);
        JsonNode v = scalar(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            URI u = new URI(v.asText().trim());
            if ("http".equals(u.getScheme()) && u.getHost() != null && u.getRawQuery() == null && u.getRawFragment() == null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw error(name, "must be an http://HOST:PORT URL without query, got '" + shorten(v.asText()) + "'");
    }

    public List<String> strings(String name, List<String> defaultValue) {
        declare(name, defaultValue);
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isArray()) {
            throw error(name, "must be a list, got '" + shorten(v.asText()) + "'");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isValueNode() || v.get(i).isNull()) {
                throw new ConfigException(key(name) + "[" + i + "]", "must be a single value, got '" + shorten(v.get(i).toString()) + "'");
            }
            out.add(v.get(i).asText());
        }
        return List.copyOf(out);
    }

    public Map<String, String> stringMap(String name) {
        declare(name, "none");
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw error(name, "must be a mapping, got '" + shorten(v.asText()) + "'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : v.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ConfigException(key(name) + "." + e.getKey(), "must be a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Map.copyOf(out);
    }

    /**
     * Runs a record's own checks (cross-field ones such as close-score ≥ trip-score) and turns
     * their IllegalArgumentException into an error about this section.
     */
    public <T> T check(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /**
     * Runs a record's own check of one option (a parser the stage owns) and turns its
     * IllegalArgumentException into an error about {@code name}.
     */
    public <T> T check(String name, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            // The stage's message may start with the key itself: "trusted-proxies: 'x' is not ..."
            String last = name.substring(name.lastIndexOf('.') + 1);
            for (String prefix : List.of(key(name) + ": ", path + "." + last + ": ", last + ": ", last + " ")) {
                if (m.startsWith(prefix)) {
                    m = m.substring(prefix.length());
                    break;
                }
            }
            throw error(name, m);
        }
    }

    private void declare(String name, Object defaultValue) {
        if (declared != null) {
            declared.putIfAbsent(key(name), render(defaultValue));
        }
    }

    /** How a default reads in docs/configuration.md. */
    public static String render(Object value) {
        return switch (value) {
            case null -> "none";
            case String s when s.isEmpty() -> "none";
            case Collection<?> c when c.isEmpty() -> "none";
            case Collection<?> c -> c.stream().map(String::valueOf).toList().toString();
            case Map<?, ?> m when m.isEmpty() -> "none";
            case Double d -> fmt(d);
            default -> value.toString();
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** Keeps a value in a message one line and short. */
    static String shorten(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
    }
}
