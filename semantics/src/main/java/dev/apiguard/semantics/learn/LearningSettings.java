package dev.apiguard.semantics.learn;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.SemanticsConfigException;

/**
 * {@code semantics.learning}: per-route baselines learned from the traffic itself.
 *
 * @param enabled learn and judge at all
 * @param minSamples responses a route must have shown before its baseline judges anything
 * @param dominance share of a field's values the usual value must hold to be "usual"
 * @param maxRoutes routes learned at once; later routes are not learned (counted)
 * @param maxFields fields tracked per route (top level and one wrapper level)
 * @param maxValues distinct values tracked per outcome-like field
 */
public record LearningSettings(boolean enabled, int minSamples, double dominance, int maxRoutes, int maxFields,
        int maxValues) {
    public static final LearningSettings DEFAULTS = new LearningSettings(true, 50, 0.95, 500, 16, 8);
    private static final Set<String> KEYS = Set.of("enabled", "min-samples", "dominance", "max-routes", "max-fields",
            "max-values");

    /**
     * Reads the {@code learning:} mapping of the semantics section; null or missing gives the defaults.
     *
     * @throws SemanticsConfigException naming the key
     */
    public static LearningSettings fromTree(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return DEFAULTS;
        }
        if (!node.isObject()) {
            throw LearningHooks.configError("learning", "expected a mapping with " + new java.util.TreeSet<>(KEYS));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw LearningHooks.configError("learning." + key, "unknown key; expected one of "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        boolean enabled = DEFAULTS.enabled;
        JsonNode e = node.get("enabled");
        if (e != null) {
            if (!e.isBoolean()) {
                throw LearningHooks.configError("learning.enabled", "expected true or false");
            }
            enabled = e.asBoolean();
        }
        int minSamples = integer(node, "min-samples", DEFAULTS.minSamples, 1, 1_000_000);
        double dominance = DEFAULTS.dominance;
        JsonNode d = node.get("dominance");
        if (d != null) {
            if (!d.isNumber() || d.asDouble() <= 0.5 || d.asDouble() > 1.0) {
                throw LearningHooks.configError("learning.dominance", "expected a number above 0.5 and at most 1.0");
            }
            dominance = d.asDouble();
        }
        return new LearningSettings(enabled, minSamples, dominance,
                integer(node, "max-routes", DEFAULTS.maxRoutes, 1, 100_000),
                integer(node, "max-fields", DEFAULTS.maxFields, 1, 64),
                integer(node, "max-values", DEFAULTS.maxValues, 1, 64));
    }

    private static int integer(JsonNode node, String key, int fallback, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw LearningHooks.configError("learning." + key, "expected an integer from " + min + " to " + max);
        }
        return v.asInt();
    }
}
