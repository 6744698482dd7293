package dev.apiguard.app;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;

/** Builds the classifier from the {@code semantics:} section. */
final class SemanticsSettings {
    private SemanticsSettings() {}

    static Classifier classifier(ConfigNode root) throws ConfigException {
        return Classifiers.builtIn();
    }
}
