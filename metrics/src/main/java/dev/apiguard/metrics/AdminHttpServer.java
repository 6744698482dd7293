package dev.apiguard.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP server for /metrics, JSON APIs and the dashboard. Loopback by default, one virtual
 * thread per request. Handlers get the request and return a {@link Response}; an exception in a
 * handler becomes a 500 with one line, never a stack trace on the wire.
 */
public final class AdminHttpServer implements AutoCloseable {

    /**
     * What a handler sees of a request.
     *
     * @param headers the first value of each header, names in lower case
     * @param peer the client's address, {@code ip:port}
     */
    public record Request(String method, String path, Map<String, String> query, byte[] body,
            Map<String, String> headers, String peer) {
        public Request(String method, String path, Map<String, String> query, byte[] body) {
            this(method, path, query, body, Map.of(), "unknown");
        }

        public String param(String name, String defaultValue) {
            return query.getOrDefault(name, defaultValue);
        }

        /** A header's first value, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes a body straight to the client, for answers too large to hold as one array (/metrics). */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * What a handler answers; {@code headers} are extra response headers. With a {@code writer}, the
     * body is what it writes, sent chunked as it is written ({@code body} is then empty): the answer is
     * never held whole in memory. Whatever can fail should fail in the handler, before: once the status
     * is sent, a failure can only cut the answer short.
     */
    public record Response(int status, String contentType, byte[] body, Map<String, String> headers, BodyWriter writer) {
        public Response(int status, String contentType, byte[] body, Map<String, String> headers) {
            this(status, contentType, body, headers, null);
        }

        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }

        /** A 200 whose body {@code writer} writes as it is sent. */
        public static Response streamed(String contentType, BodyWriter writer) {
            return new Response(200, contentType, new byte[0], Map.of(), java.util.Objects.requireNonNull(writer));
        }

        public static Response json(String json) {
            return new Response(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final System.Logger AUDIT = System.getLogger("apiguard.admin");
    /** A streamed body goes out in writes of this size (each one chunk). */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private final HttpServer server;
    private final SameOrigin sameOrigin; // null: no Host/Origin check

    private AdminHttpServer(HttpServer server, SameOrigin sameOrigin) {
        this.server = server;
        this.sameOrigin = sameOrigin;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one).
     *
     * @throws IOException with a message naming the address when it cannot bind
     */
    public static AdminHttpServer start(String host, int port, Map<String, Function<Request, Response>> routes)
            throws IOException {
        return start(host, port, routes, null);
    }

    /**
     * Binds {@code host:port} and answers 403 to any request whose {@code Host} is not the listen
     * address, or whose {@code Origin} (when sent) is not this server's own origin: a web page on
     * another site, or on a DNS name rebound to this address, gets nothing.
     *
     * @param extraHosts further names clients may use ({@code name} or {@code name:port}); null for
     *     no Host/Origin check at all
     */
    public static AdminHttpServer start(String host, int port, Map<String, Function<Request, Response>> routes,
            java.util.List<String> extraHosts) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
        SameOrigin check = extraHosts == null ? null : new SameOrigin(host, server.getAddress(), extraHosts);
        AdminHttpServer admin = new AdminHttpServer(server, check);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        routes.forEach((path, handler) -> server.createContext(path, exchange -> admin.serve(exchange, handler)));
        server.start();
        return admin;
    }

    /** Adds an endpoint to a running server (for stages started after it). */
    public void route(String path, Function<Request, Response> handler) {
        server.createContext(path, exchange -> serve(exchange, handler));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void serve(HttpExchange exchange, Function<Request, Response> handler) throws IOException {
        Response response;
        try (InputStream in = exchange.getRequestBody()) {
            String refused = sameOrigin == null ? null : sameOrigin.refusal(
                    exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("Origin"));
            if (refused != null) {
                response = Response.text(403, refused + "\n");
                String method = exchange.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    AUDIT.log(System.Logger.Level.WARNING, "refused " + method + " " + exchange.getRequestURI().getRawPath()
                            + " from " + peer(exchange) + " -> 403 (" + refused + ")");
                }
            } else {
                byte[] body = in.readNBytes(1 << 20);
                Map<String, String> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!values.isEmpty()) {
                        headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
                    }
                });
                Request request = new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        QueryString.parse(exchange.getRequestURI().getRawQuery()),
                        body, Map.copyOf(headers), peer(exchange));
                response = handler.apply(request);
            }
        } catch (RuntimeException e) {
            response = Response.text(500, "internal error: " + e.getClass().getSimpleName() + "\n");
        }
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (response.writer() != null) {
            exchange.sendResponseHeaders(response.status(), head ? -1 : 0); // 0: chunked, as it is written
            if (!head) {
                try (OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), STREAM_BUFFER_BYTES)) {
                    response.writer().writeTo(out);
                }
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
        exchange.close();
    }

    private static String peer(HttpExchange exchange) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null ? "unknown" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * The Host and Origin a client of this listen address may send. A DNS-rebinding page reaches the
     * address under its own DNS name, and a cross-site page sends its own Origin: both are refused.
     * IP literals cannot be rebound, so a wildcard listen accepts any IP literal with its port.
     */
    static final class SameOrigin {
        private final InetAddress bound;
        private final int port;
        private final java.util.Set<String> names = new java.util.HashSet<>();

        /** @param listenHost the host as configured: a name there is a name clients may use */
        SameOrigin(String listenHost, InetSocketAddress listen, java.util.List<String> extraHosts) {
            this.bound = listen.getAddress();
            this.port = listen.getPort();
            if (ipLiteral(listenHost.toLowerCase(Locale.ROOT)) == null && !listenHost.isBlank()) {
                names.add(listenHost.toLowerCase(Locale.ROOT) + ":" + port);
            }
            if (bound.isLoopbackAddress() || bound.isAnyLocalAddress()) {
                names.add("localhost:" + port);
            }
            for (String h : extraHosts) {
                String name = h.strip().toLowerCase(Locale.ROOT);
                names.add(name.contains(":") ? name : name + ":" + port);
            }
        }

        /** Null when allowed, else why not. */
        String refusal(String host, String origin) {
            if (host == null || !allows(host)) {
                return "Host '" + host + "' is not this server's listen address";
            }
            if (origin != null) {
                URI uri;
                try {
                    uri = new URI(origin.strip());
                } catch (URISyntaxException e) {
                    uri = null;
                }
                if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null
                        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                        || !allows(uri.getRawAuthority())) {
                    return "Origin '" + origin + "' is not this server's origin";
                }
            }
            return null;
        }

        boolean allows(String authority) {
            String a = authority.strip().toLowerCase(Locale.ROOT);
            String host;
            int p = 80;
            int colon;
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                if (close < 0) {
                    return false;
                }
                host = a.substring(1, close);
                colon = close + 1 < a.length() && a.charAt(close + 1) == ':' ? close + 1 : -1;
                if (colon < 0 && close + 1 != a.length()) {
                    return false;
                }
            } else {
                colon = a.lastIndexOf(':');
                host = colon < 0 ? a : a.substring(0, colon);
                if (host.contains(":")) {
                    return false; // an unbracketed IPv6 literal is not a valid Host
                }
            }
            if (colon >= 0) {
                try {
                    p = Integer.parseInt(a.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            if (p != port || host.isEmpty()) {
                return names.contains(host + ":" + p);
            }
            InetAddress ip = ipLiteral(host);
            if (ip == null) {
                return names.contains(host + ":" + p);
            }
            return bound.isAnyLocalAddress() || ip.equals(bound) || (bound.isLoopbackAddress() && ip.isLoopbackAddress());
        }

        /** The address a literal names, without any DNS look-up; null for a name. */
        private static InetAddress ipLiteral(String host) {
            if (!host.contains(":") && !host.matches("[0-9.]+")) {
                return null;
            }
            try {
                return InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** Minimal query-string parsing (application/x-www-form-urlencoded). */
    static final class QueryString {
        private QueryString() {}

        static Map<String, String> parse(String raw) {
            if (raw == null || raw.isEmpty()) {
                return Map.of();
            }
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                out.putIfAbsent(decode(k), decode(v));
            }
            return Map.copyOf(out);
        }

        private static String decode(String s) {
            try {
                return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return s;
            }
        }
    }
}
