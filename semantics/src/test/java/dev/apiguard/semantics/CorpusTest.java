package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** Precision and recall of the built-in rules over the labelled corpus. */
class CorpusTest {
    private final Classifier classifier = Classifiers.builtIn();
    private final Corpus corpus = Corpus.load();

    @Test
    void corpusIsLargeAndAThirdTrickyNegatives() {
        long tricky = corpus.cases().stream().filter(c -> c.tricky() && !c.businessError()).count();
        assertThat(corpus.cases()).hasSizeGreaterThanOrEqualTo(120);
        assertThat(tricky * 3).isGreaterThanOrEqualTo(corpus.cases().size());
        assertThat(corpus.cases()).allSatisfy(c -> assertThat(c.source()).isNotBlank());
        assertThat(corpus.cases().stream().map(Corpus.Case::id).distinct().count()).isEqualTo(corpus.cases().size());
    }

    @Test
    void precisionRecallAndTypeAccuracy() {
        int tp = 0, fp = 0, fn = 0, tn = 0, typed = 0, typedRight = 0, partialRight = 0, partial = 0;
        List<String> misses = new ArrayList<>();
        for (Corpus.Case c : corpus.cases()) {
            Verdict v = classifier.classify(c.sample());
            boolean error = v instanceof Verdict.BusinessError;
            if (error && c.businessError()) {
                tp++;
            } else if (error) {
                fp++;
                misses.add("false positive " + c.id() + " -> " + v.toJson());
            } else if (c.businessError()) {
                fn++;
                misses.add("false negative " + c.id() + " -> " + v.toJson());
            } else {
                tn++;
            }
            if (c.errorType() != null && error) {
                typed++;
                ErrorType got = ((Verdict.BusinessError) v).type();
                if (got == c.errorType()) {
                    typedRight++;
                } else {
                    misses.add("type " + c.id() + ": expected " + c.errorType().label() + ", got " + got.label());
                }
            }
            if (c.partialSuccess()) {
                partial++;
            }
            if (c.partialSuccess() == (v instanceof Verdict.PartialSuccess)) {
                partialRight += c.partialSuccess() ? 1 : 0;
            } else {
                misses.add("partial " + c.id() + " -> " + v.toJson());
            }
            boolean silent = c.sample().status() >= 200 && c.sample().status() < 300;
            if (v.silent() != silent) {
                misses.add("silent " + c.id() + " -> " + v.toJson());
            }
        }
        double precision = tp / (double) Math.max(1, tp + fp);
        double recall = tp / (double) Math.max(1, tp + fn);
        System.out.printf(Locale.ROOT,
                "corpus: %d cases, tp=%d fp=%d fn=%d tn=%d, precision=%.4f recall=%.4f, type accuracy %d/%d, partial %d/%d%n",
                corpus.cases().size(), tp, fp, fn, tn, precision, recall, typedRight, typed, partialRight, partial);
        misses.forEach(m -> System.out.println("  " + m));
        assertThat(precision).as("precision; misses: %s", misses).isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("recall; misses: %s", misses).isGreaterThanOrEqualTo(0.95);
        assertThat(misses).as("every labelled type, partial success and silent flag").isEmpty();
    }
}
