package dev.apiguard.app;

import java.util.function.Consumer;

import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.learn.BaselineLearner;
import dev.apiguard.semantics.learn.LearnedClassifier;
import dev.apiguard.semantics.learn.LearningSettings;

/** The node's classifier: the {@code semantics:} section's rules, with learned baselines behind them. */
final class SemanticsSettings {
    private SemanticsSettings() {}

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
