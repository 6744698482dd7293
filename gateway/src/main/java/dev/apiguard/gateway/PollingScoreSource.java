package dev.apiguard.gateway;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.HealthState;
import dev.apiguard.score.ScoreSource;

/**
 * Interim remote score source for {@code ./apiguard gateway --scores URL}: polls a scorer's
 * {@code /api/v1/scores} JSON until the score stage's own client replaces it. Accepts a top-level
 * array or an object with a {@code scores} array of {service, path, score, state, stale,
 * evaluated_at}. When a poll fails, the last scores are served marked stale, so they never trip a
 * breaker (fail open); the failure is logged once per outage.
 */
public final class PollingScoreSource implements ScoreSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PollingScoreSource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ENTRIES = 100_000;

    private final URI url;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private volatile List<EndpointScore> latest = List.of();
    private boolean failing;

    private PollingScoreSource(URI url, Duration timeout, Clock clock) {
        this.url = url;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apiguard-score-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling {@code url} every {@code interval}, each poll bounded by {@code timeout}. */
    public static PollingScoreSource start(URI url, Duration interval, Duration timeout, Clock clock) {
        PollingScoreSource source = new PollingScoreSource(url, timeout, clock);
        source.timer.scheduleWithFixedDelay(source::poll, 0, Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
        return source;
    }

    @Override
    public List<EndpointScore> scores() {
        return latest;
    }

    void poll() {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            latest = parse(JSON.readTree(response.body()), clock.instant());
            if (failing) {
                LOG.log(Level.INFO, "scores from {0} are back", url);
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            markStale(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markStale(Exception e) {
        if (!failing) {
            LOG.log(Level.WARNING, "cannot read scores from {0} ({1}); breakers ignore scores until it answers"
                    + " (fail open)", url, e.getMessage() == null ? e.toString() : e.getMessage());
            failing = true;
        }
        List<EndpointScore> stale = new ArrayList<>();
        for (EndpointScore s : latest) {
            stale.add(new EndpointScore(s.service(), s.path(), s.score(), s.state(), true, s.evaluatedAt(), s.penalties()));
        }
        latest = List.copyOf(stale);
    }

    static List<EndpointScore> parse(JsonNode root, Instant now) {
        JsonNode array = root.isArray() ? root : root.path("scores");
        if (!array.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of scores or {\"scores\": [...]}");
        }
        List<EndpointScore> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (out.size() >= MAX_ENTRIES) {
                break;
            }
            String path = n.path("path").asText(n.path("route").asText(null));
            if (path == null) {
                continue;
            }
            JsonNode score = n.path("score");
            OptionalDouble value = score.isNumber() ? OptionalDouble.of(score.asDouble()) : OptionalDouble.empty();
            HealthState state;
            try {
                state = HealthState.valueOf(n.path("state").asText("UNKNOWN").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                state = HealthState.UNKNOWN;
            }
            Instant at = now;
            String when = n.path("evaluated_at").asText(n.path("evaluatedAt").asText(null));
            if (when != null) {
                try {
                    at = Instant.parse(when);
                } catch (DateTimeParseException e) {
                    at = now;
                }
            }
            out.add(new EndpointScore(n.path("service").asText(""), path, value, state, n.path("stale").asBoolean(false),
                    at, Map.of()));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
