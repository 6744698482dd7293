package dev.apiguard.score;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The health of one endpoint at one evaluation: an immutable snapshot.
 *
 * @param service service label
 * @param path route template
 * @param score 0–100, empty when the state is UNKNOWN
 * @param state band, after hysteresis
 * @param stale true when the data behind it could not be refreshed lately
 * @param evaluatedAt when the inputs were last read successfully (a stale score keeps its old time)
 * @param penalties points taken off per component (business_critical, server_error, latency …);
 *     only components that applied
 * @param window the span of traffic the score covers (shorter than configured while warming up)
 * @param requests requests seen in that window, summed over the scored sides
 */
public record EndpointScore(
        String service,
        String path,
        OptionalDouble score,
        HealthState state,
        boolean stale,
        Instant evaluatedAt,
        Map<String, Double> penalties,
        Duration window,
        double requests) {

    public EndpointScore {
        penalties = Map.copyOf(penalties);
    }

    /** The original seven-field form; window and request count unknown. */
    public EndpointScore(
            String service,
            String path,
            OptionalDouble score,
            HealthState state,
            boolean stale,
            Instant evaluatedAt,
            Map<String, Double> penalties) {
        this(service, path, score, state, stale, evaluatedAt, penalties, Duration.ZERO, 0);
    }

    /** The same score, marked stale. */
    public EndpointScore asStale() {
        return new EndpointScore(service, path, score, state, true, evaluatedAt, penalties, window, requests);
    }

    /** Unknown now: no score, no penalties; keeps identity, time and staleness. */
    public EndpointScore asUnknown(boolean stale) {
        return new EndpointScore(
                service, path, OptionalDouble.empty(), HealthState.UNKNOWN, stale, evaluatedAt, Map.of(), window, requests);
    }
}
