package dev.apiguard.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.function.BiConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP/2 connection to an h2c backend that one event loop's client streams share: each client
 * stream becomes one stream on it. A connection the backend said GOAWAY on (or closed) takes no new
 * streams; the next stream opens a fresh connection. Every method runs on the pool's loop.
 */
final class H2UpstreamPool {
    static final AttributeKey<Boolean> GONE_AWAY = AttributeKey.valueOf("apiguard.h2.goneAway");

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress backend;
    private Channel conn;
    private ChannelFuture connecting;
    private boolean closed;
    /** Connections written to since the last batch flush (a connection may appear twice: flushed twice, harmless). */
    private ArrayList<Channel> dirty = new ArrayList<>();
    private ArrayList<Channel> flushing = new ArrayList<>();
    private final Runnable flushDirty = this::flushDirty;

    H2UpstreamPool(EventLoop loop, Bootstrap bootstrap, InetSocketAddress backend) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.backend = backend;
    }

    /** Opens a stream whose pipeline is {@code handler}; {@code then} gets the stream or why not. */
    void open(ChannelHandler handler, BiConsumer<Http2StreamChannel, Throwable> then) {
        if (closed) {
            then.accept(null, new IllegalStateException("the gateway is closing"));
            return;
        }
        if (usable(conn)) {
            openOn(conn, handler, then);
            return;
        }
        if (connecting == null) {
            ChannelFuture f = bootstrap.clone(loop).connect(backend);
            connecting = f;
            f.addListener(done -> {
                if (connecting == f) {
                    connecting = null;
                }
                if (done.isSuccess()) {
                    if (conn != null && conn != f.channel()) {
                        conn.close(); // streams on it finish first: Netty's graceful close
                    }
                    conn = f.channel();
                }
            });
        }
        ChannelFuture pending = connecting;
        pending.addListener(done -> {
            if (done.isSuccess()) {
                openOn(pending.channel(), handler, then);
            } else {
                then.accept(null, done.cause());
            }
        });
    }

    /**
     * Flushes {@code connection} (a client's or the backend's HTTP/2 connection on this loop) once the
     * loop has handled the I/O it is handling now: the frames of every stream written meanwhile leave in
     * one write, instead of one write per frame and stream (a flush from a stream channel reaches the
     * socket at once unless its own connection is the one being read).
     */
    void flushLater(Channel connection) {
        assert loop.inEventLoop();
        if (dirty.isEmpty()) {
            loop.execute(flushDirty); // a task runs after the loop's current I/O events
        } else if (dirty.getLast() == connection) {
            return;
        }
        dirty.add(connection);
    }

    private void flushDirty() {
        ArrayList<Channel> batch = dirty;
        dirty = flushing; // a flush may write again (listeners): that goes into the next batch
        flushing = batch;
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).flush();
        }
        batch.clear();
    }

    private static boolean usable(Channel ch) {
        return ch != null && ch.isActive() && ch.attr(GONE_AWAY).get() == null;
    }

    private static void openOn(Channel ch, ChannelHandler handler, BiConsumer<Http2StreamChannel, Throwable> then) {
        new Http2StreamChannelBootstrap(ch).handler(handler).open().addListener(f -> {
            if (f.isSuccess()) {
                then.accept((Http2StreamChannel) f.getNow(), null);
            } else {
                then.accept(null, f.cause());
            }
        });
    }

    void close() {
        closed = true;
        if (conn != null) {
            conn.close();
        }
    }

    /** Last in an upstream connection's pipeline: marks it gone away so no new stream is opened on it. */
    static final class GoAwayWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                ctx.channel().attr(GONE_AWAY).set(Boolean.TRUE);
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken upstream connection: its streams see it close
        }
    }
}
