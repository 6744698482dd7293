package dev.apiguard.app;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.SemanticsConfigException;
import dev.apiguard.semantics.learn.BaselineLearner;
import dev.apiguard.semantics.learn.LearnedClassifier;
import dev.apiguard.semantics.learn.LearningSettings;

/** Builds the classifier from the {@code semantics:} section (user rules, severity overrides, learning). */
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

    /** {@code semantics.learning}, defaults when absent. */
    static LearningSettings learning(ConfigNode root) throws ConfigException {
        ConfigNode section = root.section("semantics");
        try {
            return LearningSettings.fromTree(section.present() ? section.tree().get("learning") : null);
        } catch (SemanticsConfigException e) {
            throw new ConfigException("semantics: " + e.getMessage());
        }
    }

    /**
     * The node's classifier: the configured rules, with learned per-route baselines behind them
     * unless {@code semantics.learning.enabled} is false.
     */
    static Classifier nodeClassifier(ConfigNode root) throws ConfigException {
        Classifier configured = classifier(root);
        LearningSettings learning = learning(root);
        if (!learning.enabled()) {
            return configured;
        }
        ConfigNode section = root.section("semantics");
        SemanticsConfig config;
        try {
            config = section.present() ? SemanticsConfig.fromTree(section.tree()) : SemanticsConfig.empty();
        } catch (SemanticsConfigException e) {
            throw new ConfigException("semantics: " + e.getMessage());
        }
        return new LearnedClassifier(configured, new BaselineLearner(learning), LearningHooks.of(config));
    }
}
