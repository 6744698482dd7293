package dev.apiguard.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Everything the gateway needs to start. Build with {@link #builder(URI)}; unset options keep the
 * documented defaults.
 *
 * @param backend {@code http://host:port[/base]} requests are proxied to (required)
 * @param listenHost proxy address (default 127.0.0.1)
 * @param listenPort proxy port, 0 for any (default 8081)
 * @param adminHost admin API address (default 127.0.0.1)
 * @param adminPort admin API port, 0 for any, -1 for no admin server (default 9466)
 * @param service {@code service} label of the proxied exchanges (default the backend's host:port)
 * @param scoreService only scores of this service drive the breakers (default null: any service
 *     with the route's path)
 * @param connectTimeout upstream connect timeout; a failure answers 502 (default PT1S)
 * @param responseTimeout longest wait for the backend without backend progress (client bytes never
 *     count); answers 504 (default PT30S)
 * @param clientIdleTimeout idle keep-alive client connections are closed after this (default PT60S)
 * @param drainTimeout how long {@code close()} waits for in-flight requests (default PT10S)
 * @param scoreRefresh how often scores are read from the score source (default PT1S)
 * @param maxRequestLine longest request line; longer answers 414 (default 8192)
 * @param maxHeaderSize largest header block; larger answers 431 (default 16384)
 * @param maxBodyBytes largest request body; larger answers 413 (default 100 MiB)
 * @param maxConnections upstream connections to the backend, at most (default 512)
 * @param maxPoolWaiters requests waiting for an upstream connection, at most; more are shed with
 *     503 (default 4096)
 * @param ioThreads event-loop threads, 0 for one per core (default 0)
 * @param nativeTransport use Linux epoll when its native library loads, NIO otherwise (default true)
 * @param requestBufferBytes request body bytes held before an upstream connection is taken; a body
 *     that fits is sent whole, a larger one streams once this much has arrived (default 64 KiB)
 * @param clientHeaderTimeout longest time from a request's first byte to its complete head; 408
 *     and close on expiry (default PT10S)
 * @param clientBodyTimeout longest gap between two reads of a request body, and the window over
 *     which {@code clientBodyMinRate} is measured; 408 and close on expiry (default PT10S)
 * @param clientBodyMinRate bytes per second a body must average over each body-timeout window
 *     (or its remainder, if smaller); 0 for no minimum (default 500)
 * @param maxConnectionsPerRoute upstream connections one route may hold at once; 0 for half of
 *     max-connections (default 0)
 * @param retryIdempotent resend an idempotent bodyless request once when a reused upstream
 *     connection closes before any response byte (default true)
 * @param breaker breaker options
 * @param trustedProxies addresses and CIDR blocks whose {@code X-Forwarded-For} names the client
 *     (default none: the client is the connection's peer)
 * @param fairness per-client fairness of the breakers
 * @param pathPolicy what the gateway does with a path spelled other than canonically
 *     ({@code /api//v1/./checkout}): forward the canonical path (default) or answer 400
 * @param http2 HTTP/2 (h2c) and gRPC options ({@link Http2Config})
 */
public record GatewayConfig(
        URI backend,
        String listenHost,
        int listenPort,
        String adminHost,
        int adminPort,
        String service,
        String scoreService,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration clientIdleTimeout,
        Duration drainTimeout,
        Duration scoreRefresh,
        int maxRequestLine,
        int maxHeaderSize,
        long maxBodyBytes,
        int maxConnections,
        int maxPoolWaiters,
        int ioThreads,
        boolean nativeTransport,
        long requestBufferBytes,
        Duration clientHeaderTimeout,
        Duration clientBodyTimeout,
        long clientBodyMinRate,
        int maxConnectionsPerRoute,
        boolean retryIdempotent,
        BreakerConfig breaker,
        List<String> trustedProxies,
        FairnessConfig fairness,
        PathPolicy pathPolicy,
        Http2Config http2) {

    public static final int DEFAULT_PORT = 8081;
    public static final int DEFAULT_ADMIN_PORT = 9466;
    public static final long DEFAULT_REQUEST_BUFFER_BYTES = 64 * 1024;
    public static final Duration DEFAULT_CLIENT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLIENT_BODY_TIMEOUT = Duration.ofSeconds(10);
    public static final long DEFAULT_CLIENT_BODY_MIN_RATE = 500;
    /** 0: half of max-connections (the record holds the derived number). */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ROUTE = 0;

    /** {@code path-policy}: see docs/security.md. */
    public enum PathPolicy {
        /** Forward the canonical path ({@link dev.apiguard.routes.CanonicalPath}), the query as sent. */
        NORMALIZE,
        /** Answer 400 to any path whose canonical form differs from the one sent. */
        REFUSE;

        public static PathPolicy parse(String text) {
            return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
                case "normalize" -> NORMALIZE;
                case "refuse" -> REFUSE;
                default -> throw new IllegalArgumentException("path-policy must be normalize or refuse, got '" + text + "'");
            };
        }
    }

    /**
     * Every option at its default, declared once (in {@link Builder}); the config binder and the
     * help texts read defaults from here. The backend has no default: this one is a placeholder.
     */
    public static final GatewayConfig DEFAULTS = builder(URI.create("http://127.0.0.1:8080")).build();

    public GatewayConfig {
        if (backend == null || !"http".equals(backend.getScheme()) || backend.getHost() == null) {
            throw new IllegalArgumentException("backend must be an http://host:port URL, got '" + backend + "'");
        }
        if (backend.getRawQuery() != null || backend.getRawFragment() != null) {
            throw new IllegalArgumentException("backend URL must not have a query or fragment: '" + backend + "'");
        }
        checkPort(listenPort, "listen", false);
        checkPort(adminPort, "admin-listen", true);
        positive(connectTimeout, "connect-timeout");
        positive(responseTimeout, "response-timeout");
        positive(clientIdleTimeout, "client-idle-timeout");
        positive(drainTimeout, "drain-timeout");
        positive(scoreRefresh, "score-refresh");
        atLeast(maxRequestLine, 64, "max-request-line");
        atLeast(maxHeaderSize, 256, "max-header-size");
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("max-body-bytes must not be negative, got " + maxBodyBytes);
        }
        atLeast(maxConnections, 1, "max-connections");
        atLeast(maxPoolWaiters, 0, "max-pool-waiters");
        atLeast(ioThreads, 0, "io-threads");
        atLeast(requestBufferBytes, 0, "request-buffer-bytes");
        positive(clientHeaderTimeout, "client-header-timeout");
        positive(clientBodyTimeout, "client-body-timeout");
        atLeast(clientBodyMinRate, 0, "client-body-min-rate");
        atLeast(maxConnectionsPerRoute, 0, "max-connections-per-route");
        if (maxConnectionsPerRoute == 0) {
            maxConnectionsPerRoute = Math.max(1, (maxConnections + 1) / 2);
        }
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        TrustedProxies.parse(trustedProxies); // a one-line error for a bad entry
        if (fairness == null) {
            fairness = FairnessConfig.defaults();
        }
        if (pathPolicy == null) {
            pathPolicy = PathPolicy.NORMALIZE;
        }
        if (http2 == null) {
            http2 = Http2Config.defaults();
        }
        if (service == null || service.isBlank()) {
            service = backendAuthority(backend);
        }
    }

    /** host:port of the backend, with the scheme's default port when the URL has none. */
    public static String backendAuthority(URI backend) {
        return backend.getHost().toLowerCase(Locale.ROOT) + ":" + backendPort(backend);
    }

    static int backendPort(URI backend) {
        return backend.getPort() < 0 ? 80 : backend.getPort();
    }

    /** The backend URL's path without a trailing slash ("" for none): prefixed to every request. */
    String backendBasePath() {
        String p = backend.getRawPath() == null ? "" : backend.getRawPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static void checkPort(int port, String name, boolean allowNone) {
        if (port < (allowNone ? -1 : 0) || port > 65535) {
            throw new IllegalArgumentException(name + " port must be within 0..65535, got " + port);
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    private static void atLeast(long v, long min, String name) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + v);
        }
    }

    public static Builder builder(URI backend) {
        return new Builder(backend);
    }

    /** Fluent builder. */
    public static final class Builder {
        private URI backend;
        private String listenHost = "127.0.0.1";
        private int listenPort = DEFAULT_PORT;
        private String adminHost = "127.0.0.1";
        private int adminPort = DEFAULT_ADMIN_PORT;
        private String service;
        private String scoreService;
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration responseTimeout = Duration.ofSeconds(30);
        private Duration clientIdleTimeout = Duration.ofSeconds(60);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private Duration scoreRefresh = Duration.ofSeconds(1);
        private int maxRequestLine = 8192;
        private int maxHeaderSize = 16384;
        private long maxBodyBytes = 100L << 20;
        private int maxConnections = 512;
        private int maxPoolWaiters = 4096;
        private int ioThreads;
        private boolean nativeTransport = true;
        private long requestBufferBytes = DEFAULT_REQUEST_BUFFER_BYTES;
        private Duration clientHeaderTimeout = DEFAULT_CLIENT_HEADER_TIMEOUT;
        private Duration clientBodyTimeout = DEFAULT_CLIENT_BODY_TIMEOUT;
        private long clientBodyMinRate = DEFAULT_CLIENT_BODY_MIN_RATE;
        private int maxConnectionsPerRoute = DEFAULT_MAX_CONNECTIONS_PER_ROUTE;
        private boolean retryIdempotent = true;
        private BreakerConfig breaker = BreakerConfig.defaults();
        private List<String> trustedProxies = List.of();
        private FairnessConfig fairness = FairnessConfig.defaults();
        private PathPolicy pathPolicy = PathPolicy.NORMALIZE;
        private Http2Config http2 = Http2Config.defaults();

        private Builder(URI backend) {
            this.backend = backend;
        }

        public Builder backend(URI v) { backend = v; return this; }
        public Builder listen(String host, int port) { listenHost = host; listenPort = port; return this; }
        public Builder admin(String host, int port) { adminHost = host; adminPort = port; return this; }
        public Builder noAdmin() { adminPort = -1; return this; }
        public Builder service(String v) { service = v; return this; }
        public Builder scoreService(String v) { scoreService = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder responseTimeout(Duration v) { responseTimeout = v; return this; }
        public Builder clientIdleTimeout(Duration v) { clientIdleTimeout = v; return this; }
        public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }
        public Builder scoreRefresh(Duration v) { scoreRefresh = v; return this; }
        public Builder maxRequestLine(int v) { maxRequestLine = v; return this; }
        public Builder maxHeaderSize(int v) { maxHeaderSize = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxPoolWaiters(int v) { maxPoolWaiters = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder nativeTransport(boolean v) { nativeTransport = v; return this; }
        public Builder requestBufferBytes(long v) { requestBufferBytes = v; return this; }
        public Builder clientHeaderTimeout(Duration v) { clientHeaderTimeout = v; return this; }
        public Builder clientBodyTimeout(Duration v) { clientBodyTimeout = v; return this; }
        public Builder clientBodyMinRate(long v) { clientBodyMinRate = v; return this; }
        public Builder maxConnectionsPerRoute(int v) { maxConnectionsPerRoute = v; return this; }
        public Builder retryIdempotent(boolean v) { retryIdempotent = v; return this; }
        public Builder breaker(BreakerConfig v) { breaker = v; return this; }
        public Builder trustedProxies(List<String> v) { trustedProxies = v; return this; }
        public Builder fairness(FairnessConfig v) { fairness = v; return this; }
        public Builder pathPolicy(PathPolicy v) { pathPolicy = v; return this; }
        public Builder http2(Http2Config v) { http2 = v; return this; }

        public GatewayConfig build() {
            return new GatewayConfig(backend, listenHost, listenPort, adminHost, adminPort, service, scoreService,
                    connectTimeout, responseTimeout, clientIdleTimeout, drainTimeout, scoreRefresh, maxRequestLine,
                    maxHeaderSize, maxBodyBytes, maxConnections, maxPoolWaiters, ioThreads, nativeTransport,
                    requestBufferBytes, clientHeaderTimeout, clientBodyTimeout, clientBodyMinRate,
                    maxConnectionsPerRoute, retryIdempotent, breaker, trustedProxies, fairness,
                    pathPolicy, http2);
        }
    }
}
