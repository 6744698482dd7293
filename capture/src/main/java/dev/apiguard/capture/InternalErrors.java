package dev.apiguard.capture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Exceptions of one pipeline stage that were caught so that the stage keeps running: every one is
 * counted (exported as {@code apiguard_internal_errors_total{stage}}), and at most one stack trace
 * per 10 s is logged, with the number of those not logged since the previous one.
 */
public final class InternalErrors {
    static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String stage;
    private final System.Logger log;
    private final LongSupplier nanoClock;
    private final LongAdder count = new LongAdder();
    private final AtomicLong lastLogged;
    private final AtomicLong notLogged = new AtomicLong();

    public InternalErrors(String stage) {
        this(stage, System.getLogger("apiguard." + stage), System::nanoTime);
    }

    InternalErrors(String stage, System.Logger log, LongSupplier nanoClock) {
        this.stage = stage;
        this.log = log;
        this.nanoClock = nanoClock;
        this.lastLogged = new AtomicLong(nanoClock.getAsLong() - LOG_EVERY_NANOS);
    }

    /** Counts {@code error}, and logs it with its stack trace unless one was logged in the last 10 s. */
    public void record(Throwable error) {
        count.increment();
        long now = nanoClock.getAsLong();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            long skipped = notLogged.getAndSet(0);
            log.log(System.Logger.Level.ERROR, stage + ": an event's processing failed and was skipped; the stage goes on"
                    + (skipped > 0 ? " (" + skipped + " more since the last report, not logged)" : ""), error);
        } else {
            notLogged.incrementAndGet();
        }
    }

    /** Errors recorded so far. */
    public long count() {
        return count.sum();
    }

    public String stage() {
        return stage;
    }
}
