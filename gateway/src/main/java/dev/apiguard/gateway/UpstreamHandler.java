package dev.apiguard.gateway;

import dev.apiguard.metrics.InternalErrors;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** The last handler of an upstream connection: hands everything to the client connection using it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final InternalErrors errors;
    private final RawResponseScanner scanner;
    private FrontendHandler owner;

    UpstreamHandler(InternalErrors errors, RawResponseScanner scanner) {
        this.errors = errors;
        this.scanner = scanner;
    }

    /** Before the request is sent: its response comes to {@code owner}; a HEAD's has no body. */
    void attach(FrontendHandler owner, boolean headRequest) {
        this.owner = owner;
        scanner.headRequest = headRequest;
    }

    void detach() {
        this.owner = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner == null) {
            ReferenceCountUtil.release(msg); // bytes on an idle connection: it cannot be trusted any more
            ctx.close();
            return;
        }
        owner.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.flushClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.onUpstreamWritabilityChanged(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FrontendHandler o = owner;
        owner = null;
        if (o != null) {
            o.onUpstreamClosed(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelErrors.caught(errors, cause);
        ctx.close(); // channelInactive tells the owner
    }
}
