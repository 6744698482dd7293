package dev.apiguard.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.apiguard.app.cli.Args;

/**
 * A section of the YAML config with its dotted path, so that every error names the key
 * ({@code agent.capture.ring-buffer-bytes: must be ...}). Unknown keys are errors, not ignored.
 */
public final class ConfigNode {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String path;
    private final JsonNode node;

    private ConfigNode(String path, JsonNode node) {
        this.path = path;
        this.node = node;
    }

    public static ConfigNode empty() {
        return new ConfigNode("", MissingNode.getInstance());
    }

    /** Reads a YAML file; a missing or malformed file is a ConfigException naming it. */
    public static ConfigNode load(Path file) throws ConfigException {
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not readable");
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                return empty();
            }
            if (!root.isObject()) {
                throw new ConfigException("config file " + file + ": the top level must be a mapping of sections");
            }
            return new ConfigNode("", root);
        } catch (JacksonException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": " + e.getMessage());
        }
    }

    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    /** The raw Jackson tree of this section, for stages that parse their own section. */
    public JsonNode tree() {
        return node;
    }

    public String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    private String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Fails on any key not in {@code known}. */
    public ConfigNode allowOnly(Set<String> known) throws ConfigException {
        if (!present()) {
            return this;
        }
        if (!node.isObject()) {
            throw new ConfigException(path() + ": must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new ConfigException("unknown config key " + key(name) + " (known here: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    public ConfigNode section(String name) throws ConfigException {
        JsonNode child = node.path(name);
        if (!child.isMissingNode() && !child.isNull() && !child.isObject()) {
            throw new ConfigException(key(name) + ": must be a mapping");
        }
        return new ConfigNode(key(name), child);
    }

    public String string(String name, String defaultValue) throws ConfigException {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isValueNode()) {
            throw new ConfigException(key(name) + ": must be a single value");
        }
        return v.asText();
    }

    public int integer(String name, int defaultValue, int min, int max) throws ConfigException {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ConfigException(key(name) + ": must be a whole number, got '" + v.asText() + "'");
        }
        int i = v.asInt();
        if (i < min || i > max) {
            throw new ConfigException(key(name) + ": must be between " + min + " and " + max + ", got " + i);
        }
        return i;
    }

    public double number(String name, double defaultValue, double min, double max) throws ConfigException {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw new ConfigException(key(name) + ": must be a number, got '" + v.asText() + "'");
        }
        double d = v.asDouble();
        if (d < min || d > max) {
            throw new ConfigException(key(name) + ": must be between " + min + " and " + max + ", got " + d);
        }
        return d;
    }

    public boolean bool(String name, boolean defaultValue) throws ConfigException {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(key(name) + ": must be true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    /** ISO-8601 ({@code PT30S}); 30s, 5m and 250ms are accepted too. */
    public Duration duration(String name, Duration defaultValue) throws ConfigException {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            Duration d = Args.Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException(key(name) + ": must be a positive duration, got '" + text + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key(name) + ": " + e.getMessage());
        }
    }

    public List<String> strings(String name) throws ConfigException {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ConfigException(key(name) + ": must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode()) {
                throw new ConfigException(key(name) + ": every item must be a single value");
            }
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    public Map<String, String> stringMap(String name) throws ConfigException {
        JsonNode v = node.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new ConfigException(key(name) + ": must be a mapping");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new ConfigException(key(name) + "." + e.getKey() + ": must be a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Map.copyOf(out);
    }
}
