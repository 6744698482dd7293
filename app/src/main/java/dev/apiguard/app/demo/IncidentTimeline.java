package dev.apiguard.app.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the demo measures about its scripted incident: when it began and ended, when the score of
 * the failing route first fell below the trip threshold, when its breaker first opened, and when
 * both recovered.
 */
public final class IncidentTimeline {
    public static final double DETECTION_SCORE = 70;
    public static final double RECOVERED_SCORE = 85;

    private final String route;
    private final Instant start;
    private final Instant end;
    private Instant detected;
    private Instant breakerOpened;
    private Instant scoreRecovered;
    private Instant breakerClosed;

    public IncidentTimeline(String route, Instant start, Instant end) {
        this.route = route;
        this.start = start;
        this.end = end;
    }

    public String route() {
        return route;
    }

    /** Feeds one observation of the failing route. */
    public synchronized void observe(Instant now, Optional<Double> score, String breakerState) {
        if (now.isBefore(start)) {
            return;
        }
        if (detected == null && score.isPresent() && score.get() < DETECTION_SCORE) {
            detected = now;
        }
        boolean open = breakerState != null && (breakerState.equals("open") || breakerState.equals("half_open"));
        if (breakerOpened == null && open) {
            breakerOpened = now;
        }
        if (now.isAfter(end)) {
            if (detected != null && scoreRecovered == null && score.isPresent() && score.get() >= RECOVERED_SCORE) {
                scoreRecovered = now;
            }
            if (breakerOpened != null && breakerClosed == null && "closed".equals(breakerState)) {
                breakerClosed = now;
            }
        }
    }

    public synchronized Optional<Duration> detectedAfter() {
        return since(detected);
    }

    public synchronized Optional<Duration> breakerOpenedAfter() {
        return since(breakerOpened);
    }

    public synchronized Optional<Duration> scoreRecoveredAfterEnd() {
        return scoreRecovered == null ? Optional.empty() : Optional.of(Duration.between(end, scoreRecovered));
    }

    public synchronized Optional<Duration> breakerClosedAfterEnd() {
        return breakerClosed == null ? Optional.empty() : Optional.of(Duration.between(end, breakerClosed));
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    private Optional<Duration> since(Instant t) {
        return t == null ? Optional.empty() : Optional.of(Duration.between(start, t));
    }
}
