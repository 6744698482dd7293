package dev.apiguard.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.apiguard.gateway.Admission.Admitted;
import dev.apiguard.gateway.Admission.Rejected;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.routes.CanonicalPath;
import dev.apiguard.semantics.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One client HTTP/2 stream, proxied to one stream on the loop's upstream h2c connection: headers,
 * DATA and trailers pass through as they come, with autoRead backpressure both ways (a stream
 * channel returns flow-control window only for what it has read, so a slow side holds the other's
 * window, not gateway memory). Routes, breakers and fairness are the HTTP/1.1 path's: the route of a
 * gRPC call is its method ({@code /package.Service/Method}), and its outcome is its
 * {@code grpc-status} ({@link GrpcStatus}). An open breaker answers a gRPC client natively
 * (Trailers-Only, UNAVAILABLE, {@code grpc-retry-pushback-ms}) and a plain HTTP/2 client with 503.
 * {@code grpc-message} is passed to the client untouched and never read, logged or labelled.
 *
 * <p>Runs on the client connection's event loop, which also owns the upstream connection.
 */
final class H2StreamProxy extends ChannelInboundHandlerAdapter {
    private static final CanonicalPath CANONICAL = new CanonicalPath(CanonicalPath.Options.defaults());
    private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    private static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    private static final AsciiString PUSHBACK = AsciiString.cached("grpc-retry-pushback-ms");
    private static final AsciiString[] HOP_BY_HOP = {
        AsciiString.cached("connection"), AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
        AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade"), AsciiString.cached("http2-settings"),
    };

    private final ProxyContext px;
    private final H2Connection conn;
    private Channel client;
    private Http2StreamChannel upstream;
    private H2UpstreamPool pool; // this loop's: opens upstream streams, batches flushes
    private final ArrayDeque<Http2StreamFrame> pending = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();
    private String method;
    private String uri;
    private boolean grpc;
    private String route;
    private RouteBreaker breaker;
    private Admitted admission;
    private String clientId;
    private boolean requestEnded;
    private boolean responded; // response headers (proxied or local) went to the client
    private boolean finished; // the exchange is recorded and the breaker told
    private int status;
    private String contentType;
    private String contentEncoding;
    private long requestBytes;
    private long responseBytes;
    private final ResponsePrefixBuffer prefix = new ResponsePrefixBuffer();
    private ScheduledFuture<?> timer;

    H2StreamProxy(ProxyContext px, H2Connection conn) {
        this.px = px;
        this.conn = conn;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        client = ctx.channel();
        pool = px.h2Pool(client.eventLoop());
        super.channelActive(ctx);
    }

    // ---- client side

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case Http2HeadersFrame h when method == null -> onRequestHeaders(h);
                case Http2HeadersFrame h -> forward(new DefaultHttp2HeadersFrame(h.headers(), true), true);
                case Http2DataFrame d -> {
                    requestBytes += d.content().readableBytes();
                    forward(new DefaultHttp2DataFrame(d.content().retain(), d.isEndStream()), d.isEndStream());
                }
                case Http2ResetFrame r -> abort(); // the client cancelled: nothing to say about the route
                default -> {}
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) {
            pool.flushLater(upstream.parent());
        }
    }

    private void onRequestHeaders(Http2HeadersFrame frame) {
        Http2Headers h = frame.headers();
        requestEnded = frame.isEndStream();
        method = h.method() == null ? "GET" : h.method().toString();
        CharSequence ct = h.get("content-type");
        grpc = ct != null && AsciiString.regionMatches(ct, true, 0, "application/grpc", 0, 16);
        String path = h.path() == null ? "" : h.path().toString();
        uri = path;
        if (path.isEmpty() || path.charAt(0) != '/') {
            px.metrics.rejected.labelValues("bad_target").inc();
            respondPlain(400, "{\"reason\":\"the :path must start with '/'\"}", null);
            return;
        }
        switch (CANONICAL.of(path)) {
            case CanonicalPath.Refused r -> {
                px.metrics.rejected.labelValues(r.reason().label()).inc();
                respondPlain(400, "{\"reason\":" + Json.quote(r.detail()) + "}", null);
                return;
            }
            case CanonicalPath.Canonical c -> {
                String normalized = c.query() == null ? c.path() : c.path() + "?" + RequestValidator.escapeNonAscii(c.query());
                if (px.config.pathPolicy() == GatewayConfig.PathPolicy.REFUSE && !normalized.equals(path)) {
                    px.metrics.rejected.labelValues("not_normalized").inc();
                    respondPlain(400, "{\"reason\":\"the path is not in canonical form\"}", null);
                    return;
                }
                uri = normalized;
            }
        }
        route = route(uri);
        breaker = px.breakers.breaker(route);
        if (px.draining) {
            px.metrics.shed.labelValues("draining").inc();
            refuse("gateway is shutting down", "{\"reason\":\"gateway is shutting down\"}", 503, Duration.ofSeconds(1));
            return;
        }
        clientId = conn.peerIsTrustedProxy ? px.trustedProxies.clientOf(conn.clientId, asHttp1(h)) : conn.clientId;
        Duration shedFor = breaker.clientShed(clientId);
        if (shedFor != null) {
            px.metrics.shed.labelValues("client").inc();
            if (grpc) {
                respondGrpc(8, "route " + route + ": this client is shed (its own calls were failing)", shedFor);
            } else {
                respondPlain(429, ClientFairness.refusal(route), shedFor);
            }
            return;
        }
        Admission admitted = breaker.tryAcquire();
        if (admitted instanceof Rejected rejected) {
            px.metrics.shed.labelValues(rejected.status().label()).inc();
            refuse("route " + route + ": breaker " + rejected.status().label() + " (" + rejected.reason() + ")",
                    "{\"route\":" + Json.quote(route) + ",\"state\":\"" + rejected.status().label() + "\",\"reason\":"
                            + Json.quote(rejected.reason()) + "}",
                    503, rejected.retryAfter());
            return;
        }
        admission = (Admitted) admitted;
        px.callStarted();
        pending.add(new DefaultHttp2HeadersFrame(upstreamHeaders(h), frame.isEndStream()));
        client.config().setAutoRead(false); // until the upstream stream exists: the window holds the client
        if (requestEnded) {
            armTimer();
        } // else when the request ends: a client-streaming call may send for as long as it likes
        pool.open(new UpstreamSide(), this::upstreamReady);
    }

    private String route(String path) {
        try {
            return px.pipeline.route(px.config.service(), path, grpc); // counts its own failures
        } catch (RuntimeException e) {
            px.pipeline.internalErrors().report(InternalErrors.Stage.ROUTE, e);
            return Pipeline.UNROUTED;
        }
    }

    /** The client's headers as the backend gets them: hop-by-hop fields out, X-Forwarded-* in. */
    private Http2Headers upstreamHeaders(Http2Headers in) {
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 2);
        for (Map.Entry<CharSequence, CharSequence> e : in) {
            out.add(e.getKey(), e.getValue());
        }
        stripHopByHop(out);
        CharSequence te = out.get("te");
        if (te != null && !AsciiString.contentEqualsIgnoreCase(te, "trailers")) {
            out.remove("te"); // RFC 9113 8.2.2: only "trailers" may cross
        }
        out.path(px.basePath + uri);
        if (out.authority() == null) {
            out.authority(px.backendAuthority);
        }
        CharSequence forwarded = out.get("x-forwarded-for");
        out.set("x-forwarded-for", forwarded == null || forwarded.toString().isBlank() ? conn.clientIp
                : forwarded + ", " + conn.clientIp);
        out.set("x-forwarded-proto", "http");
        return out;
    }

    private static void stripHopByHop(Http2Headers h) {
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
    }

    /** The trusted-proxy lookup reads HTTP/1 headers; only X-Forwarded-For matters to it. */
    private static io.netty.handler.codec.http.HttpHeaders asHttp1(Http2Headers h) {
        io.netty.handler.codec.http.HttpHeaders out = new io.netty.handler.codec.http.DefaultHttpHeaders();
        for (CharSequence v : h.getAll("x-forwarded-for")) {
            out.add("X-Forwarded-For", v);
        }
        return out;
    }

    /** Sends a request frame upstream, or holds it until the upstream stream exists. */
    private void forward(Http2StreamFrame frame, boolean end) {
        if (end) {
            requestEnded = true;
            if (admission != null && !responded && timer == null) {
                armTimer(); // the response timeout measures the backend only: from the request's end
            }
        }
        if (admission == null && upstream == null) {
            ReferenceCountUtil.release(frame); // refused or finished: the rest of the request is dropped
            return;
        }
        if (upstream == null) {
            pending.add(frame);
            return;
        }
        upstream.write(frame).addListener(writeFailureCloses());
        if (!upstream.isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    private ChannelFutureListener writeFailureCloses() {
        return f -> {
            if (!f.isSuccess() && f.channel().isActive()) {
                f.channel().close();
            }
        };
    }

    private void upstreamReady(Http2StreamChannel ch, Throwable cause) {
        if (ch == null) {
            releasePending();
            if (admission == null || responded) {
                return; // the client went away meanwhile
            }
            px.metrics.upstreamErrors.labelValues("connect").inc();
            finishUnjudged(502, Outcome.CONNECT_FAILURE);
            respondFailure(502, "cannot connect to the backend");
            return;
        }
        if (admission == null || !client.isActive()) {
            releasePending();
            ch.close(); // resets the unused stream
            return;
        }
        upstream = ch;
        while (!pending.isEmpty()) {
            upstream.write(pending.pollFirst()).addListener(writeFailureCloses());
        }
        pool.flushLater(upstream.parent());
        client.config().setAutoRead(upstream.isWritable());
    }

    private void releasePending() {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (upstream != null) {
            upstream.config().setAutoRead(client.isWritable());
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abort();
        super.channelInactive(ctx);
    }

    /** The client stream is gone (reset or closed): cancel the upstream stream, count nothing. */
    private void abort() {
        cancelTimer();
        releasePending();
        if (upstream != null && upstream.isActive() && !finished) {
            upstream.close(); // RST_STREAM CANCEL to the backend
        }
        settle(Outcome.CANCELLED);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelErrors.caught(px.pipeline.internalErrors(), cause);
        ctx.close();
    }

    // ---- upstream side

    /** The upstream stream's handler: the response goes to the client as it comes. */
    private final class UpstreamSide extends ChannelInboundHandlerAdapter {
        private boolean headersSeen;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                switch (msg) {
                    case Http2HeadersFrame h -> onResponseHeaders(h);
                    case Http2DataFrame d -> onResponseData(d);
                    case Http2ResetFrame r -> onUpstreamReset(r.errorCode());
                    default -> {}
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onResponseHeaders(Http2HeadersFrame frame) {
            Http2Headers h = frame.headers();
            if (!headersSeen) {
                CharSequence s = h.status();
                int code = s == null ? 0 : parseStatus(s);
                if (code >= 100 && code < 200 && !frame.isEndStream()) {
                    return; // interim: the final head follows
                }
                headersSeen = true;
                cancelTimer(); // the backend answered: streaming calls may last as long as they like
                status = code;
                CharSequence ct = h.get("content-type");
                contentType = ct == null ? null : ct.toString();
                CharSequence ce = h.get("content-encoding");
                contentEncoding = ce == null ? null : ce.toString();
            }
            if (finished && admission == null && !client.isActive()) {
                return;
            }
            Http2Headers out = new DefaultHttp2Headers(false, h.size());
            for (Map.Entry<CharSequence, CharSequence> e : h) {
                out.add(e.getKey(), e.getValue());
            }
            stripHopByHop(out);
            responded = true;
            boolean end = frame.isEndStream();
            if (end) {
                complete(h); // Trailers-Only, or trailers: judge before the client sees the end
            }
            client.write(new DefaultHttp2HeadersFrame(out, end));
            pool.flushLater(client.parent());
        }

        private void onResponseData(Http2DataFrame d) {
            ByteBuf buf = d.content();
            responseBytes += buf.readableBytes();
            prefix.append(buf);
            if (d.isEndStream()) {
                complete(null);
            }
            DefaultHttp2DataFrame out = new DefaultHttp2DataFrame(buf.retain(), d.isEndStream());
            client.write(out).addListener(writeFailureCloses());
            if (d.isEndStream()) {
                pool.flushLater(client.parent()); // a closing stream channel may not see a read-complete
            }
            if (!client.isWritable()) {
                upstream.config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            pool.flushLater(client.parent());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            client.config().setAutoRead(ctx.channel().isWritable());
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!finished) {
                onUpstreamReset(Http2Error.CANCEL.code()); // the stream or its connection went away mid-call
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ChannelErrors.caught(px.pipeline.internalErrors(), cause);
            ctx.close();
        }
    }

    private static int parseStatus(CharSequence s) {
        try {
            return Integer.parseInt(s.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The backend reset the stream or dropped the connection before the response ended. */
    private void onUpstreamReset(long errorCode) {
        if (finished || admission == null) {
            return;
        }
        px.metrics.upstreamErrors.labelValues("reset").inc();
        finishUnjudged(502, Outcome.SERVER_ERROR);
        if (!responded) {
            respondFailure(502, "the backend reset the call");
        } else if (client.isActive()) {
            client.writeAndFlush(new DefaultHttp2ResetFrame(errorCode));
        }
    }

    // ---- ending calls

    /** The response ended: judges it, records it and tells the breaker. {@code trailers} may be null. */
    private void complete(Http2Headers trailers) {
        if (finished || admission == null) {
            return;
        }
        finished = true;
        cancelTimer();
        if (grpc) {
            GrpcStatus gs = status == 200 && trailers != null ? GrpcStatus.of(trailers.get(GRPC_STATUS)) : null;
            if (gs == null) {
                // No grpc-status: an HTTP error from something in between, or a broken backend.
                px.pipeline.recordUnjudged(exchange(status), route);
                settle(status >= 500 ? Outcome.SERVER_ERROR : Outcome.CANCELLED); // a missing signal never trips
                return;
            }
            px.pipeline.recordJudged(exchange(gs.httpStatus()), route, gs.verdict());
            settle(gs.outcome(px.config.http2().grpcBusinessCodesTrip()));
            return;
        }
        Verdict verdict = px.pipeline.complete(exchange(status), route);
        settle(status >= 500 ? Outcome.SERVER_ERROR
                : verdict instanceof Verdict.BusinessError e && e.silent() ? Outcome.BUSINESS_ERROR : Outcome.SUCCESS);
    }

    private void finishUnjudged(int httpStatus, Outcome outcome) {
        if (finished || admission == null) {
            return;
        }
        finished = true;
        cancelTimer();
        px.pipeline.recordUnjudged(exchange(httpStatus), route);
        settle(outcome);
    }

    private void settle(Outcome outcome) {
        if (admission == null) {
            return;
        }
        finished = true;
        breaker.onResult(admission, outcome, clientId);
        admission = null;
        px.callEnded();
    }

    private Exchange exchange(int httpStatus) {
        return new Exchange(px.config.service(), Side.GATEWAY, method, uri, httpStatus, startNanos, System.nanoTime(),
                requestBytes, responseBytes, contentType, contentEncoding, prefix.bytes(), prefix.truncated(),
                conn.connectionId);
    }

    private void armTimer() {
        timer = client.eventLoop().schedule(() -> {
            if (finished || admission == null || responded) {
                return;
            }
            px.metrics.upstreamErrors.labelValues("timeout").inc();
            finishUnjudged(504, Outcome.TIMEOUT);
            if (upstream != null) {
                upstream.close();
            }
            if (grpc) {
                respondGrpc(4, "the backend did not answer within " + px.config.responseTimeout(), null);
            } else {
                respondPlain(504, "{\"reason\":\"the backend did not answer in time\"}", null);
            }
        }, px.config.responseTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    // ---- local answers

    /** A refusal (open breaker, draining): gRPC clients get UNAVAILABLE with a pushback, others 503. */
    private void refuse(String grpcMessage, String json, int httpStatus, Duration retryAfter) {
        if (grpc) {
            respondGrpc(GrpcStatus.UNAVAILABLE, grpcMessage, retryAfter);
        } else {
            respondPlain(httpStatus, json, retryAfter);
        }
    }

    private void respondFailure(int httpStatus, String message) {
        if (grpc) {
            respondGrpc(GrpcStatus.UNAVAILABLE, message, null);
        } else {
            respondPlain(httpStatus, "{\"reason\":" + Json.quote(message) + "}", null);
        }
    }

    /** A gRPC Trailers-Only response: HTTP 200, the status in the only header block. */
    private void respondGrpc(int code, String message, Duration pushback) {
        Http2Headers h = new DefaultHttp2Headers().status("200");
        h.set("content-type", "application/grpc");
        h.setInt(GRPC_STATUS, code);
        h.set(GRPC_MESSAGE, percentEncode(message));
        if (pushback != null) {
            h.setLong(PUSHBACK, Math.max(0, pushback.toMillis()));
        }
        responded = true;
        endLocally(client.writeAndFlush(new DefaultHttp2HeadersFrame(h, true)));
    }

    private void respondPlain(int httpStatus, String json, Duration retryAfter) {
        ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        Http2Headers h = new DefaultHttp2Headers().status(Integer.toString(httpStatus));
        h.set("content-type", "application/json");
        h.setInt("content-length", body.readableBytes());
        if (retryAfter != null) {
            h.set("retry-after", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        responded = true;
        client.write(new DefaultHttp2HeadersFrame(h, false));
        endLocally(client.writeAndFlush(new DefaultHttp2DataFrame(body, true)));
    }

    private void endLocally(io.netty.channel.ChannelFuture written) {
        if (!requestEnded) {
            written.addListener(ChannelFutureListener.CLOSE); // the rest of the request is not wanted: reset it
        }
    }

    /** grpc-message's encoding (gRPC HTTP/2 protocol): printable ASCII but '%' as is, the rest %XX of UTF-8. */
    static String percentEncode(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
