package dev.apiguard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A time-based sliding window of call outcomes: {@value #BUCKETS} buckets over the window, so old
 * observations fall out in steps of a tenth of it. Not thread-safe; its breaker guards it.
 */
final class OutcomeWindow {
    static final int BUCKETS = 10;
    private static final Outcome[] KINDS = Outcome.values();

    private final long bucketMillis;
    private final long[] epochs = new long[BUCKETS];
    private final int[][] counts = new int[BUCKETS][KINDS.length];

    OutcomeWindow(Duration window) {
        bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
        reset();
    }

    void record(Instant now, Outcome outcome) {
        long epoch = now.toEpochMilli() / bucketMillis;
        int i = (int) Math.floorMod(epoch, BUCKETS);
        if (epochs[i] != epoch) {
            epochs[i] = epoch;
            Arrays.fill(counts[i], 0);
        }
        counts[i][outcome.ordinal()]++;
    }

    /** Takes back {@code n} calls recorded in the bucket of {@code epoch}, if the window still holds that bucket. */
    void remove(long epoch, Outcome outcome, int n) {
        int i = (int) Math.floorMod(epoch, BUCKETS);
        if (epochs[i] == epoch) {
            counts[i][outcome.ordinal()] = Math.max(0, counts[i][outcome.ordinal()] - n);
        }
    }

    Totals totals(Instant now) {
        long current = now.toEpochMilli() / bucketMillis;
        int[] sum = new int[KINDS.length];
        for (int i = 0; i < BUCKETS; i++) {
            if (epochs[i] > current - BUCKETS && epochs[i] <= current) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += counts[i][k];
                }
            }
        }
        return new Totals(sum);
    }

    void reset() {
        Arrays.fill(epochs, Long.MIN_VALUE);
        for (int[] c : counts) {
            Arrays.fill(c, 0);
        }
    }

    /** Calls per outcome in the window. */
    record Totals(int[] byOutcome) {
        int calls() {
            int n = 0;
            for (Outcome o : KINDS) {
                n += o == Outcome.CANCELLED ? 0 : byOutcome[o.ordinal()];
            }
            return n;
        }

        int failures() {
            int n = 0;
            for (Outcome o : KINDS) {
                n += o.failure() ? byOutcome[o.ordinal()] : 0;
            }
            return n;
        }

        /** "12/20 calls failed (business error 9, 5xx 3)". */
        String describe() {
            StringBuilder kinds = new StringBuilder();
            for (Outcome o : KINDS) {
                if (o.failure() && byOutcome[o.ordinal()] > 0) {
                    kinds.append(kinds.isEmpty() ? "" : ", ").append(o.label()).append(' ').append(byOutcome[o.ordinal()]);
                }
            }
            return failures() + "/" + calls() + " calls failed (" + kinds + ")";
        }
    }
}
