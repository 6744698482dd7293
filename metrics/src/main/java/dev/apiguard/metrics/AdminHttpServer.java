package dev.apiguard.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

    /** What a handler sees of a request. */
    public record Request(String method, String path, Map<String, String> query, byte[] body) {
        public String param(String name, String defaultValue) {
            return query.getOrDefault(name, defaultValue);
        }
    }

    /** What a handler answers. */
    public record Response(int status, String contentType, byte[] body) {
        public static Response json(String json) {
            return new Response(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;

    private AdminHttpServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one).
     *
     * @throws IOException with a message naming the address when it cannot bind
     */
    public static AdminHttpServer start(String host, int port, Map<String, Function<Request, Response>> routes)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        routes.forEach((path, handler) -> server.createContext(path, exchange -> serve(exchange, handler)));
        server.start();
        return new AdminHttpServer(server);
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

    private static void serve(HttpExchange exchange, Function<Request, Response> handler) throws IOException {
        Response response;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(1 << 20);
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    QueryString.parse(exchange.getRequestURI().getRawQuery()),
                    body);
            response = handler.apply(request);
        } catch (RuntimeException e) {
            response = Response.text(500, "internal error: " + e.getClass().getSimpleName() + "\n");
        }
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
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
