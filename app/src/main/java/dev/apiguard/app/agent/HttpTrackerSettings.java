package dev.apiguard.app.agent;

import java.util.Map;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.http.HttpTrackerConfig;

/** Reads {@code agent.http} and {@code agent.services} into the reassembly options. */
final class HttpTrackerSettings {
    private HttpTrackerSettings() {}

    static HttpTrackerConfig read(ConfigNode http, Map<String, String> services, HttpTrackerConfig defaults)
            throws ConfigException {
        try {
            return defaults
                    .withMaxConnections(http.integer("max-connections", defaults.maxConnections(), 1, 1 << 22))
                    .withMaxPipelinedRequests(http.integer("max-pipelined", defaults.maxPipelinedRequests(), 1, 4096))
                    .withLostSyncTimeout(http.duration("idle-timeout", defaults.lostSyncTimeout()))
                    .withServiceNames(services);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("agent." + e.getMessage());
        }
    }
}
