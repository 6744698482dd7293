package dev.apiguard.app;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.SemanticsConfigException;

/** Reads the {@code semantics:} section (user rules, severity overrides); empty when absent. */
final class SemanticsSettings {
    private SemanticsSettings() {}

    static SemanticsConfig config(ConfigNode root) throws ConfigException {
        ConfigNode section = root.section("semantics");
        if (!section.present()) {
            return SemanticsConfig.empty();
        }
        try {
            return SemanticsConfig.fromTree(section.tree());
        } catch (SemanticsConfigException e) {
            throw new ConfigException("semantics: " + e.getMessage());
        }
    }
}
