package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** One classifier shared by several threads gives each the same verdicts as one thread alone. */
class ConcurrencyTest {
    @Test
    void sharedClassifierIsThreadSafe() throws Exception {
        Classifier classifier = Classifiers.create(SemanticsConfig.parse(
                "rules: [{name: r, when: {pointer: /result/status, equals: DECLINED}, type: payment_failure}]"));
        List<Corpus.Case> cases = Corpus.load().cases();
        List<Verdict> expected = cases.stream().map(c -> classifier.classify(c.sample())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < cases.size(); i++) {
                            int k = (i + offset * 31 + round) % cases.size();
                            if (!classifier.classify(cases.get(k).sample()).equals(expected.get(k))) {
                                mismatches++;
                            }
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
