package dev.apiguard.score;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scores polled from another scorer's {@code /api/v1/scores} (the gateway's {@code --scores URL}).
 * Fails open: while the scorer cannot be reached the last scores are returned marked stale, for the
 * TTL, and then none at all, which trips nothing.
 */
public final class RemoteScoreSource implements ScoreSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RemoteScoreSource.class.getName());
    private static final int MAX_BYTES = 32 << 20;

    private final URI url;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration ttl;
    private final Clock clock;
    private volatile List<EndpointScore> last = List.of();
    private volatile Instant lastSuccess;
    private volatile boolean failing;
    private ScheduledFuture<?> schedule;

    /**
     * @param url a scorer's base URL ({@code http://127.0.0.1:9465}) or its full {@code /api/v1/scores} URL
     * @param ttl how long the last scores outlive the scorer's silence (e.g. PT2M)
     */
    private ScheduledExecutorService ownScheduler;

    public RemoteScoreSource(URI url, HttpClient http, Duration timeout, Duration ttl, Clock clock) {
        WindowSources.checkHttpUrl(url, "scores URL");
        String path = url.getPath() == null ? "" : url.getPath();
        this.url = path.endsWith("/api/v1/scores") ? url
                : url.resolve((path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/api/v1/scores");
        this.http = http;
        this.timeout = timeout;
        this.ttl = ttl;
        this.clock = clock;
    }

    public URI url() {
        return url;
    }

    /**
     * A source polling on its own daemon thread every {@code interval}; {@link #close} stops it.
     *
     * @param ttl how long the last scores outlive the scorer's silence
     */
    public static RemoteScoreSource start(URI url, Duration interval, Duration timeout, Duration ttl, Clock clock) {
        RemoteScoreSource source = new RemoteScoreSource(url, HttpClient.newBuilder().connectTimeout(timeout).build(),
                timeout, ttl, clock);
        ScheduledExecutorService own = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("apiguard-scores-poller").daemon(true).factory());
        source.ownScheduler = own;
        source.start(own, interval);
        return source;
    }

    /** Polls every {@code interval}, first poll now. */
    public synchronized void start(ScheduledExecutorService scheduler, Duration interval) {
        schedule = scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "polling " + url + " failed: " + e, e);
        }
    }

    /** One poll; true when fresh scores arrived. */
    public boolean poll() {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(url).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return failed("HTTP " + response.statusCode());
            }
            if (response.body().length > MAX_BYTES) {
                return failed("answer too large");
            }
            last = ScoresJson.parse(response.body());
            lastSuccess = clock.instant();
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "scores from " + url + " are fresh again");
            }
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    private boolean failed(String why) {
        if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, "cannot read scores from " + url + " (" + why + "); keeping the last ones, stale, for " + ttl);
        }
        return false;
    }

    @Override
    public List<EndpointScore> scores() {
        Instant success = lastSuccess;
        if (success == null || Duration.between(success, clock.instant()).compareTo(ttl) > 0) {
            return List.of();
        }
        if (!failing) {
            return last;
        }
        return last.stream().map(EndpointScore::asStale).toList();
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }
}
