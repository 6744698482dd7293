package dev.apiguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FuzzTest {
    @Test
    void runsEveryCaseOnceAndCountsThem() {
        List<Integer> seen = new ArrayList<>();
        int ran = new Fuzz("count", 50, 7).forAll(r -> r.nextInt(1000), seen::add);
        assertThat(ran).isEqualTo(50);
        assertThat(seen).hasSize(50);
    }

    @Test
    void sameSeedSameInputsOtherSeedOtherInputs() {
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        List<Long> c = new ArrayList<>();
        new Fuzz("a", 20, 42).forAll(SplittableRandom::nextLong, a::add);
        new Fuzz("b", 20, 42).forAll(SplittableRandom::nextLong, b::add);
        new Fuzz("c", 20, 43).forAll(SplittableRandom::nextLong, c::add);
        assertThat(a).isEqualTo(b).doesNotContainAnyElementsOf(c);
        assertThat(a).doesNotHaveDuplicates();
    }

    @Test
    void caseInputsDependOnSeedAndIndexOnly() {
        // Case 13 of a 20-case run is case 13 of a 100-case run: what makes single-case reruns work.
        List<Long> small = new ArrayList<>();
        List<Long> large = new ArrayList<>();
        new Fuzz("small", 20, 5).forAll(SplittableRandom::nextLong, small::add);
        new Fuzz("large", 100, 5).forAll(SplittableRandom::nextLong, large::add);
        assertThat(large.subList(0, 20)).isEqualTo(small);
        assertThat(small.get(13)).isEqualTo(new SplittableRandom(Fuzz.caseSeed(5, 13)).nextLong());
    }

    @Test
    void failureNamesTheRunSeedCaseAndInput() {
        Fuzz fuzz = new Fuzz("odd numbers", 100, 0xABCL);
        assertThatThrownBy(() -> fuzz.forAll(r -> 10 + r.nextInt(5) * 2 + (r.nextInt(4) == 0 ? 1 : 0), n -> "n=" + n,
                        n -> {
                            if (n % 2 == 1) {
                                throw new IllegalStateException("odd: " + n);
                            }
                        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("fuzz odd numbers failed at case ")
                .hasMessageContaining(" of 100 (seed 0xabc; rerun with -Dapiguard.fuzz.seed=0xabc -Dapiguard.fuzz.case=")
                .hasMessageContaining("java.lang.IllegalStateException: odd: ")
                .hasMessageMatching("(?s).*input: n=(11|13|15|17|19)$")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFirstFailingCaseIsReported() {
        List<Integer> inputs = new ArrayList<>();
        new Fuzz("inputs", 30, 9).forAll(r -> r.nextInt(100), inputs::add);
        int firstOver = -1;
        for (int i = 0; i < inputs.size() && firstOver < 0; i++) {
            firstOver = inputs.get(i) >= 50 ? i : -1;
        }
        assertThat(firstOver).isNotNegative();
        int expected = firstOver;
        assertThatThrownBy(() -> new Fuzz("inputs", 30, 9).forAll(r -> r.nextInt(100), n -> assertThat(n).isLessThan(50)))
                .hasMessageContaining("failed at case " + expected + " of 30")
                .hasMessageEndingWith("input: " + inputs.get(expected));
    }

    @Test
    void seedPropertyParsesDecimalHexAndRandom() {
        assertThat(Fuzz.seedFrom(null, 17)).isEqualTo(17);
        assertThat(Fuzz.seedFrom(" ", 17)).isEqualTo(17);
        assertThat(Fuzz.seedFrom("-5", 17)).isEqualTo(-5);
        assertThat(Fuzz.seedFrom("0xFF", 17)).isEqualTo(255);
        assertThat(Fuzz.seedFrom("0xffffffffffffffff", 17)).isEqualTo(-1);
        assertThat(Fuzz.seedFrom("random", 17)).isNotEqualTo(Fuzz.seedFrom("random", 17));
        assertThatThrownBy(() -> Fuzz.seedFrom("soon", 17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiguard.fuzz.seed must be a number, 0x-hex or 'random', got 'soon'");
        assertThatThrownBy(() -> new Fuzz("none", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intBetweenStaysInRangeAndHitsBothEnds() {
        SplittableRandom r = new SplittableRandom(3);
        int[] counts = new int[11];
        for (int i = 0; i < 20_000; i++) {
            counts[Fuzz.intBetween(r, 100, 110) - 100]++;
        }
        // uniform share 1/11 each, plus the edge draws (1/16 of draws, 2/5 of them at the ends)
        assertThat(counts[0]).isGreaterThan(counts[5]);
        assertThat(counts[10]).isGreaterThan(counts[5]);
        assertThat(Fuzz.intBetween(r, 4, 4)).isEqualTo(4);
        for (int i = 0; i < 1_000; i++) {
            assertThat(Fuzz.intBetween(r, Integer.MIN_VALUE, Integer.MAX_VALUE)).isBetween(Integer.MIN_VALUE, Integer.MAX_VALUE);
            assertThat(Fuzz.intBetween(r, -3, 2)).isBetween(-3, 2);
        }
    }

    @Test
    void weightedFollowsTheWeights() {
        SplittableRandom r = new SplittableRandom(11);
        int[] counts = new int[3];
        for (int i = 0; i < 10_000; i++) {
            counts[Fuzz.weighted(r, 1, 0, 9)]++;
        }
        assertThat(counts[1]).isZero();
        assertThat(counts[0]).isBetween(800, 1200);
        assertThat(counts[2]).isBetween(8800, 9200);
    }

    @Test
    void stringsStayWithinTheirLength() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 500; i++) {
            assertThat(Fuzz.string(r, 40).length()).isBetween(0, 40);
        }
    }

    @Test
    void showMakesBytesAndStringsReadable() {
        assertThat(Fuzz.show(new byte[] {'{', '"', 'a', '"', '\r', '\n', 0, (byte) 0xFF, '\\'}))
                .isEqualTo("9 bytes \"{\\\"a\\\"\\r\\n\\x00\\xff\\\\\"");
        assertThat(Fuzz.show(new byte[2000])).startsWith("2000 bytes \"\\x00").endsWith("\\x00\"...")
                .hasSize("2000 bytes \"".length() + 4 * 1024 + "\"...".length());
        assertThat(Fuzz.show((byte[]) null)).isEqualTo("null");
        assertThat(Fuzz.show("a\"\u0000\u00e9")).isEqualTo("\"a\\\"\\u0000\\u00e9\"");
        assertThat(Fuzz.show((String) null)).isEqualTo("null");
    }
}
