package dev.apiguard.gateway;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import dev.apiguard.metrics.AdminAuth;
import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminToken;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.routes.CanonicalPath;
import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.ScoreSource;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A running gateway: an HTTP/1.1 reverse proxy to one backend with a circuit breaker per route,
 * and its admin API. With {@code backend-protocol: h2c} it also takes HTTP/2 with prior knowledge on
 * the same port ({@link PrefaceSniffer}) and proxies each stream to the backend over HTTP/2
 * ({@link H2StreamProxy}), gRPC included. {@link #close()} stops accepting, drains in-flight requests (bounded by the
 * drain timeout) and frees everything.
 */
public final class Gateway implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final EventLoopGroup group;
    private final Channel server;
    private final ChannelGroup clients;
    private final ProxyContext px;
    private final BreakerRegistry breakers;
    private final AdminHttpServer admin;
    private final AdminAuth adminAuth;
    private final ScheduledExecutorService scoreFeed;
    private volatile boolean closed;

    private Gateway(GatewayConfig config, EventLoopGroup group, Channel server, ChannelGroup clients, ProxyContext px,
            BreakerRegistry breakers, AdminHttpServer admin, AdminAuth adminAuth, ScheduledExecutorService scoreFeed) {
        this.config = config;
        this.group = group;
        this.server = server;
        this.clients = clients;
        this.px = px;
        this.breakers = breakers;
        this.admin = admin;
        this.adminAuth = adminAuth;
        this.scoreFeed = scoreFeed;
    }

    /**
     * Starts the proxy (and the admin API unless disabled).
     *
     * @param pipeline routes each request before it is proxied (the breaker's key), then classifies the
     *     response prefix and records the exchange ({@code side="gateway"}) like the agent's; breaker
     *     metrics go to its metrics' registry
     * @param scores health scores; an empty list never trips anything
     * @throws IOException with one line naming the address when a port cannot be bound
     */
    public static Gateway start(GatewayConfig config, Pipeline pipeline, ScoreSource scores, Clock clock)
            throws IOException {
        return start(config, pipeline, scores, clock, AdminToken.ephemeral(), List.of());
    }

    /**
     * As above, with the token the admin API's state-changing calls require.
     *
     * @param allowedHosts host names (or host:port) clients may reach the admin API under besides its
     *     listen address; any other Host or Origin gets 403
     */
    public static Gateway start(GatewayConfig config, Pipeline pipeline, ScoreSource scores, Clock clock,
            AdminToken adminToken, List<String> allowedHosts) throws IOException {
        return start(config, pipeline, scores, clock, new Random(), adminToken, allowedHosts);
    }

    static Gateway start(GatewayConfig config, Pipeline pipeline, ScoreSource scores, Clock clock,
            RandomGenerator random) throws IOException {
        return start(config, pipeline, scores, clock, random, AdminToken.ephemeral(), List.of());
    }

    static Gateway start(GatewayConfig config, Pipeline pipeline, ScoreSource scores, Clock clock,
            RandomGenerator random, AdminToken adminToken, List<String> allowedHosts) throws IOException {
        InetSocketAddress backend = new InetSocketAddress(config.backend().getHost(), GatewayConfig.backendPort(config.backend()));
        if (backend.isUnresolved()) {
            throw new IOException("cannot resolve the backend host '" + config.backend().getHost() + "'");
        }
        PrometheusRegistry registry = pipeline.metrics().registry();
        GatewayMetrics gm = new GatewayMetrics(registry);
        BreakerRegistry breakers = new BreakerRegistry(config.breaker(), config.fairness(), clock, random, gm,
                route -> !pipeline.routes().hasRoomFor(config.service(), route));
        AdminAuth adminAuth = new AdminAuth(adminToken);
        int loops = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        Transport transport = Transport.choose(config.nativeTransport());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, transport.factory());
        ChannelGroup clients = new DefaultChannelGroup("apiguard-gateway-clients", GlobalEventExecutor.INSTANCE);
        Channel server = null;
        AdminHttpServer admin = null;
        try {
            HttpDecoderConfig upstreamDecoder = new HttpDecoderConfig()
                    .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024).setMaxChunkSize(64 * 1024);
            Bootstrap upstream = new Bootstrap()
                    .group(group)
                    .channel(transport.client())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // Plain responses are read as bytes by the scanner; the decoder reads the rest.
                            RawResponseScanner scanner = new RawResponseScanner(
                                    upstreamDecoder.getMaxInitialLineLength() + upstreamDecoder.getMaxHeaderSize());
                            ch.pipeline().addLast(scanner, new UpstreamResponseDecoder(upstreamDecoder, scanner),
                                    new HttpRequestEncoder(), new UpstreamHandler(pipeline.internalErrors(), scanner));
                        }
                    });
            ProxyContext px = new ProxyContext(config, breakers, gm, pipeline, backend, upstream, loops);
            boolean h2c = config.http2().backendProtocol() == Http2Config.BackendProtocol.H2C;
            if (h2c) {
                px.h2Upstream = upstream.clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                                                .maxHeaderListSize(64 * 1024))
                                        .build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new H2UpstreamPool.GoAwayWatcher());
                    }
                });
            }
            HttpDecoderConfig clientDecoder = new HttpDecoderConfig()
                    .setMaxInitialLineLength(config.maxRequestLine())
                    .setMaxHeaderSize(config.maxHeaderSize())
                    .setMaxChunkSize(64 * 1024);
            // Reader-idle only: an all-idle handler adds a listener to every write. A connection with a
            // call in flight is never closed for idleness (the response timeout covers that).
            long idleSeconds = Math.max(1, config.clientIdleTimeout().toSeconds());
            // The forwarded form of a path does not depend on the routes' case and suffix options.
            CanonicalPath canonical = new CanonicalPath(CanonicalPath.Options.defaults());
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(transport.server())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            clients.add(ch);
                            FrontendHandler proxy = new FrontendHandler(px);
                            ch.pipeline().addLast("client-bytes", proxy.clientBytes()) // times request heads
                                    .addLast("codec", new ClientCodec(clientDecoder, proxy::respondingToHead))
                                    .addLast("idle", new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.SECONDS))
                                    .addLast("validate", new RequestValidator(canonical, config.pathPolicy()))
                                    .addLast("proxy", proxy);
                            if (h2c) {
                                ch.pipeline().addFirst("sniff", new PrefaceSniffer(p -> toHttp2(p, px, idleSeconds)));
                            }
                        }
                    });
            try {
                server = bootstrap.bind(config.listenHost(), config.listenPort()).syncUninterruptibly().channel();
            } catch (Exception e) {
                throw new IOException("cannot listen on " + config.listenHost() + ":" + config.listenPort() + " ("
                        + e.getMessage() + ")", e);
            }
            if (config.adminPort() >= 0) {
                admin = AdminHttpServer.start(config.adminHost(), config.adminPort(),
                        GatewayAdmin.routes(breakers, registry, adminAuth), allowedHosts);
            }
            ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "apiguard-gateway-scores");
                t.setDaemon(true);
                return t;
            });
            ScoreFeed task = new ScoreFeed(scores, breakers, config.scoreService(), pipeline.internalErrors());
            long period = config.scoreRefresh().toMillis();
            feed.scheduleWithFixedDelay(task, 0, Math.max(1, period), TimeUnit.MILLISECONDS);
            return new Gateway(config, group, server, clients, px, breakers, admin, adminAuth, feed);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (admin != null) {
                admin.close();
            }
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Replaces a connection's HTTP/1.1 handlers with HTTP/2 ones: Netty's frame codec (limits:
     * concurrent streams, header list size = max-header-size, RST_STREAMs per second) and one
     * {@link H2StreamProxy} per stream.
     */
    private static void toHttp2(ChannelPipeline p, ProxyContext px, long idleSeconds) {
        GatewayConfig config = px.config;
        for (String name : List.of("client-bytes", "codec", "idle", "validate", "proxy")) {
            p.remove(name);
        }
        H2Connection conn = new H2Connection(px);
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(config.http2().maxConcurrentStreams())
                        .maxHeaderListSize(config.maxHeaderSize()))
                .decoderEnforceMaxRstFramesPerWindow(config.http2().maxResetsPerSecond(), 1)
                .gracefulShutdownTimeoutMillis(config.drainTimeout().toMillis())
                .build();
        p.addLast("idle", new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.SECONDS))
                .addLast("h2", codec)
                .addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new H2StreamProxy(px, conn));
                    }
                }))
                .addLast("h2-connection", conn);
    }

    /** The proxy's port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The admin API's port, or -1 without one. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public BreakerRegistry breakers() {
        return breakers;
    }

    /** The gate of the admin API's state-changing calls, with the token they need. */
    public AdminAuth adminAuth() {
        return adminAuth;
    }

    public GatewayConfig config() {
        return config;
    }

    /** Requests being proxied now. */
    public int inFlight() {
        return px.inFlight.get();
    }

    /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then frees everything. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close().syncUninterruptibly();
        px.draining = true;
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> {
                FrontendHandler handler = ch.pipeline().get(FrontendHandler.class);
                if (handler != null) {
                    handler.closeWhenIdle();
                }
                if (ch.pipeline().get(H2Connection.class) != null) {
                    ch.close(); // HTTP/2: GOAWAY, then closed once its streams finish (graceful-shutdown bound)
                }
            });
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (px.inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (px.inFlight.get() > 0) {
            LOG.log(Level.WARNING, "gateway: {0} requests still in flight after {1}; closing them", px.inFlight.get(),
                    config.drainTimeout());
        }
        clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        px.closePools();
        scoreFeed.shutdownNow();
        if (admin != null) {
            admin.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Epoll when it loads (fewer syscalls, edge-triggered), NIO everywhere else. */
    private record Transport(IoHandlerFactory factory, Class<? extends ServerChannel> server,
            Class<? extends Channel> client) {
        static Transport choose(boolean nativeWanted) {
            try {
                if (nativeWanted && Epoll.isAvailable()) {
                    return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
                }
            } catch (LinkageError e) {
                // no native library for this platform: NIO it is
            }
            return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
        }
    }

    /** Reads scores on a schedule and hands them to the breakers; a failing source counts as no scores. */
    private static final class ScoreFeed implements Runnable {
        private final ScoreSource source;
        private final BreakerRegistry breakers;
        private final String service;
        private final InternalErrors errors;
        private boolean failing;

        ScoreFeed(ScoreSource source, BreakerRegistry breakers, String service, InternalErrors errors) {
            this.source = source;
            this.breakers = breakers;
            this.service = service;
            this.errors = errors;
        }

        @Override
        public void run() {
            List<EndpointScore> scores;
            try {
                scores = source.scores();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.log(Level.WARNING, "gateway: the score source failed ({0}); breakers ignore scores until it"
                            + " recovers (fail open)", e.toString());
                    failing = true;
                }
                scores = List.of();
            }
            try {
                breakers.applyScores(scores == null ? List.of() : scores, service);
            } catch (RuntimeException e) {
                errors.report(InternalErrors.Stage.GATEWAY, e); // a bug: the breakers keep their last scores
            }
        }
    }

}
