package dev.apiguard.app;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.SemanticsConfigException;

/** Builds the classifier from the {@code semantics:} section (user rules, severity overrides). */
final class SemanticsSettings {
    private SemanticsSettings() {}

    static Classifier classifier(ConfigNode root) throws ConfigException {
        ConfigNode section = root.section("semantics");
        if (!section.present()) {
            return Classifiers.builtIn();
        }
        try {
            return Classifiers.create(SemanticsConfig.fromTree(section.tree()));
        } catch (SemanticsConfigException e) {
            throw new ConfigException("semantics: " + e.getMessage());
        }
    }
}
