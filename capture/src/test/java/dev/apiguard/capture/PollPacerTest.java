package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PollPacerTest {
    private static final long MS = 1_000_000L;
    private static final long RING = 16L << 20;

    /** At the rate just seen, the next drain finds an eighth of the ring filled. */
    @Test
    void sleepsUntilAnEighthOfTheRingWouldBeFilled() {
        PollPacer pacer = new PollPacer(RING);
        // 1 MiB in 40 ms: 2 MiB (an eighth of 16 MiB) take 80 ms.
        assertThat(pacer.periodNanos(1L << 20, 40 * MS, 0)).isEqualTo(80 * MS);
        // 4 MiB in 40 ms: 20 ms.
        assertThat(pacer.periodNanos(4L << 20, 40 * MS, 0)).isEqualTo(20 * MS);
    }

    @Test
    void anIdleRingIsDrainedAtTheLongestPeriod() {
        PollPacer pacer = new PollPacer(RING);
        assertThat(pacer.periodNanos(0, 100 * MS, 0)).isEqualTo(PollPacer.MAX_NANOS);
        assertThat(pacer.periodNanos(1000, 100 * MS, 0)).isEqualTo(PollPacer.MAX_NANOS); // a trickle
    }

    @Test
    void aRingTooSmallForTheRateGetsTheShortestPeriod() {
        PollPacer pacer = new PollPacer(4096);
        assertThat(pacer.periodNanos(1L << 20, 10 * MS, 0)).isEqualTo(PollPacer.MIN_NANOS);
    }

    /** What a drain left behind (it stops at a ring's worth) counts against the room: an eighth left is drained again at once. */
    @Test
    void aRingStillAnEighthFullIsDrainedAgainAtOnce() {
        PollPacer pacer = new PollPacer(RING);
        assertThat(pacer.periodNanos(RING, 100 * MS, RING / 8)).isZero();
        assertThat(pacer.periodNanos(RING, 100 * MS, RING / 8 - 1)).isEqualTo(PollPacer.MIN_NANOS);
        // 1 MiB in 40 ms, 1 MiB still there: the next MiB (to the eighth's 2 MiB) in 40 ms.
        assertThat(pacer.periodNanos(1L << 20, 40 * MS, 1L << 20)).isEqualTo(40 * MS);
    }

    @Test
    void aClockThatWentBackIsNoNegativePeriod() {
        assertThat(new PollPacer(RING).periodNanos(1L << 20, -5 * MS, 0)).isEqualTo(PollPacer.MIN_NANOS);
    }

    @Test
    void aRingOfNoSizeIsRefused() {
        assertThatThrownBy(() -> new PollPacer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
