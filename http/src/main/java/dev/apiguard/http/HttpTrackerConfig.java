package dev.apiguard.http;

import java.time.Duration;
import java.util.Map;

import dev.apiguard.model.Exchange;

/**
 * Options of the {@link HttpConnectionTracker}.
 *
 * @param maxConnections connections tracked at once; the least recently used one is evicted beyond
 *     it (default 65,536)
 * @param maxPipelinedRequests requests waiting for their response on one connection; the oldest is
 *     dropped beyond it (default 32)
 * @param lostSyncTimeout how long a response whose framing fell into a capture gap may stay silent
 *     before it is ended at its last seen bytes (default PT2S)
 * @param maxHeaderBytes bytes of one header section (start line included) or one chunk-size line
 *     before the stream counts as garbage (default 16 KiB)
 * @param responsePrefixBytes response body bytes kept for classification (default and maximum:
 *     {@link Exchange#RESPONSE_PREFIX_BYTES})
 * @param serviceNames renames services: a process name (comm) or a derived service name to the name
 *     to use (default: none); see {@link ServiceIdentity}
 */
public record HttpTrackerConfig(
        int maxConnections,
        int maxPipelinedRequests,
        Duration lostSyncTimeout,
        int maxHeaderBytes,
        int responsePrefixBytes,
        Map<String, String> serviceNames) {

    public static final int DEFAULT_MAX_CONNECTIONS = 65_536;
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 32;
    public static final Duration DEFAULT_LOST_SYNC_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_RESPONSE_PREFIX_BYTES = Exchange.RESPONSE_PREFIX_BYTES;

    public HttpTrackerConfig {
        requireAtLeast("http.max-connections", maxConnections, 1);
        requireAtLeast("http.max-pipelined-requests", maxPipelinedRequests, 1);
        requireAtLeast("http.max-header-bytes", maxHeaderBytes, 64);
        requireAtLeast("http.response-prefix-bytes", responsePrefixBytes, 0);
        if (responsePrefixBytes > Exchange.RESPONSE_PREFIX_BYTES) {
            throw new IllegalArgumentException("http.response-prefix-bytes must be at most " + Exchange.RESPONSE_PREFIX_BYTES
                    + ", got " + responsePrefixBytes);
        }
        if (lostSyncTimeout == null || lostSyncTimeout.isNegative() || lostSyncTimeout.isZero()) {
            throw new IllegalArgumentException("http.lost-sync-timeout must be a positive duration such as PT2S, got " + lostSyncTimeout);
        }
        serviceNames = serviceNames == null ? Map.of() : Map.copyOf(serviceNames);
    }

    public static HttpTrackerConfig defaults() {
        return new HttpTrackerConfig(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PIPELINED_REQUESTS, DEFAULT_LOST_SYNC_TIMEOUT,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_RESPONSE_PREFIX_BYTES, Map.of());
    }

    public HttpTrackerConfig withMaxConnections(int value) {
        return new HttpTrackerConfig(value, maxPipelinedRequests, lostSyncTimeout, maxHeaderBytes, responsePrefixBytes, serviceNames);
    }

    public HttpTrackerConfig withMaxPipelinedRequests(int value) {
        return new HttpTrackerConfig(maxConnections, value, lostSyncTimeout, maxHeaderBytes, responsePrefixBytes, serviceNames);
    }

    public HttpTrackerConfig withLostSyncTimeout(Duration value) {
        return new HttpTrackerConfig(maxConnections, maxPipelinedRequests, value, maxHeaderBytes, responsePrefixBytes, serviceNames);
    }

    public HttpTrackerConfig withMaxHeaderBytes(int value) {
        return new HttpTrackerConfig(maxConnections, maxPipelinedRequests, lostSyncTimeout, value, responsePrefixBytes, serviceNames);
    }

    public HttpTrackerConfig withServiceNames(Map<String, String> value) {
        return new HttpTrackerConfig(maxConnections, maxPipelinedRequests, lostSyncTimeout, maxHeaderBytes, responsePrefixBytes, value);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }
}
