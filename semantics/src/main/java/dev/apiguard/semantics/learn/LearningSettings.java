package dev.apiguard.semantics.learn;

import java.util.List;

import dev.apiguard.config.ConfigNode;

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
    private static final List<String> KEYS = List.of("enabled", "min-samples", "dominance", "max-routes", "max-fields",
            "max-values");

    /**
     * Binds the {@code learning:} mapping of the semantics section through the one config loader; absent
     * keys keep {@link #DEFAULTS}.
     *
     * @throws dev.apiguard.config.ConfigException naming the key path ({@code semantics.learning.dominance})
     */
    public static LearningSettings bind(ConfigNode node) {
        node.allowOnly(KEYS);
        boolean enabled = node.bool("enabled", DEFAULTS.enabled);
        int minSamples = node.integer("min-samples", DEFAULTS.minSamples, 1, 1_000_000);
        double dominance = node.number("dominance", DEFAULTS.dominance, 0.5, 1.0);
        if (dominance <= 0.5) {
            throw node.error("dominance", "must be a number above 0.5 and at most 1.0, got '" + node.value().get("dominance").asText() + "'");
        }
        return new LearningSettings(enabled, minSamples, dominance,
                node.integer("max-routes", DEFAULTS.maxRoutes, 1, 100_000),
                node.integer("max-fields", DEFAULTS.maxFields, 1, 64),
                node.integer("max-values", DEFAULTS.maxValues, 1, 64));
    }
}
