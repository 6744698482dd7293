package dev.apiguard.semantics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per (service, route, error type) per interval, so a flood of business errors never
 * becomes a flood of log lines. A line names the route, type, severity, whether it was silent, and
 * how many errors it stands for; it never contains body content.
 *
 * <p>The number of (service, route, type) keys tracked is bounded; errors for keys beyond the bound
 * are counted in {@link #overflowCount()} and reported in one rate-limited line of their own.
 * Thread-safe.
 */
public final class VerdictLog {
    /** Default: at most one line per key per minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Default bound on tracked keys. */
    public static final int DEFAULT_MAX_KEYS = 1000;

    private record Key(String service, String route, ErrorType type) {}

    /** Errors since the last line for one key. */
    private static final class Window {
        private Instant lastLine;
        private long pending;
    }

    private final Clock clock;
    private final Duration interval;
    private final int maxKeys;
    private final Logger logger;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong();
    private final Window overflowWindow = new Window();

    /**
     * @param clock time source for the rate limit
     * @param interval minimum time between two lines for one key
     * @param maxKeys bound on tracked (service, route, type) keys
     * @param logger where lines go
     */
    public VerdictLog(Clock clock, Duration interval, int maxKeys, Logger logger) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || maxKeys < 1) {
            throw new IllegalArgumentException("interval must not be negative and maxKeys must be positive");
        }
        this.maxKeys = maxKeys;
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /** Defaults: one line per key per minute, 1000 keys, the {@code dev.apiguard.semantics} logger. */
    public static VerdictLog create(Clock clock) {
        return new VerdictLog(clock, DEFAULT_INTERVAL, DEFAULT_MAX_KEYS, System.getLogger("dev.apiguard.semantics"));
    }

    /** Notes a verdict; logs when it is a business error and its key's interval has passed. */
    public void record(String service, String route, Verdict verdict) {
        if (!(verdict instanceof Verdict.BusinessError error)) {
            return;
        }
        Key key = new Key(service, route, error.type());
        Window window = windows.get(key);
        if (window == null) {
            if (windows.size() >= maxKeys) {
                overflow.incrementAndGet();
                emitOverflow();
                return;
            }
            window = windows.computeIfAbsent(key, k -> new Window());
        }
        String line = null;
        synchronized (window) {
            window.pending++;
            Instant now = clock.instant();
            if (window.lastLine == null || !now.isBefore(window.lastLine.plus(interval))) {
                line = "business error: service=" + service + " route=" + route + " type=" + error.type().label()
                        + " severity=" + error.severity().label() + " silent=" + error.silent()
                        + " count=" + window.pending + (window.lastLine == null ? "" : " since=" + window.lastLine);
                window.lastLine = now;
                window.pending = 0;
            }
        }
        if (line != null) {
            logger.log(error.silent() ? Level.WARNING : Level.INFO, line);
        }
    }

    /** Business errors not tracked per key because the key bound was reached. */
    public long overflowCount() {
        return overflow.get();
    }

    private void emitOverflow() {
        String line = null;
        synchronized (overflowWindow) {
            overflowWindow.pending++;
            Instant now = clock.instant();
            if (overflowWindow.lastLine == null || !now.isBefore(overflowWindow.lastLine.plus(interval))) {
                line = "business errors on more than " + maxKeys + " (service, route, type) keys; untracked count="
                        + overflowWindow.pending + " (total " + overflow.get() + ")";
                overflowWindow.lastLine = now;
                overflowWindow.pending = 0;
            }
        }
        if (line != null) {
            logger.log(Level.WARNING, line);
        }
    }
}
