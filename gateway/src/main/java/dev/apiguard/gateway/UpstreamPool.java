package dev.apiguard.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

/**
 * Keep-alive connections to the backend owned by one event loop. Every method runs on that loop,
 * so there are no locks: a client connection and its upstream connection share one thread.
 *
 * <p>Connections are shared by all routes, but one route holds at most {@code maxPerRoute} of them at
 * once (leased or being opened), so that one slow route cannot starve the others. A lease over its
 * route's bound waits in its route's queue; queues are served round-robin across routes.
 */
final class UpstreamPool {

    /** Who asked for a connection. Exactly one of the two methods is called, on the pool's loop. */
    interface Lease {
        /** The route the connection is for: its bound applies. */
        String route();

        void ready(Channel upstream, boolean reused);

        void failed(Throwable cause);
    }

    /** The pool's waiter queue was full. */
    static final class PoolFullException extends Exception {
        private static final long serialVersionUID = 1L;

        PoolFullException() {
            super("upstream connection pool and its waiter queue are full", null, false, false);
        }
    }

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress backend;
    private final int max;
    private final int maxPerRoute;
    private final int maxWaiters;
    private final GatewayMetrics metrics;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    /** Waiting leases by route, in the order routes started waiting (round-robin when served). */
    private final LinkedHashMap<String, ArrayDeque<Lease>> waiters = new LinkedHashMap<>();
    /** Connections each route holds now: leased, or being opened for it. */
    private final Map<String, Integer> held = new HashMap<>();
    /** The route of each leased connection. */
    private final IdentityHashMap<Channel, String> leasedTo = new IdentityHashMap<>();
    private int waiting;
    private int open;
    private boolean closed;

    UpstreamPool(EventLoop loop, Bootstrap bootstrap, InetSocketAddress backend, int max, int maxPerRoute,
            int maxWaiters, GatewayMetrics metrics) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.backend = backend;
        this.max = max;
        this.maxPerRoute = maxPerRoute;
        this.maxWaiters = maxWaiters;
        this.metrics = metrics;
    }

    /** Hands out an idle connection, opens one, or queues the lease. */
    void acquire(Lease lease) {
        assert loop.inEventLoop();
        String route = lease.route();
        boolean routeFull = held(route) >= maxPerRoute;
        if (!routeFull && handOutIdle(lease)) {
            return;
        }
        if (!routeFull && open < max) {
            connect(lease);
        } else if (waiting < maxWaiters) {
            if (routeFull) {
                metrics.routePoolWaits.inc();
            } else {
                metrics.poolWaits.inc();
            }
            waiters.computeIfAbsent(route, r -> new ArrayDeque<>()).addLast(lease);
            waiting++;
        } else {
            metrics.poolOverflow.inc();
            lease.failed(new PoolFullException());
        }
    }

    /** True while the lease waits in a queue (for the pool or for its route's bound). */
    boolean isWaiting(Lease lease) {
        ArrayDeque<Lease> q = waiters.get(lease.route());
        return q != null && q.contains(lease);
    }

    /** Connections the route holds now (tests and metrics). */
    int held(String route) {
        return held.getOrDefault(route, 0);
    }

    /** Withdraws a queued lease (its request timed out or its client left). */
    void cancel(Lease lease) {
        ArrayDeque<Lease> q = waiters.get(lease.route());
        if (q != null && q.remove(lease)) {
            waiting--;
            if (q.isEmpty()) {
                waiters.remove(lease.route());
            }
        }
    }

    /** Returns a connection after a complete response on a keep-alive connection. */
    void release(Channel ch) {
        assert loop.inEventLoop();
        unlease(ch);
        if (!ch.isActive()) {
            return;
        }
        if (closed) {
            ch.close();
            return;
        }
        idle.addFirst(ch); // LIFO: the warmest connection goes out first
        serveWaiters();
    }

    private boolean handOutIdle(Lease lease) {
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                lease(ch, lease.route());
                lease.ready(ch, true);
                return true;
            }
        }
        return false;
    }

    private void lease(Channel ch, String route) {
        leasedTo.put(ch, route);
        held.merge(route, 1, Integer::sum);
    }

    private void unlease(Channel ch) {
        String route = leasedTo.remove(ch);
        if (route != null) {
            unhold(route);
        }
    }

    private void unhold(String route) {
        held.computeIfPresent(route, (r, n) -> n > 1 ? n - 1 : null);
    }

    private void connect(Lease lease) {
        open++;
        String route = lease.route();
        held.merge(route, 1, Integer::sum); // counts against the route while connecting
        ChannelFuture f = bootstrap.clone(loop).connect(backend);
        f.addListener(done -> {
            if (done.isSuccess()) {
                Channel ch = f.channel();
                leasedTo.put(ch, route);
                ch.closeFuture().addListener(c -> onClosed(ch));
                lease.ready(ch, false);
            } else {
                open--;
                unhold(route);
                lease.failed(done.cause());
                serveWaiters();
            }
        });
    }

    private void onClosed(Channel ch) {
        open--;
        unlease(ch);
        idle.remove(ch);
        serveWaiters();
    }

    /** Serves waiting leases whose route is under its bound, one route after another. */
    private void serveWaiters() {
        int rounds = waiters.size();
        for (int i = 0; i < rounds && !closed && waiting > 0; i++) {
            Iterator<Map.Entry<String, ArrayDeque<Lease>>> it = waiters.entrySet().iterator();
            Map.Entry<String, ArrayDeque<Lease>> served = null;
            while (it.hasNext()) {
                Map.Entry<String, ArrayDeque<Lease>> e = it.next();
                if (held(e.getKey()) < maxPerRoute) {
                    served = e;
                    break;
                }
            }
            if (served == null || (idle.isEmpty() && open >= max)) {
                return;
            }
            String route = served.getKey();
            Lease lease = served.getValue().pollFirst();
            waiting--;
            waiters.remove(route); // re-added at the end when it still waits: round-robin
            if (!served.getValue().isEmpty()) {
                waiters.put(route, served.getValue());
            }
            if (!handOutIdle(lease)) {
                connect(lease);
            }
        }
    }

    /** Closes idle connections; busy ones close when their call ends. */
    void close() {
        closed = true;
        for (Iterator<Channel> it = idle.iterator(); it.hasNext(); ) {
            it.next().close();
            it.remove();
        }
    }
}
