package dev.apiguard.gateway;

import java.net.URI;
import java.time.Duration;
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
 * @param responseTimeout longest time without progress on a call; answers 504 (default PT30S)
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
 * @param breaker breaker options
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
        BreakerConfig breaker) {

    public static final int DEFAULT_PORT = 8081;
    public static final int DEFAULT_ADMIN_PORT = 9466;

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
        private BreakerConfig breaker = BreakerConfig.defaults();

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
        public Builder breaker(BreakerConfig v) { breaker = v; return this; }

        public GatewayConfig build() {
            return new GatewayConfig(backend, listenHost, listenPort, adminHost, adminPort, service, scoreService,
                    connectTimeout, responseTimeout, clientIdleTimeout, drainTimeout, scoreRefresh, maxRequestLine,
                    maxHeaderSize, maxBodyBytes, maxConnections, maxPoolWaiters, ioThreads, nativeTransport, breaker);
        }
    }
}
