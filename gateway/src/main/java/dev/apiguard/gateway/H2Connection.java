package dev.apiguard.gateway;

import java.net.InetSocketAddress;

import dev.apiguard.model.ConnectionId;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last in an HTTP/2 client connection's pipeline (after the frame codec and the stream multiplexer):
 * who the client is, what its streams share, and the connection's own errors. Netty's codec answers
 * protocol errors with GOAWAY and closes; this counts them in {@code apiguard_gateway_rejected_total}
 * ({@code h2_rapid_reset} for too many RST_STREAMs, {@code h2_flood} for other floods Netty calms
 * such as runs of empty DATA frames, {@code h2_protocol_error} for the others).
 */
final class H2Connection extends ChannelInboundHandlerAdapter {
    final ProxyContext px;
    final ConnectionId connectionId = ClientConnection.next();
    String clientIp = "unknown";
    String clientId = "unknown";
    boolean peerIsTrustedProxy;
    private boolean counted;

    H2Connection(ProxyContext px) {
        this.px = px;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress inet) {
            clientIp = inet.getAddress().getHostAddress();
            clientId = ClientIdentity.of(inet.getAddress());
            peerIsTrustedProxy = !px.trustedProxies.isEmpty() && px.trustedProxies.contains(inet.getAddress());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // connection frames (SETTINGS, PING, GOAWAY): the codec acted on them
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
            if (codec == null || codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** The rejection label of a connection error (Netty's RST limit names its own message). */
    static String reason(Http2Exception e) {
        if (e.error() != Http2Error.ENHANCE_YOUR_CALM) {
            return "h2_protocol_error";
        }
        return e.getMessage() != null && e.getMessage().contains("RST frames") ? "h2_rapid_reset" : "h2_flood";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception h2 = cause instanceof Http2Exception e ? e
                : cause.getCause() instanceof Http2Exception e ? e : null;
        if (h2 != null && !(h2 instanceof Http2Exception.StreamException)) {
            // A connection error: the codec sends GOAWAY with its code and closes.
            if (!counted) {
                counted = true;
                px.metrics.rejected.labelValues(reason(h2)).inc();
            }
            return;
        }
        if (h2 != null) {
            return; // a stream error: the codec reset that stream, the connection goes on
        }
        ChannelErrors.caught(px.pipeline.internalErrors(), cause);
        ctx.close();
    }
}
