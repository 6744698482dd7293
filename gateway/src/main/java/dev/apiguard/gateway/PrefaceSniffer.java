package dev.apiguard.gateway;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.1 on a connection's first bytes. It decides as soon
 * as a byte differs from the HTTP/2 connection preface (an HTTP/1.1 request is decided on its first
 * byte), so HTTP/1.1 goes on exactly as before; only the 24-byte preface itself switches the
 * connection to HTTP/2. Holds at most 23 bytes while undecided.
 */
final class PrefaceSniffer extends ChannelInboundHandlerAdapter {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<ChannelPipeline> toHttp2;
    private ByteBuf seen;

    /** @param toHttp2 replaces the HTTP/1.1 handlers with the HTTP/2 ones */
    PrefaceSniffer(Consumer<ChannelPipeline> toHttp2) {
        this.toHttp2 = toHttp2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (seen == null) {
            seen = in;
        } else {
            ByteBuf joined = ctx.alloc().buffer(seen.readableBytes() + in.readableBytes());
            joined.writeBytes(seen).writeBytes(in);
            seen.release();
            in.release();
            seen = joined;
        }
        int n = Math.min(seen.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (seen.getByte(seen.readerIndex() + i) != PREFACE[i]) {
                pass(ctx, false);
                return;
            }
        }
        if (n == PREFACE.length) {
            pass(ctx, true);
        }
        // else: a prefix of the preface so far; wait for more (the idle timeout bounds the wait)
    }

    private void pass(ChannelHandlerContext ctx, boolean http2) {
        ByteBuf bytes = seen;
        seen = null;
        if (http2) {
            toHttp2.accept(ctx.pipeline());
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (seen != null) {
            seen.release();
            seen = null;
        }
    }
}
