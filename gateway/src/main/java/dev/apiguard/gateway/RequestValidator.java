package dev.apiguard.gateway;

import java.util.Iterator;

import dev.apiguard.routes.CanonicalPath;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks each request head as strictly as nginx before anything routes or forwards it, and puts its
 * target into canonical form ({@link CanonicalPath}), so that the breaker judges, and the backend
 * receives, one spelling per resource. A refused request is marked (its decoder result becomes a
 * {@link RequestRejected}) and passed on, so that {@link FrontendHandler} answers it in order and
 * closes; every later message on the connection is dropped here, unread by anyone: bytes after a
 * refused head cannot be trusted to be where the client says (request smuggling).
 *
 * <p>One instance per connection; runs on the connection's event loop.
 */
final class RequestValidator extends ChannelInboundHandlerAdapter {
    private final CanonicalPath canonical;
    private final GatewayConfig.PathPolicy policy;
    private boolean refused;

    RequestValidator(CanonicalPath canonical, GatewayConfig.PathPolicy policy) {
        this.canonical = canonical;
        this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                refused = true; // the codec refused it; FrontendHandler answers and closes
            } else {
                RequestRejected rejection = check(request);
                if (rejection != null) {
                    refused = true;
                    request.setDecoderResult(DecoderResult.failure(rejection));
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Null when the request may go on (its target then canonical); otherwise why not. */
    RequestRejected check(HttpRequest request) {
        String method = request.method().name();
        HttpVersion version = request.protocolVersion();
        String uri = request.uri();
        if (method.equals("PRI")) {
            return bad("h2_preface", "the HTTP/2 connection preface: this gateway speaks HTTP/1.1 only");
        }
        if (!version.protocolName().equals("HTTP")) {
            return bad("bad_version", "not an HTTP request");
        }
        if (version.majorVersion() != 1) {
            return new RequestRejected(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported_version",
                    "HTTP/" + version.majorVersion() + "." + version.minorVersion() + " is not supported; use HTTP/1.1");
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return notAllowed("connect", "CONNECT: this gateway is not a forward proxy");
        }
        if (request.method().equals(HttpMethod.TRACE)) {
            return notAllowed("trace", "TRACE is not allowed");
        }
        // An iterator, not getAll(): no list per request.
        Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
        String host = hosts.hasNext() ? hosts.next() : null;
        if (host != null && hosts.hasNext()) {
            return bad("duplicate_host", "more than one Host header");
        }
        if (host == null && version.minorVersion() >= 1) {
            return bad("missing_host", "an HTTP/1.1 request without a Host header");
        }
        if (host != null && !validHost(host)) {
            return bad("bad_host", "an invalid Host header");
        }
        String target = uri;
        int schemeEnd = absoluteFormSchemeEnd(uri);
        if (schemeEnd > 0) {
            // absolute-form: its authority is the host (RFC 9112 3.2.2, as nginx), the rest origin-form
            int authorityEnd = schemeEnd;
            while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            String authority = uri.substring(schemeEnd, authorityEnd);
            if (authority.indexOf('@') >= 0 || !validHost(authority)) {
                return bad("bad_authority", "an absolute-form target with an empty or invalid authority");
            }
            request.headers().set("Host", authority); // replaces any Host header, whatever its case
            String rest = uri.substring(authorityEnd);
            target = rest.isEmpty() || rest.charAt(0) != '/' ? "/" + (rest.startsWith("#") ? "" : rest) : rest;
        } else if (uri.isEmpty() || uri.charAt(0) != '/') {
            return bad("bad_target", "the request target must start with '/'");
        }
        return switch (canonical.of(target)) {
            case CanonicalPath.Refused r -> bad(r.reason().label(), r.detail());
            case CanonicalPath.Canonical c -> {
                String normalized = c.query() == null ? c.path() : c.path() + "?" + escapeNonAscii(c.query());
                if (policy == GatewayConfig.PathPolicy.REFUSE && !normalized.equals(target)) {
                    yield bad("not_normalized", "the path is not in canonical form; send " + c.path());
                }
                request.setUri(normalized);
                yield null;
            }
        };
    }

    /**
     * The query as sent, but raw bytes above 0x7F escaped: the request line is read as Latin-1 and
     * would be written back as UTF-8, changing those bytes; escaped, the backend decodes the same bytes.
     */
    static String escapeNonAscii(String query) {
        StringBuilder out = null;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c >= 0x80) {
                if (out == null) {
                    out = new StringBuilder(query.length() + 16).append(query, 0, i);
                }
                int b = c & 0xff; // a char from the Latin-1 request line is one byte
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? query : out.toString();
    }

    /** The index after {@code http://} or {@code https://} (any case), or -1. */
    private static int absoluteFormSchemeEnd(String uri) {
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (uri.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }

    /** host[:port]: a reg-name, IPv4 or [IPv6] with an optional port, no '..' (as nginx checks it). */
    static boolean validHost(String host) {
        if (host.isEmpty() || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:[]%".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static RequestRejected bad(String reason, String message) {
        return new RequestRejected(HttpResponseStatus.BAD_REQUEST, reason, message);
    }

    private static RequestRejected notAllowed(String reason, String message) {
        return new RequestRejected(HttpResponseStatus.METHOD_NOT_ALLOWED, reason, message);
    }
}
