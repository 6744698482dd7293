package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Every cut point of every corpus body, and the memory a verdict costs. */
class TruncationTest {
    private final Classifier classifier = Classifiers.builtIn();

    @Test
    void everyPrefixOfEveryCorpusBodyClassifiesWithoutThrowing() {
        int cases = 0;
        for (Corpus.Case c : Corpus.load().cases()) {
            byte[] body = c.sample().body();
            for (int cut = 0; cut <= body.length; cut++) {
                ResponseSample s = c.sample();
                Verdict v = classifier.classify(new ResponseSample(null, s.status(), s.contentType(), s.contentEncoding(),
                        Arrays.copyOf(body, cut), cut < body.length));
                assertThat(v.silent()).isEqualTo(s.status() >= 200 && s.status() < 300);
                cases++;
            }
            // The whole body gives the labelled answer; a prefix may give less, never throws.
        }
        System.out.println("truncation cases: " + cases);
        assertThat(cases).isGreaterThan(15_000);
    }

    @Test
    void allocationPerVerdictIsBounded() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        ResponseSample typical = Samples.json(200, "{\"id\":123,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\","
                + "\"status\":\"active\",\"items\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-7\",\"qty\":1}],\"total\":42.5}");
        byte[] huge = ("{\"pad\":\"" + "x".repeat(5_000_000) + "\",\"ok\":false}").getBytes();
        ResponseSample big = new ResponseSample(null, 200, "application/json", null, huge, false);
        for (int i = 0; i < 2_000; i++) {
            classifier.classify(typical); // warm up the thread's scratch and the symbol table
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000; i++) {
            classifier.classify(typical);
        }
        long perTypical = (threads.getThreadAllocatedBytes(id) - before) / 1_000;
        before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 20; i++) {
            assertThat(classifier.classify(big)).isEqualTo(new Verdict.Ok(true)); // the flag lies beyond the bound
        }
        long perHuge = (threads.getThreadAllocatedBytes(id) - before) / 20;
        System.out.printf("allocated per verdict: typical %d B, 5 MB body %d B%n", perTypical, perHuge);
        assertThat(perTypical).isLessThan(4 * 1024);
        assertThat(perHuge).isLessThan(EnvelopeClassifier.MAX_BODY * 4L);
    }
}
