package dev.apiguard.capture;

/**
 * How long the ring buffer's reader sleeps between two drains: as long as the ring can hold what
 * arrives meanwhile with room to spare, between {@link #MIN_NANOS} and {@link #MAX_NANOS}.
 *
 * <p>Why not a short fixed period: on this kind of paravirtualised VM each sleep and wake-up of a
 * thread costs 50–120 µs of its CPU time, so a reader that slept 10 ms between drains spent about
 * 12 ms of CPU per second on its wake-ups alone, idle or not: more than half of what it spent on
 * nginx + wrk's 20k requests/s (docs/benchmarks.md, "Session 8"). The kernel side never wakes the
 * reader (a wake-up per event would cost more, in the traced process), so the reader paces itself
 * from the rate it has just seen: at that rate the next drain finds at most {@link #FILL_DIVISOR}th of
 * the ring filled, so a burst several times the rate, or a reader waiting for a CPU, still fits.
 */
public final class PollPacer {
    /** The shortest sleep: what a ring too small for the rate still gets. */
    public static final long MIN_NANOS = 2_000_000L;
    /** The longest sleep: what an idle or quiet node gets; also how late an exchange may reach the metrics. */
    public static final long MAX_NANOS = 100_000_000L;
    /** The drain is timed for this share of the ring filled at the rate just seen. */
    public static final int FILL_DIVISOR = 8;

    private final long targetBytes;

    /** @param ringBytes the ring buffer's size */
    public PollPacer(long ringBytes) {
        if (ringBytes <= 0) {
            throw new IllegalArgumentException("ring size must be positive, got " + ringBytes);
        }
        this.targetBytes = Math.max(1, ringBytes / FILL_DIVISOR);
    }

    /**
     * The time from the last wake-up to the next.
     *
     * @param drainedBytes bytes of records consumed at the last wake-up (since the one before)
     * @param sinceWakeNanos the time between those two wake-ups
     * @param pendingBytes bytes left in the ring after the drain (the room to the target is smaller by that);
     *     when that is already the target, 0 (drain again now)
     */
    public long periodNanos(long drainedBytes, long sinceWakeNanos, long pendingBytes) {
        if (pendingBytes >= targetBytes) {
            return 0;
        }
        if (drainedBytes <= 0) {
            return MAX_NANOS;
        }
        // The time the rate just seen takes to fill the room left up to the target (in double: no overflow;
        // a clock that went back makes it 0, not negative).
        double period = (double) Math.max(0, sinceWakeNanos) * (targetBytes - pendingBytes) / drainedBytes;
        return (long) Math.max(MIN_NANOS, Math.min(MAX_NANOS, period));
    }
}
