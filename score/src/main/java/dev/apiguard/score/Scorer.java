package dev.apiguard.score;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.apiguard.metrics.InternalErrors;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Turns a {@link WindowSource} into scores, one evaluation at a time: gate, formula, hysteresis,
 * staleness. Publishes {@code api_endpoint_health_score}, {@code api_endpoint_health_penalty} and
 * {@code apiguard_scorer_*} into the given registry. {@link #scores()} is thread-safe; evaluations
 * are serialised.
 */
public final class Scorer implements ScoreSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Scorer.class.getName());
    private static final Comparator<EndpointScore> ORDER =
            Comparator.comparing(EndpointScore::service).thenComparing(EndpointScore::path);

    private record Key(String service, String path) {}

    /** What the scorer remembers per endpoint between evaluations. */
    private static final class Endpoint {
        final RouteRule rule;
        final StateTracker tracker = new StateTracker();

        Endpoint(RouteRule rule) {
            this.rule = rule;
        }
    }

    private final WindowSource source;
    private final ScoreConfig config;
    private final Clock clock;
    private final ScorerMetrics metrics;
    private final InternalErrors internalErrors;
    private final Map<Key, Endpoint> endpoints = new HashMap<>();
    private volatile List<EndpointScore> latest = List.of();
    private volatile Instant lastSuccess;
    private boolean inOutage;
    private ScheduledFuture<?> schedule;

    /**
     * @param publishTo where the score families go (the process's /metrics registry)
     */
    public Scorer(WindowSource source, ScoreConfig config, Clock clock, PrometheusRegistry publishTo) {
        this.source = source;
        this.config = config;
        this.clock = clock;
        this.metrics = new ScorerMetrics(publishTo, () -> latest);
        this.internalErrors = InternalErrors.of(publishTo);
    }

    @Override
    public List<EndpointScore> scores() {
        return latest;
    }

    public ScoreConfig config() {
        return config;
    }

    public String sourceName() {
        return source.name();
    }

    /** When the source last answered, or null if it never did. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Evaluates every {@code config.interval()} on the scheduler, starting now. */
    public synchronized ScheduledFuture<?> start(ScheduledExecutorService scheduler) {
        if (schedule != null) {
            throw new IllegalStateException("already started");
        }
        long period = config.interval().toMillis();
        schedule = scheduler.scheduleAtFixedRate(this::evaluateQuietly, 0, period, TimeUnit.MILLISECONDS);
        return schedule;
    }

    private void evaluateQuietly() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            // A bug must not end the schedule (a thrown exception would cancel it silently): the
            // previous scores stay, and the error is counted and logged.
            internalErrors.report(InternalErrors.Stage.SCORE, e);
        }
    }

    /** One evaluation. Source failures are absorbed: the last scores turn stale, then unknown. */
    public synchronized List<EndpointScore> evaluate() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        WindowSource.Reading reading;
        try {
            reading = source.read(now);
        } catch (WindowSource.SourceException e) {
            onFailure(now, e);
            metrics.evaluationSeconds.set((System.nanoTime() - started) / 1e9);
            return latest;
        }
        if (inOutage) {
            LOG.log(Level.INFO, source.name() + " source answers again; scores are fresh");
            inOutage = false;
        }
        lastSuccess = now;
        metrics.evaluations.labelValues("ok").inc();
        List<EndpointScore> next = new ArrayList<>(reading.endpoints().size());
        Map<Key, Endpoint> seen = new HashMap<>(Math.max(16, reading.endpoints().size() * 2));
        long dropped = reading.dropped();
        for (WindowStats w : reading.endpoints()) {
            Key key = new Key(w.service(), w.path());
            Endpoint endpoint = endpoints.get(key);
            if (endpoint == null) {
                if (seen.size() >= config.maxEndpoints()) {
                    dropped++;
                    continue;
                }
                endpoint = new Endpoint(config.ruleFor(w.path()));
            }
            seen.put(key, endpoint);
            next.add(score(w, endpoint, now, reading.window()));
        }
        // Endpoints the source no longer reports are forgotten, which bounds this map.
        endpoints.keySet().retainAll(seen.keySet());
        endpoints.putAll(seen);
        metrics.endpointsOverflow.inc(dropped);
        next.sort(ORDER);
        latest = List.copyOf(next);
        metrics.staleEndpoints.set(0);
        metrics.evaluationSeconds.set((System.nanoTime() - started) / 1e9);
        return latest;
    }

    private EndpointScore score(WindowStats w, Endpoint endpoint, Instant now, Duration window) {
        if (!(w.requests() >= config.minRequests())) {
            // Too little traffic to say anything: never 0, never 100.
            endpoint.tracker.reset();
            return new EndpointScore(
                    w.service(), w.path(), OptionalDouble.empty(), HealthState.UNKNOWN, false, now, Map.of(), window, w.requests());
        }
        ScoreFormula.Breakdown b = ScoreFormula.score(w, endpoint.rule, config.latencyThreshold());
        HealthState state = endpoint.tracker.update(b.score(), now, config.hysteresis(), config.dwell());
        return new EndpointScore(
                w.service(), w.path(), OptionalDouble.of(b.score()), state, false, now, b.penalties(), window, w.requests());
    }

    private void onFailure(Instant now, WindowSource.SourceException e) {
        metrics.sourceErrors.inc();
        metrics.evaluations.labelValues("source_error").inc();
        if (!inOutage) {
            inOutage = true;
            LOG.log(Level.WARNING, source.name() + " source failed; keeping the last scores, stale, for "
                    + config.staleTtl() + ": " + e.getMessage());
        }
        boolean expired = lastSuccess == null || Duration.between(lastSuccess, now).compareTo(config.staleTtl()) > 0;
        List<EndpointScore> stale = new ArrayList<>(latest.size());
        for (EndpointScore s : latest) {
            // Missing data never lowers a score: it is either kept as it was, or becomes unknown.
            stale.add(expired ? s.asUnknown(true) : s.asStale());
        }
        if (expired) {
            endpoints.values().forEach(ep -> ep.tracker.reset());
        }
        latest = List.copyOf(stale);
        metrics.staleEndpoints.set(expired ? 0 : stale.size());
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        metrics.close();
    }
}
