package dev.apiguard.gateway;

import java.util.Locale;

/**
 * HTTP/2 and gRPC options of the gateway.
 *
 * @param backendProtocol how the backend is spoken to: {@code http1} (default) or {@code h2c}.
 *     With h2c, clients that open with the HTTP/2 preface (prior knowledge) are proxied stream by
 *     stream over pooled HTTP/2 connections; HTTP/1.1 clients are proxied over HTTP/1.1 as before
 * @param maxConcurrentStreams streams one client connection may have open at once (default 100)
 * @param maxResetsPerSecond RST_STREAM frames one client connection may send per second; past it
 *     the connection gets GOAWAY ENHANCE_YOUR_CALM and is closed (rapid reset, default 200)
 * @param grpcBusinessCodesTrip gRPC business codes (NOT_FOUND, INVALID_ARGUMENT, ...) count as
 *     failures of the method's breaker, as silent 200s do (default true)
 */
public record Http2Config(BackendProtocol backendProtocol, int maxConcurrentStreams, int maxResetsPerSecond,
        boolean grpcBusinessCodesTrip) {

    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;
    public static final int DEFAULT_MAX_RESETS_PER_SECOND = 200;

    /** {@code backend-protocol}. */
    public enum BackendProtocol {
        HTTP1,
        H2C;

        public static BackendProtocol parse(String text) {
            return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
                case "http1", "http/1.1" -> HTTP1;
                case "h2c" -> H2C;
                default -> throw new IllegalArgumentException("backend-protocol must be http1 or h2c, got '" + text + "'");
            };
        }
    }

    public Http2Config {
        if (backendProtocol == null) {
            backendProtocol = BackendProtocol.HTTP1;
        }
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException("http2.max-concurrent-streams must be at least 1, got " + maxConcurrentStreams);
        }
        if (maxResetsPerSecond < 1) {
            throw new IllegalArgumentException("http2.max-resets-per-second must be at least 1, got " + maxResetsPerSecond);
        }
    }

    public static Http2Config defaults() {
        return new Http2Config(BackendProtocol.HTTP1, DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_RESETS_PER_SECOND, true);
    }

    public Http2Config withBackendProtocol(BackendProtocol p) {
        return new Http2Config(p, maxConcurrentStreams, maxResetsPerSecond, grpcBusinessCodesTrip);
    }

    public Http2Config withMaxConcurrentStreams(int n) {
        return new Http2Config(backendProtocol, n, maxResetsPerSecond, grpcBusinessCodesTrip);
    }

    public Http2Config withMaxResetsPerSecond(int n) {
        return new Http2Config(backendProtocol, maxConcurrentStreams, n, grpcBusinessCodesTrip);
    }

    public Http2Config withGrpcBusinessCodesTrip(boolean trip) {
        return new Http2Config(backendProtocol, maxConcurrentStreams, maxResetsPerSecond, trip);
    }
}
