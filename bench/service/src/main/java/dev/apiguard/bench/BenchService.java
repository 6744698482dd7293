package dev.apiguard.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small JSON API, the "application" the benchmarks instrument: JDK HttpServer, Jackson, about 1 KiB per response.
 * <pre>
 *   GET  /api/items/{id}        one item (1..1000), 404 otherwise
 *   GET  /api/items?limit=N     the first N item summaries (1..100, default 20)
 *   POST /api/orders            {"itemId":1,"quantity":2,"customer":"c-1"} → 201 with the order
 * </pre>
 * Usage: {@code java -jar bench-service.jar PORT [THREADS=8]}; listens on 127.0.0.1 only.
 */
public final class BenchService {
  private static final int MAX_BODY = 16 * 1024;

  private final Catalog catalog = new Catalog();
  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) usage("expected PORT [THREADS]");
    int port = intArg(args[0], "PORT", 1, 65535);
    int threads = args.length > 1 ? intArg(args[1], "THREADS", 1, 512) : 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    var service = new BenchService();
    server.createContext("/api/items", service::items);
    server.createContext("/api/orders", service::orders);
    server.createContext("/", ex -> service.send(ex, 404, new Catalog.Problem("not_found", "no such route")));
    server.setExecutor(pool);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { server.stop(0); pool.shutdownNow(); }));
    System.out.println("bench-service listening on 127.0.0.1:" + port + " with " + threads + " threads");
  }

  private void items(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("GET")) { send(ex, 405, new Catalog.Problem("method_not_allowed", "use GET")); return; }
    String path = ex.getRequestURI().getPath();
    if (path.equals("/api/items") || path.equals("/api/items/")) {
      Integer limit = limit(ex.getRequestURI().getRawQuery());
      if (limit == null) send(ex, 400, new Catalog.Problem("validation", "limit must be 1.." + Catalog.MAX_LIMIT));
      else send(ex, 200, catalog.page(limit));
      return;
    }
    Catalog.Item item = null;
    try {
      item = catalog.item(Long.parseLong(path.substring("/api/items/".length())));
    } catch (NumberFormatException | IndexOutOfBoundsException notAnId) {
      // falls through to 404: the path is not /api/items/<number>
    }
    if (item == null) send(ex, 404, new Catalog.Problem("not_found", "no such item"));
    else send(ex, 200, item);
  }

  private void orders(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) { send(ex, 405, new Catalog.Problem("method_not_allowed", "use POST")); return; }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) { body = in.readNBytes(MAX_BODY + 1); }
    if (body.length > MAX_BODY) { send(ex, 413, new Catalog.Problem("too_large", "body over " + MAX_BODY + " bytes")); return; }
    Catalog.OrderRequest request;
    try {
      request = json.readValue(body, Catalog.OrderRequest.class);
    } catch (JsonProcessingException e) {
      send(ex, 400, new Catalog.Problem("validation", "body is not an order: " + e.getOriginalMessage()));
      return;
    }
    if (request.quantity() < 1 || request.quantity() > 1000) {
      send(ex, 400, new Catalog.Problem("validation", "quantity must be 1..1000"));
      return;
    }
    Catalog.Order order = catalog.order(request);
    if (order == null) send(ex, 404, new Catalog.Problem("not_found", "no such item"));
    else send(ex, 201, order);
  }

  /** The limit query parameter, default 20; null when it is not a number in 1..MAX_LIMIT. */
  static Integer limit(String rawQuery) {
    if (rawQuery == null) return 20;
    for (String pair : rawQuery.split("&")) {
      if (!pair.startsWith("limit=")) continue;
      try {
        int n = Integer.parseInt(pair.substring(6));
        return n >= 1 && n <= Catalog.MAX_LIMIT ? n : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return 20;
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);   // serialised per request on purpose: that is the work being measured
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);  // fixed length, never chunked
    try (var out = ex.getResponseBody()) { out.write(bytes); }
  }

  private static int intArg(String s, String name, int min, int max) {
    try {
      int v = Integer.parseInt(s);
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    usage(name + " must be a number in " + min + ".." + max + ", got '" + s + "'");
    return 0;
  }

  private static void usage(String why) {
    System.err.println("bench-service: " + why + "\nusage: java -jar bench-service.jar PORT [THREADS=8]");
    System.exit(2);
  }
}
