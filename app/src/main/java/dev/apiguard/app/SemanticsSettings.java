package dev.apiguard.app;

import java.util.function.Consumer;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.SemanticsConfigException;
import dev.apiguard.semantics.learn.BaselineLearner;
import dev.apiguard.semantics.learn.LearnedClassifier;
import dev.apiguard.semantics.learn.LearningSettings;

/** Reads the {@code semantics:} section (user rules, severity overrides, learning); empty when absent. */
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
     * The configured classifier with learned per-route baselines behind it, unless
     * {@code semantics.learning.enabled} is false.
     *
     * @param onInternalError sees each exception caught while learning or judging
     */
    static Classifier withLearning(Classifier configured, SemanticsConfig config, LearningSettings learning,
            Consumer<RuntimeException> onInternalError) {
        if (!learning.enabled()) {
            return configured;
        }
        return new LearnedClassifier(configured, new BaselineLearner(learning), LearningHooks.of(config), onInternalError);
    }
}
