package dev.apiguard.semantics.learn;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.Verdict;

/**
 * The configured classifier (user rules, then built-in rules) with a learned baseline behind it:
 * for a 2xx JSON-object answer the configured rules call Ok, the route's baseline may still call it
 * a business error (see {@link BaselineLearner}). Everything else passes through unchanged.
 */
public final class LearnedClassifier implements Classifier {
    private static final System.Logger LOG = System.getLogger("apiguard.semantics.learn");

    private final Classifier configured;
    private final BaselineLearner learner;
    private final LearningHooks hooks;
    private final LongAdder internalErrors = new LongAdder();
    private final Consumer<RuntimeException> onInternalError;

    public LearnedClassifier(Classifier configured, BaselineLearner learner, LearningHooks hooks) {
        this(configured, learner, hooks, e -> { });
    }

    /** @param onInternalError sees each exception caught while learning or judging (counted, logged there) */
    public LearnedClassifier(Classifier configured, BaselineLearner learner, LearningHooks hooks,
            Consumer<RuntimeException> onInternalError) {
        this.configured = configured;
        this.learner = learner;
        this.hooks = hooks;
        this.onInternalError = onInternalError;
    }

    public BaselineLearner learner() {
        return learner;
    }

    /** Exceptions caught while learning or judging (the configured verdict stood). */
    public long internalErrors() {
        return internalErrors.sum();
    }

    @Override
    public Verdict classify(ResponseSample response) {
        Verdict verdict = configured.classify(response);
        if (response == null || response.route() == null || response.status() < 200 || response.status() >= 300
                || !json(response.contentType()) || response.body() == null || response.body().length == 0) {
            return verdict;
        }
        try {
            byte[] text = OutcomeScan.decode(response.body(), response.contentEncoding());
            OutcomeScan.Observed observed = text == null ? null : OutcomeScan.scan(text);
            if (observed == null) {
                return verdict;
            }
            BaselineLearner.Departure departure =
                    learner.observe(response.route(), observed, !(verdict instanceof Verdict.Ok));
            if (departure == null) {
                return verdict;
            }
            if (hooks.allows(response)) {
                learner.allowed(response.route(), observed, departure);
                return verdict;
            }
            return new Verdict.BusinessError(departure.type(), hooks.severity(response.route(), departure.type()), true,
                    Verdict.Family.LEARNED, false);
        } catch (RuntimeException e) {
            internalErrors.increment();
            LOG.log(System.Logger.Level.WARNING, "baseline learning failed, the configured verdict stands: " + e);
            onInternalError.accept(e);
            return verdict;
        }
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String base = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.equals("text/json") || base.endsWith("+json");
    }
}
