package dev.apiguard.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import dev.apiguard.gateway.Admission.Admitted;
import dev.apiguard.gateway.Admission.Rejected;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One client connection. Proxies one request at a time (pipelined requests wait in a bounded
 * queue), streaming both bodies with autoRead backpressure. Every method runs on the connection's
 * event loop, which also owns the upstream connection in use.
 *
 * <p>Slow clients never hold the backend: a request body is buffered up to request-buffer-bytes
 * before an upstream connection is taken (a body that fits is sent whole), the head must arrive
 * within client-header-timeout of its first byte, and the body must keep to client-body-timeout
 * and client-body-min-rate. A client too slow gets 408 and is closed; that is never the route's
 * failure. The response timeout measures only the backend.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private static final int MAX_PIPELINED = 128;
    // Header names as AsciiString: their hash is computed once, not per request.
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString HTTP = AsciiString.cached("http");
    /** How long a connection is read and drained after its output is shut, before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private final ProxyContext px;
    private final ConnectionId connectionId = ClientConnection.next();
    private Channel client;
    private Call call;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private boolean replaying;
    private String clientIp = "unknown";
    private String clientId = "unknown"; // the peer as fairness names it (ClientIdentity)
    private boolean peerIsTrustedProxy;
    /** nanoTime of the first byte of a request head still being read; 0 when none is. */
    private long headStart;
    private ScheduledFuture<?> headerTimer;
    /**
     * The response timeout's check, one per connection and re-armed lazily (like the head's): a call
     * neither schedules nor cancels a task, which cost a heap insert and removal per request.
     */
    private ScheduledFuture<?> responseTimer;
    private final Runnable responseCheck = this::checkTimeout;
    /**
     * Writes not flushed yet, one flag per direction: a read's end flushes only when it wrote something,
     * not once per read through the whole outbound pipeline (a response usually leaves with writeAndFlush).
     */
    private boolean clientUnflushed;
    private boolean upstreamUnflushed;
    private boolean lingering;
    /** This connection's loop's pool (its upstream connections share the loop), looked up once. */
    private UpstreamPool pool;
    /** Whether the request being answered is a HEAD: the client codec's encoder asks (local responses). */
    private boolean headRequest;
    /**
     * Where proxied responses are written as bytes: the handler in front of the codec, so they pass
     * no encoder (the head is the backend's, rewritten as bytes; the body is the bytes read).
     */
    private ChannelHandlerContext rawOut;
    private static final byte[] CONNECTION_CLOSE = "connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_KEEP_ALIVE = "connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);

    FrontendHandler(ProxyContext px) {
        this.px = px;
    }

    boolean respondingToHead() {
        return headRequest;
    }

    private ChannelHandlerContext rawOut() {
        ChannelHandlerContext ctx = rawOut;
        if (ctx == null) {
            rawOut = ctx = client.pipeline().context("client-bytes");
        }
        return ctx;
    }

    private UpstreamPool pool() {
        UpstreamPool p = pool;
        if (p == null) {
            pool = p = px.pool(client.eventLoop());
        }
        return p;
    }

    /** Methods RFC 9110 calls idempotent that the gateway may send twice (TRACE is never proxied). */
    private static boolean idempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
    }

    /** Sees the client's raw bytes before the codec: the first byte of a head starts its clock. */
    ChannelInboundHandlerAdapter clientBytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                onClientBytes();
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** One request and its response. */
    private final class Call implements UpstreamPool.Lease {
        final HttpRequest request;
        final String route;
        final RouteBreaker breaker;
        String clientId; // the fairness identity: the peer, or X-Forwarded-For from a trusted proxy
        final long startNanos = System.nanoTime();
        final boolean bodyless;
        final HttpVersion clientVersion;
        boolean keepAlive;
        Admitted admission;
        boolean requestComplete;
        boolean discardBody;
        boolean responded; // a response (local or proxied) has started
        boolean responseComplete;
        boolean finished;
        boolean reused;
        boolean retried;
        boolean raw; // the response came as a RawResponseHead: its head and body are written as bytes
        Channel upstream;
        boolean upstreamKeepAlive;
        ArrayDeque<HttpContent> queued;
        long requestBytes;
        long responseBytes;
        int status;
        String contentType;
        String contentEncoding;
        final ResponsePrefixBuffer prefix = new ResponsePrefixBuffer();
        boolean skipInformational;
        long lastProgress = startNanos; // backend progress only
        boolean acquired; // an upstream connection was asked for
        long queuedBytes; // body bytes held until the upstream connection is ready
        boolean upstreamSpoke; // any byte (even an interim response) came back on the upstream
        long bodyRead; // body bytes read from the client, forwarded or discarded
        long declaredLength; // Content-Length, -1 for chunked or none
        long lastBodyRead = startNanos;
        long windowStart = startNanos;
        long windowBytes;
        long discarded;
        long lingerUntil; // response done, body unfinished: close at this nanoTime unless it completes
        ScheduledFuture<?> bodyTimer;

        Call(HttpRequest request, String route, RouteBreaker breaker, boolean bodyless) {
            this.request = request;
            this.route = route;
            this.breaker = breaker;
            this.bodyless = bodyless;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.clientVersion = request.protocolVersion();
        }

        @Override
        public String route() {
            return route;
        }

        @Override
        public void ready(Channel ch, boolean wasReused) {
            if (call != this || responded || !client.isActive()) {
                pool().release(ch); // unused: still clean
                return;
            }
            attach(this, ch, wasReused);
        }

        @Override
        public void failed(Throwable cause) {
            if (call != this || responded) {
                return;
            }
            if (cause instanceof UpstreamPool.PoolFullException) {
                px.metrics.shed.labelValues("pool_full").inc();
                finish(503, Outcome.CANCELLED, false); // not the route's fault
                respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        json("{\"route\":" + Json.quote(route) + ",\"state\":\"closed\",\"reason\":\"gateway overloaded: upstream pool full\"}"),
                        Duration.ofSeconds(1));
            } else {
                px.metrics.upstreamErrors.labelValues("connect").inc();
                finish(502, Outcome.CONNECT_FAILURE, true);
                respondLocally(HttpResponseStatus.BAD_GATEWAY, text("cannot connect to the backend: " + cause.getMessage()),
                        null);
            }
        }
    }

    // ---- client side

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        client = ctx.channel();
        if (client.remoteAddress() instanceof InetSocketAddress inet) {
            clientIp = inet.getAddress().getHostAddress();
            clientId = ClientIdentity.of(inet.getAddress());
            peerIsTrustedProxy = !px.trustedProxies.isEmpty() && px.trustedProxies.contains(inet.getAddress());
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            headStart = 0; // the head is complete
        }
        if (call != null && call.requestComplete) {
            if (pipelined.size() >= MAX_PIPELINED) {
                ReferenceCountUtil.release(msg);
                px.metrics.pipelineOverflow.inc();
                client.close();
                return;
            }
            pipelined.addLast(msg); // a pipelined request: it waits for the current response
            if (pipelined.size() > MAX_PIPELINED / 4) {
                client.config().setAutoRead(false);
            }
            return;
        }
        handle(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstreamUnflushed) {
            upstreamUnflushed = false;
            if (call != null && call.upstream != null) {
                call.upstream.flush();
            }
        }
        ctx.fireChannelReadComplete();
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest request) {
            headRequest = request.method().equals(HttpMethod.HEAD);
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                badRequest(request.decoderResult().cause());
                return;
            }
            if (call != null) {
                ReferenceCountUtil.release(msg);
                client.close();
                return;
            }
            startCall(request);
            if (msg instanceof HttpContent content) {
                onRequestContent(content);
            }
        } else if (msg instanceof HttpContent content) {
            if (call == null) {
                content.release();
            } else {
                onRequestContent(content);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void badRequest(Throwable cause) {
        if (cause instanceof RequestRejected rejected) {
            rejectAndClose(rejected.status(), rejected.reason(), rejected.getMessage());
            return;
        }
        HttpResponseStatus status;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
        }
        rejectAndClose(status, status.reasonPhrase());
    }

    /** Answers and closes: the rest of the connection's bytes cannot be trusted or are unwanted. */
    private void rejectAndClose(HttpResponseStatus status, String message) {
        String reason = switch (status.code()) {
            case 413 -> "body_too_large";
            case 414 -> "request_line_too_long";
            case 431 -> "headers_too_large";
            default -> "malformed";
        };
        rejectAndClose(status, reason, message);
    }

    private void rejectAndClose(HttpResponseStatus status, String reason, String message) {
        px.metrics.rejected.labelValues(reason).inc();
        if (call != null && !call.responded) {
            finish(status.code(), Outcome.CANCELLED, true);
        }
        if (call != null && call.responded) {
            client.close(); // a response is under way: it can only be cut
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, text(message));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (call != null) {
            call.responded = true;
        }
        client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void startCall(HttpRequest request) {
        long declared;
        try {
            declared = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            rejectAndClose(HttpResponseStatus.BAD_REQUEST, "bad Content-Length");
            return;
        }
        if (declared > px.config.maxBodyBytes()) {
            rejectAndClose(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + px.config.maxBodyBytes() + " bytes");
            return;
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        String route = route(request.uri());
        RouteBreaker breaker = px.breakers.breaker(route);
        Call c = new Call(request, route, breaker, !chunked && declared <= 0);
        c.declaredLength = chunked ? -1 : declared;
        call = c;
        if (!c.bodyless) {
            armBodyTimer(c); // even a refused request's body must keep coming while it is read and dropped
        }
        if (px.draining) {
            c.keepAlive = false;
            px.metrics.shed.labelValues("draining").inc();
            c.discardBody = true;
            respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE, text("gateway is shutting down"), Duration.ofSeconds(1));
            return;
        }
        c.clientId = peerIsTrustedProxy ? px.trustedProxies.clientOf(clientId, request.headers()) : clientId;
        Duration shedFor = breaker.clientShed(c.clientId);
        if (shedFor != null) {
            c.keepAlive &= !HttpUtil.is100ContinueExpected(request);
            px.metrics.shed.labelValues("client").inc();
            c.discardBody = true;
            respondLocally(HttpResponseStatus.TOO_MANY_REQUESTS, json(ClientFairness.refusal(route)), shedFor);
            return;
        }
        Admission admission = breaker.tryAcquire();
        if (admission instanceof Rejected rejected) {
            if (HttpUtil.is100ContinueExpected(request)) {
                c.keepAlive = false; // the client may or may not send the body now: start afresh
            }
            px.metrics.shed.labelValues(rejected.status().label()).inc();
            c.discardBody = true;
            String body = "{\"route\":" + Json.quote(route) + ",\"state\":\"" + rejected.status().label()
                    + "\",\"reason\":" + Json.quote(rejected.reason()) + "}";
            respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE, json(body), rejected.retryAfter());
            return;
        }
        c.admission = (Admitted) admission;
        px.callStarted();
        if (HttpUtil.is100ContinueExpected(request)) {
            // Admitted: now the client may send its body. Refusals above answer without reading it.
            request.headers().remove(HttpHeaderNames.EXPECT);
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        prepareForward(request, chunked);
        if (c.bodyless || px.config.requestBufferBytes() == 0) {
            acquireUpstream(c);
        } // else: the body is buffered first (onRequestContent)
        updateAutoRead();
    }

    /** Asks for an upstream connection; from now on the response timeout runs. */
    private void acquireUpstream(Call c) {
        if (c.acquired) {
            return;
        }
        c.acquired = true;
        c.lastProgress = System.nanoTime();
        armTimer(c);
        pool().acquire(c);
    }

    private String route(String uri) {
        try {
            String path = uri;
            if (path.startsWith("http://") || path.startsWith("https://")) { // absolute-form
                int slash = path.indexOf('/', path.indexOf("//") + 2);
                path = slash < 0 ? "/" : path.substring(slash);
            }
            return px.pipeline.route(px.config.service(), path); // counts its own failures
        } catch (RuntimeException e) {
            px.pipeline.internalErrors().report(InternalErrors.Stage.ROUTE, e);
            return Pipeline.UNROUTED;
        }
    }

    /** Turns the client's request head into the upstream's, in place. */
    private void prepareForward(HttpRequest request, boolean chunked) {
        HttpHeaders h = request.headers();
        HopByHop.strip(h);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        if (!h.contains(HttpHeaderNames.HOST)) {
            h.set(HttpHeaderNames.HOST, px.backendAuthority);
        }
        String forwarded = h.get(X_FORWARDED_FOR);
        h.set(X_FORWARDED_FOR, forwarded == null || forwarded.isBlank() ? clientIp : forwarded + ", " + clientIp);
        h.set(X_FORWARDED_PROTO, HTTP);
        String uri = request.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        request.setUri(px.basePath + uri);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private void onRequestContent(HttpContent content) {
        Call c = call;
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            content.release();
            badRequest(content.decoderResult().cause());
            return;
        }
        int n = content.content().readableBytes();
        if (n > 0) {
            c.bodyRead += n;
            c.windowBytes += n;
            c.lastBodyRead = System.nanoTime();
        }
        if (c.discardBody) {
            content.release();
            if (lingering) {
                if (last) {
                    client.close(); // the output is shut: nothing more can be answered here
                }
                return;
            }
            if (last) {
                c.requestComplete = true;
                if (c.responseComplete) {
                    endCall();
                }
            } else if ((c.discarded += n) > px.config.requestBufferBytes() && c.responseComplete) {
                unfinishedBody(c); // more than the buffer's worth of a body nobody will read
            }
            return;
        }
        c.requestBytes += n;
        if (c.requestBytes > px.config.maxBodyBytes()) {
            content.release();
            abortUpstream(c);
            rejectAndClose(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + px.config.maxBodyBytes() + " bytes");
            return;
        }
        if (last) {
            c.requestComplete = true;
        }
        if (c.upstream == null) {
            if (c.queued == null) {
                c.queued = new ArrayDeque<>();
            }
            c.queued.add(content);
            c.queuedBytes += n;
            if (last || c.queuedBytes >= px.config.requestBufferBytes()) {
                acquireUpstream(c); // the whole body, or a buffer's worth: now the backend is worth holding
            }
        } else if (last) {
            c.lastProgress = System.nanoTime(); // from here on, only the backend can be late
            c.upstream.writeAndFlush(content);
        } else {
            c.upstream.write(content);
            upstreamUnflushed = true;
        }
        updateAutoRead();
    }

    // ---- upstream side

    private void attach(Call c, Channel upstream, boolean reused) {
        c.upstream = upstream;
        c.reused = reused;
        upstream.pipeline().get(UpstreamHandler.class).attach(this, c.request.method().equals(HttpMethod.HEAD));
        upstream.config().setAutoRead(client.isWritable());
        upstream.write(c.request);
        if (c.retried) {
            upstream.write(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (c.queued != null) {
            HttpContent content;
            while ((content = c.queued.poll()) != null) {
                upstream.write(content);
            }
            c.queuedBytes = 0;
        }
        upstream.flush();
        updateAutoRead();
    }

    void onUpstreamMessage(Object msg) {
        Call c = call;
        if (c == null || c.upstream == null || c.responseComplete) {
            ReferenceCountUtil.release(msg);
            return;
        }
        c.lastProgress = System.nanoTime();
        c.upstreamSpoke = true;
        if (msg instanceof RawResponseHead head) {
            try {
                onRawHead(c, head);
            } finally {
                head.release();
            }
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(c, response);
        }
        if (msg instanceof HttpContent content) {
            if (c.upstream == null) {
                content.release(); // the head ended the call (a malformed response): nothing more to forward
                return;
            }
            onResponseContent(c, content);
        }
    }

    private void onResponseHead(Call c, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            px.metrics.upstreamErrors.labelValues("bad_response").inc();
            Channel upstream = c.upstream;
            detach(c);
            upstream.close();
            finish(502, Outcome.SERVER_ERROR, true);
            respondLocally(HttpResponseStatus.BAD_GATEWAY, text("the backend sent a malformed response"), null);
            return;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            c.skipInformational = true; // interim responses are not forwarded
            return;
        }
        c.skipInformational = false;
        c.responded = true;
        c.status = code;
        HttpHeaders h = response.headers();
        c.contentType = h.get(HttpHeaderNames.CONTENT_TYPE);
        c.contentEncoding = h.get(HttpHeaderNames.CONTENT_ENCODING);
        c.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        boolean lengthKnown = HttpUtil.isContentLengthSet(response);
        long length = lengthKnown ? HttpUtil.getContentLength(response, -1L) : -1L;
        c.prefix.expectLength(length);
        HopByHop.strip(h);
        boolean bodyless = c.request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        if (!lengthKnown && !bodyless) {
            if (c.clientVersion.equals(HttpVersion.HTTP_1_1)) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                c.keepAlive = false; // an HTTP/1.0 client reads until close
            }
        }
        if (px.draining) {
            c.keepAlive = false;
        }
        HttpUtil.setKeepAlive(h, c.clientVersion, c.keepAlive);
        client.write(response);
        clientUnflushed = true;
    }

    /** A plain response head (RawResponseScanner): the same decisions as onResponseHead, on bytes. */
    private void onRawHead(Call c, RawResponseHead head) {
        c.skipInformational = false;
        c.responded = true;
        c.raw = true;
        c.status = head.status;
        c.contentType = head.contentType;
        c.contentEncoding = head.contentEncoding;
        c.upstreamKeepAlive = head.keepAlive;
        c.prefix.expectLength(head.contentLength);
        // The length is known (or the response is to a HEAD): no re-framing, only the Connection line.
        if (px.draining) {
            c.keepAlive = false;
        }
        byte[] connection;
        if (c.clientVersion.isKeepAliveDefault()) {
            connection = c.keepAlive ? null : CONNECTION_CLOSE;
        } else {
            connection = c.keepAlive ? CONNECTION_KEEP_ALIVE : null;
        }
        rawOut().write(head.forward(client.alloc(), connection));
        clientUnflushed = true;
    }

    private void onResponseContent(Call c, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (c.skipInformational) {
            content.release();
            if (last) {
                c.skipInformational = false;
            }
            return;
        }
        ByteBuf buf = content.content();
        int n = buf.readableBytes();
        c.responseBytes += n;
        c.prefix.append(buf);
        if (!last) {
            if (c.raw) {
                rawOut().write(buf);
            } else {
                client.write(content);
            }
            clientUnflushed = true;
            if (!client.isWritable()) {
                c.upstream.config().setAutoRead(false);
            }
            return;
        }
        c.responseComplete = true;
        Channel upstream = c.upstream;
        detach(c);
        if (c.upstreamKeepAlive && c.requestComplete && upstream.isActive()) {
            pool().release(upstream);
        } else {
            upstream.close();
        }
        // The shared pipeline classifies the prefix and records the exchange (listeners included).
        Verdict verdict = px.pipeline.complete(exchange(c, c.status), c.route);
        // A 4xx is the client's error, even with an error body; a business error inside a 2xx (silent)
        // is the backend failing, like a 5xx.
        Outcome outcome = c.status >= 500 ? Outcome.SERVER_ERROR
                : verdict instanceof Verdict.BusinessError e && e.silent() ? Outcome.BUSINESS_ERROR : Outcome.SUCCESS;
        settle(c, outcome); // before the last bytes leave: a client that saw the response sees the breaker moved
        clientUnflushed = false;
        ChannelFuture written = c.raw ? rawOut().writeAndFlush(buf) : client.writeAndFlush(content);
        completeResponse(c, written);
    }

    void onUpstreamClosed(Channel upstream) {
        Call c = call;
        if (c == null || c.upstream != upstream) {
            return;
        }
        detach(c);
        if (!c.responded) {
            if (mayRetry(c)) {
                // A pooled connection the backend closed before answering a byte: it may have read the
                // request, so only an idempotent one goes again, once.
                c.retried = true;
                px.metrics.retries.inc();
                pool().acquire(c);
                return;
            }
            px.metrics.upstreamErrors.labelValues("reset").inc();
            finish(502, Outcome.SERVER_ERROR, true);
            respondLocally(HttpResponseStatus.BAD_GATEWAY, text("the backend closed the connection without a response"),
                    null);
        } else if (!c.responseComplete) {
            px.metrics.upstreamErrors.labelValues("reset").inc();
            finish(c.status, Outcome.SERVER_ERROR, true);
            client.close(); // the response is cut short; the client must see that
        }
    }

    private boolean mayRetry(Call c) {
        return px.config.retryIdempotent() && c.reused && !c.retried && !c.upstreamSpoke && c.bodyless
                && c.requestComplete && idempotent(c.request.method());
    }

    private void detach(Call c) {
        if (c.upstream != null) {
            UpstreamHandler handler = c.upstream.pipeline().get(UpstreamHandler.class);
            if (handler != null) {
                handler.detach();
            }
            c.upstream.config().setAutoRead(true);
            c.upstream = null;
        }
    }

    private void abortUpstream(Call c) {
        if (c.upstream != null) {
            Channel upstream = c.upstream;
            detach(c);
            upstream.close();
        } else {
            pool().cancel(c);
        }
    }

    void flushClient() {
        if (clientUnflushed) {
            clientUnflushed = false;
            client.flush();
        }
    }

    /** The upstream drained what it was sent: that is the backend making progress. */
    void onUpstreamWritabilityChanged(Channel upstream) {
        Call c = call;
        if (c != null && c.upstream == upstream && upstream.isWritable()) {
            c.lastProgress = System.nanoTime();
        }
        updateAutoRead();
    }

    /** autoRead on the client follows what the call can take; on the upstream, the client's writability. */
    void updateAutoRead() {
        Call c = call;
        boolean read;
        if (c == null || c.discardBody) {
            read = true;
        } else if (c.requestComplete) {
            // Stay readable (no interest-op churn per request); pipelined requests queue, bounded.
            read = pipelined.size() <= MAX_PIPELINED / 4;
        } else if (c.upstream == null) {
            read = !c.acquired; // buffering the body: read on; waiting for a connection: hold the rest
        } else {
            read = c.upstream.isWritable();
        }
        client.config().setAutoRead(read);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Call c = call;
        if (c != null && c.upstream != null && c.responded) {
            c.upstream.config().setAutoRead(client.isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---- timeouts

    /** A timer armed for an earlier call fires before this one's deadline and re-arms for the rest. */
    private void armTimer(Call c) {
        if (responseTimer == null) {
            responseTimer = client.eventLoop().schedule(responseCheck, px.config.responseTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void checkTimeout() {
        responseTimer = null;
        Call c = call;
        if (c == null || c.finished || !c.acquired || !client.isActive()) {
            return; // no response timeout runs now: the next acquireUpstream arms it again
        }
        long limit = px.config.responseTimeout().toNanos();
        long now = System.nanoTime();
        if (!c.requestComplete && !c.responded && c.upstream != null && c.upstream.isWritable()) {
            c.lastProgress = now; // the backend takes the body as fast as it comes: the client's clock runs
        }
        long idle = now - c.lastProgress;
        if (idle < limit) {
            responseTimer = client.eventLoop().schedule(responseCheck, limit - idle, TimeUnit.NANOSECONDS);
            return;
        }
        UpstreamPool pool = pool();
        if (c.upstream == null && pool.isWaiting(c)) {
            // No connection came free in time: the gateway is overloaded, the route did nothing wrong.
            pool.cancel(c);
            px.metrics.shed.labelValues("pool_timeout").inc();
            finish(503, Outcome.CANCELLED, false);
            c.keepAlive &= c.requestComplete;
            respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    json("{\"route\":" + Json.quote(c.route) + ",\"state\":\"closed\",\"reason\":\"gateway overloaded: no upstream connection within "
                            + px.config.responseTimeout() + "\"}"), Duration.ofSeconds(1));
            return;
        }
        px.metrics.upstreamErrors.labelValues("timeout").inc();
        abortUpstream(c);
        if (!c.responded) {
            finish(504, Outcome.TIMEOUT, true);
            c.keepAlive &= c.requestComplete;
            c.discardBody = true;
            respondLocally(HttpResponseStatus.GATEWAY_TIMEOUT,
                    text("the backend did not answer within " + px.config.responseTimeout()), null);
        } else {
            finish(c.status, Outcome.TIMEOUT, true);
            client.close();
        }
    }

    // ---- client timeouts

    private void onClientBytes() {
        if (headStart != 0 || call != null || !pipelined.isEmpty()) {
            return; // a head is being timed already, or these bytes are a body or a pipelined request
        }
        headStart = System.nanoTime() | 1;
        if (headerTimer == null) {
            headerTimer = client.eventLoop().schedule(this::checkHeader,
                    px.config.clientHeaderTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Lazy: one timer per connection, re-armed only while a head is incomplete. */
    private void checkHeader() {
        headerTimer = null;
        if (headStart == 0 || !client.isActive()) {
            return;
        }
        if (call != null || !pipelined.isEmpty()) {
            headStart = 0;
            return;
        }
        long limit = px.config.clientHeaderTimeout().toNanos();
        long waited = System.nanoTime() - headStart;
        if (waited < limit) {
            headerTimer = client.eventLoop().schedule(this::checkHeader, limit - waited, TimeUnit.NANOSECONDS);
            return;
        }
        px.metrics.rejected.labelValues("client_timeout").inc();
        headRequest = false; // no request was read: the 408 has its body
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                text("request head not received within " + px.config.clientHeaderTimeout()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        client.config().setAutoRead(false);
        client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void armBodyTimer(Call c) {
        long now = System.nanoTime();
        c.lastBodyRead = now;
        c.windowStart = now;
        c.windowBytes = 0;
        scheduleBodyCheck(c, px.config.clientBodyTimeout().toNanos());
    }

    private void scheduleBodyCheck(Call c, long nanos) {
        if (c.bodyTimer != null) {
            c.bodyTimer.cancel(false);
        }
        c.bodyTimer = client.eventLoop().schedule(() -> checkBody(c), Math.max(nanos, 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /**
     * The body must not pause longer than client-body-timeout, and over each such window must bring
     * client-body-min-rate bytes a second (or all that remains). Time the gateway itself is not
     * reading (backpressure, waiting for a connection) is not held against the client.
     */
    private void checkBody(Call c) {
        c.bodyTimer = null;
        if (call != c || c.requestComplete || !client.isActive()) {
            return;
        }
        long window = px.config.clientBodyTimeout().toNanos();
        long now = System.nanoTime();
        if (c.lingerUntil != 0 && now - c.lingerUntil >= 0) {
            unfinishedBody(c);
            return;
        }
        if (!client.config().isAutoRead()) {
            c.lastBodyRead = now;
            c.windowStart = now;
            c.windowBytes = 0;
        }
        if (now - c.lastBodyRead >= window) {
            clientTooSlow(c);
            return;
        }
        if (now - c.windowStart >= window) {
            long due = (long) Math.min(Long.MAX_VALUE, px.config.clientBodyMinRate() * (window / 1e9));
            if (c.declaredLength >= 0) {
                due = Math.min(due, c.declaredLength - (c.bodyRead - c.windowBytes));
            }
            if (c.windowBytes < due) {
                clientTooSlow(c);
                return;
            }
            c.windowStart = now;
            c.windowBytes = 0;
        }
        long next = Math.min(c.lastBodyRead + window, c.windowStart + window) - now;
        if (c.lingerUntil != 0) {
            next = Math.min(next, c.lingerUntil - now);
        }
        scheduleBodyCheck(c, next);
    }

    /** 408 and close; a client's slowness says nothing about the backend, so the breaker never hears of it. */
    private void clientTooSlow(Call c) {
        if (c.responded) {
            unfinishedBody(c);
            return;
        }
        px.metrics.rejected.labelValues("client_timeout").inc();
        if (c.queued != null) {
            c.queued.forEach(ReferenceCountUtil::release);
            c.queued.clear();
        }
        abortUpstream(c);
        finish(408, Outcome.CANCELLED, false);
        c.keepAlive = false;
        respondLocally(HttpResponseStatus.REQUEST_TIMEOUT, text("request body not received within "
                + px.config.clientBodyTimeout() + " at " + px.config.clientBodyMinRate() + " bytes/s"), null);
    }

    /** The response is out but the request body will not finish in time: the connection cannot be reused. */
    private void unfinishedBody(Call c) {
        if (lingering) {
            return;
        }
        px.metrics.rejected.labelValues("unfinished_body").inc();
        c.lingerUntil = 0;
        lingerThenClose();
    }

    /**
     * Ends a connection whose client may still be sending: the output is shut (the client reads the
     * response, then end of stream) and what still arrives is read and dropped for {@link #LINGER},
     * so that closing with unread bytes cannot reset the connection before the response is read.
     */
    private void lingerThenClose() {
        if (lingering || !client.isActive()) {
            return;
        }
        lingering = true;
        if (call != null) {
            call.discardBody = true;
        }
        client.config().setAutoRead(true);
        if (client instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
        client.eventLoop().schedule(() -> {
            client.close();
        }, LINGER.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- ending calls

    /** Feeds the breaker and the metrics once per admitted call. */
    private void finish(int status, Outcome outcome, boolean recordExchange) {
        Call c = call;
        if (c == null || c.finished || c.admission == null) {
            return;
        }
        c.finished = true;
        if (recordExchange) {
            px.pipeline.recordUnjudged(exchange(c, status), c.route); // no whole response to classify
        }
        settle(c, outcome);
    }

    private void settle(Call c, Outcome outcome) {
        if (c.admission == null) {
            return;
        }
        c.finished = true;
        c.breaker.onResult(c.admission, outcome, c.clientId);
        c.admission = null;
        px.callEnded();
    }

    /** The call as the pipeline sees it (the pipeline counts its own failures: proxying never breaks). */
    private Exchange exchange(Call c, int status) {
        return new Exchange(px.config.service(), Side.GATEWAY, c.request.method().name(), c.request.uri(), status,
                c.startNanos, System.nanoTime(), c.requestBytes, c.responseBytes, c.contentType, c.contentEncoding,
                c.prefix.bytes(), c.prefix.truncated(), connectionId);
    }

    /** A response made by the gateway itself; keeps the connection when the request allows it. */
    private void respondLocally(HttpResponseStatus status, ByteBuf body, Duration retryAfter) {
        Call c = call;
        c.responded = true;
        c.responseComplete = true;
        if (c.queued != null) { // a buffered body that will never be sent
            c.queued.forEach(ReferenceCountUtil::release);
            c.queued.clear();
            c.queuedBytes = 0;
        }
        if (!c.requestComplete) {
            c.discardBody = true; // read and drop the rest of the body, bounded by max-body-bytes
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        HttpHeaders h = response.headers();
        boolean isJson = body.readableBytes() > 0 && body.getByte(body.readerIndex()) == '{';
        h.set(HttpHeaderNames.CONTENT_TYPE, isJson ? "application/json" : "text/plain; charset=utf-8");
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (retryAfter != null) {
            h.set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        if (px.draining) {
            c.keepAlive = false;
        }
        HttpUtil.setKeepAlive(h, c.clientVersion, c.keepAlive);
        ChannelFuture written = client.writeAndFlush(response);
        completeResponse(c, written);
    }

    private void completeResponse(Call c, ChannelFuture written) {
        if (!c.keepAlive) {
            if (c.requestComplete) {
                written.addListener(ChannelFutureListener.CLOSE);
            } else {
                written.addListener(f -> lingerThenClose()); // the client may still be sending its body
            }
            return;
        }
        if (c.requestComplete) {
            endCall();
        } else {
            // Read and drop the rest, bounded in bytes (request-buffer-bytes) and in time (client-body-timeout).
            c.discardBody = true;
            c.lingerUntil = System.nanoTime() + px.config.clientBodyTimeout().toNanos();
            if (c.bodyTimer == null) {
                armBodyTimer(c);
            }
            if (c.discarded > px.config.requestBufferBytes()) {
                unfinishedBody(c);
                return;
            }
            updateAutoRead();
        }
    }

    private void endCall() {
        Call c = call;
        if (c != null && c.bodyTimer != null) {
            c.bodyTimer.cancel(false);
        }
        call = null;
        if (px.draining) {
            client.close();
            return;
        }
        if (!replaying) {
            replaying = true;
            try {
                while (!pipelined.isEmpty() && (call == null || !call.requestComplete) && client.isActive()) {
                    handle(pipelined.pollFirst());
                }
            } finally {
                replaying = false;
            }
        }
        updateAutoRead();
    }

    /** Closes the connection now if no call is in flight; otherwise after the current response. */
    void closeWhenIdle() {
        if (call == null) {
            client.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && call == null) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Call c = call;
        if (headerTimer != null) {
            headerTimer.cancel(false);
        }
        if (responseTimer != null) {
            responseTimer.cancel(false);
        }
        if (c != null) {
            if (c.bodyTimer != null) {
                c.bodyTimer.cancel(false);
            }
            if (c.queued != null) {
                c.queued.forEach(ReferenceCountUtil::release);
                c.queued.clear();
            }
            abortUpstream(c);
            if (c.admission != null) {
                settle(c, Outcome.CANCELLED);
            }
            call = null;
        }
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelErrors.caught(px.pipeline.internalErrors(), cause);
        ctx.close(); // nothing to tell a client that is gone; channelInactive settles its call
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s + "\n", StandardCharsets.UTF_8);
    }

    private static ByteBuf json(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
