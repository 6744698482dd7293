package dev.apiguard.capture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
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
    private final Consumer<Throwable> forward;

    public InternalErrors(String stage) {
        this(stage, System.getLogger("apiguard." + stage), System::nanoTime, null);
    }

    /**
     * @param forward the process's shared error counter (which also logs, rate-limited): errors go
     *     there instead of this class's own log, so the process exports one counter; null to log here
     */
    public InternalErrors(String stage, Consumer<Throwable> forward) {
        this(stage, System.getLogger("apiguard." + stage), System::nanoTime, forward);
    }

    InternalErrors(String stage, System.Logger log, LongSupplier nanoClock) {
        this(stage, log, nanoClock, null);
    }

    private InternalErrors(String stage, System.Logger log, LongSupplier nanoClock, Consumer<Throwable> forward) {
        this.stage = stage;
        this.log = log;
        this.nanoClock = nanoClock;
        this.forward = forward;
        this.lastLogged = new AtomicLong(nanoClock.getAsLong() - LOG_EVERY_NANOS);
    }

    /** Counts {@code error}, and logs it with its stack trace unless one was logged in the last 10 s. */
    public void record(Throwable error) {
        count.increment();
        if (forward != null) {
            forward.accept(error);
            return;
        }
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
