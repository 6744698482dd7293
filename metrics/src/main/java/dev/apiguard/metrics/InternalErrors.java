package dev.apiguard.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Exceptions that a stage caught so the process keeps serving: counted in
 * {@code apiguard_internal_errors_total{stage}} and logged, never swallowed. Logging is rate
 * limited per stage: a stack trace at most once per {@link #LOG_INTERVAL}; the errors in between
 * are counted and their number is reported with the next logged one.
 *
 * <p>One instance per registry ({@link #of}), so every component publishing into a registry
 * shares the family. Thread-safe.
 */
public final class InternalErrors {
    /** At most one stack trace per stage per this interval. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    /** Where an internal error was caught: the {@code stage} label (a closed set, so the family is bounded). */
    public enum Stage {
        /** The agent's capture loop (ring-buffer callback, parser). */
        CAPTURE("capture"),
        /** The routes stage: the request falls back to {@link Pipeline#UNROUTED}. */
        ROUTE("route"),
        /** The semantics stage, including the JSON scan: the response reads as Ok. */
        CLASSIFY("classify"),
        /** The metrics stage: the exchange is not counted. */
        RECORD("record"),
        /** A pipeline listener (dashboard events, verdict log). */
        LISTENER("listener"),
        /** The gateway's Netty handlers (not peer resets, which are ordinary). */
        GATEWAY("gateway"),
        /** The scorer's evaluation loop: the previous scores stay. */
        SCORE("score");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Map<PrometheusRegistry, InternalErrors> BY_REGISTRY = new WeakHashMap<>();

    private final Counter counter;
    private final Logger logger;
    private final LongSupplier nanoTime;
    private final Map<Stage, StageLog> logs = new EnumMap<>(Stage.class);

    /** Per stage: when the last stack trace was logged, and how many errors were not logged since. */
    private static final class StageLog {
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    private InternalErrors(PrometheusRegistry registry, Logger logger, LongSupplier nanoTime) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.counter = Counter.builder()
                .name("apiguard_internal_errors_total")
                .withoutExemplars()
                .help("Exceptions caught inside apiguard so that it keeps serving, by the stage that caught them")
                .labelNames("stage")
                .register(registry);
        for (Stage stage : Stage.values()) {
            counter.initLabelValues(stage.label());
            logs.put(stage, new StageLog());
        }
    }

    /** The registry's instance, created (and its family registered) on first use. */
    public static InternalErrors of(PrometheusRegistry registry) {
        return of(registry, System.getLogger("apiguard.internal"), System::nanoTime);
    }

    /** As {@link #of(PrometheusRegistry)}; {@code logger} and {@code nanoTime} apply only if this creates it. */
    public static InternalErrors of(PrometheusRegistry registry, Logger logger, LongSupplier nanoTime) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, r -> new InternalErrors(r, logger, nanoTime));
        }
    }

    /** Counts {@code error} against {@code stage} and logs it unless the stage logged one less than {@link #LOG_INTERVAL} ago. */
    public void report(Stage stage, Throwable error) {
        counter.labelValues(stage.label()).inc();
        StageLog log = logs.get(stage);
        long now = nanoTime.getAsLong();
        long last = log.lastLogged.get();
        boolean due = last == Long.MIN_VALUE || now - last >= LOG_INTERVAL.toNanos();
        if (!due || !log.lastLogged.compareAndSet(last, now)) {
            log.suppressed.incrementAndGet();
            return;
        }
        long suppressed = log.suppressed.getAndSet(0);
        logger.log(Level.ERROR, "internal error in stage " + stage.label() + ", still serving"
                + (suppressed > 0 ? " (" + suppressed + " more since the last report, counted but not logged)" : "")
                + ": " + error, error);
    }

    /** {@link #report} bound to one stage, for stages that must not depend on this module (semantics). */
    public Consumer<RuntimeException> reporter(Stage stage) {
        return e -> report(stage, e);
    }

    /** Errors counted against {@code stage} since start. */
    public long count(Stage stage) {
        return (long) counter.labelValues(stage.label()).get();
    }
}
