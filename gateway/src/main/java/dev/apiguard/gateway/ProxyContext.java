package dev.apiguard.gateway;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.apiguard.metrics.Pipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;

/** What every connection handler shares. */
final class ProxyContext {
    final GatewayConfig config;
    final BreakerRegistry breakers;
    final GatewayMetrics metrics;
    /** Routes requests before they are proxied; classifies and records them after. */
    final Pipeline pipeline;
    final String basePath;
    final String backendAuthority;
    final InetSocketAddress backendAddress;
    final TrustedProxies trustedProxies;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean draining;
    private final Bootstrap upstream;
    private final int connectionsPerLoop;
    private final int connectionsPerRoutePerLoop;
    private final int waitersPerLoop;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    /** Connects to an h2c backend; null unless backend-protocol is h2c. */
    Bootstrap h2Upstream;
    private final ConcurrentHashMap<EventLoop, H2UpstreamPool> h2Pools = new ConcurrentHashMap<>();

    ProxyContext(GatewayConfig config, BreakerRegistry breakers, GatewayMetrics metrics, Pipeline pipeline,
            InetSocketAddress backendAddress, Bootstrap upstream, int loops) {
        this.config = config;
        this.breakers = breakers;
        this.metrics = metrics;
        this.pipeline = pipeline;
        this.basePath = config.backendBasePath();
        this.backendAuthority = GatewayConfig.backendAuthority(config.backend());
        this.backendAddress = backendAddress;
        this.trustedProxies = TrustedProxies.parse(config.trustedProxies());
        this.upstream = upstream;
        // The limits are global; each loop owns an equal share of them.
        this.connectionsPerLoop = Math.max(1, (config.maxConnections() + loops - 1) / loops);
        this.connectionsPerRoutePerLoop = Math.max(1, (config.maxConnectionsPerRoute() + loops - 1) / loops);
        this.waitersPerLoop = (config.maxPoolWaiters() + loops - 1) / loops;
    }

    /** The calling loop's pool. */
    UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, upstream, backendAddress, connectionsPerLoop,
                connectionsPerRoutePerLoop, waitersPerLoop, metrics));
    }

    /** The calling loop's HTTP/2 upstream connection (backend-protocol h2c). */
    H2UpstreamPool h2Pool(EventLoop loop) {
        return h2Pools.computeIfAbsent(loop, l -> new H2UpstreamPool(l, h2Upstream, backendAddress));
    }

    void closePools() {
        pools.forEach((loop, pool) -> loop.execute(pool::close));
        h2Pools.forEach((loop, pool) -> loop.execute(pool::close));
    }

    void callStarted() {
        metrics.inFlight.set(inFlight.incrementAndGet());
    }

    void callEnded() {
        metrics.inFlight.set(inFlight.decrementAndGet());
    }
}
