package dev.apiguard.score;

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
 * @param evaluatedAt when the inputs were read
 * @param penalties points taken off per component (business_error, server_error, latency …)
 */
public record EndpointScore(
        String service,
        String path,
        OptionalDouble score,
        HealthState state,
        boolean stale,
        Instant evaluatedAt,
        Map<String, Double> penalties) {

    public EndpointScore {
        penalties = Map.copyOf(penalties);
    }
}
