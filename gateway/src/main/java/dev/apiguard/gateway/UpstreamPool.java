package dev.apiguard.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

/**
 * Keep-alive connections to the backend owned by one event loop. Every method runs on that loop,
 * so there are no locks: a client connection and its upstream connection share one thread.
 */
final class UpstreamPool {

    /** Who asked for a connection. Exactly one of the two methods is called, on the pool's loop. */
    interface Lease {
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
    private final int maxWaiters;
    private final GatewayMetrics metrics;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Lease> waiters = new ArrayDeque<>();
    private int open;
    private boolean closed;

    UpstreamPool(EventLoop loop, Bootstrap bootstrap, InetSocketAddress backend, int max, int maxWaiters,
            GatewayMetrics metrics) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.backend = backend;
        this.max = max;
        this.maxWaiters = maxWaiters;
        this.metrics = metrics;
    }

    /** Hands out an idle connection, opens one, or queues the lease. */
    void acquire(Lease lease) {
        assert loop.inEventLoop();
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                lease.ready(ch, true);
                return;
            }
        }
        if (open < max) {
            connect(lease);
        } else if (waiters.size() < maxWaiters) {
            metrics.poolWaits.inc();
            waiters.addLast(lease);
        } else {
            metrics.poolOverflow.inc();
            lease.failed(new PoolFullException());
        }
    }

    /** Withdraws a queued lease (its request timed out or its client left). */
    void cancel(Lease lease) {
        waiters.remove(lease);
    }

    /** Returns a connection after a complete response on a keep-alive connection. */
    void release(Channel ch) {
        assert loop.inEventLoop();
        if (!ch.isActive()) {
            return;
        }
        if (closed) {
            ch.close();
            return;
        }
        Lease waiter = waiters.pollFirst();
        if (waiter != null) {
            waiter.ready(ch, true);
        } else {
            idle.addFirst(ch); // LIFO: the warmest connection goes out first
        }
    }

    private void connect(Lease lease) {
        open++;
        ChannelFuture f = bootstrap.clone(loop).connect(backend);
        f.addListener(done -> {
            if (done.isSuccess()) {
                Channel ch = f.channel();
                ch.closeFuture().addListener(c -> onClosed(ch));
                lease.ready(ch, false);
            } else {
                open--;
                lease.failed(done.cause());
                serveWaiters();
            }
        });
    }

    private void onClosed(Channel ch) {
        open--;
        idle.remove(ch);
        serveWaiters();
    }

    private void serveWaiters() {
        if (!closed && open < max && !waiters.isEmpty()) {
            connect(waiters.pollFirst());
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
