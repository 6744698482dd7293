package dev.apiguard.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop, fixed-rate HTTP/1.1 load generator (Debian has wrk but not wrk2).
 * Each of C keep-alive connections sends at its own fixed schedule (rate/C, staggered); latency is measured
 * from the <em>intended</em> send time, so a slow response delays later sends and that wait is counted
 * (no coordinated omission), like wrk2. The service time (from the actual send) is reported too.
 * <pre>
 * java -cp bench-service.jar dev.apiguard.bench.FixedRateLoad URL RATE SECONDS [CONNECTIONS=4] [MIX=api|get] [WARMUP=2]
 * </pre>
 * WARMUP seconds of the same schedule run first and are not recorded (both JITs warm up).
 * MIX {@code api} cycles the bench service's routes (6 item reads, 2 list reads, 2 order posts in 10);
 * {@code get} repeats a GET of URL's path. Prints one line of key=value pairs, latencies in microseconds.
 */
public final class FixedRateLoad {
  private static final int MAX_SAMPLES = 5_000_000;     // bound on memory: 2 longs per sample
  private static final int MAX_RESPONSE = 1 << 20;

  record Result(long[] corrected, long[] service, int count, long errors, long non2xx, long late) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 6) usage("expected URL RATE SECONDS [CONNECTIONS] [MIX] [WARMUP]");
    URI uri;
    try { uri = URI.create(args[0]); } catch (IllegalArgumentException e) { usage("bad URL: " + args[0]); return; }
    if (uri.getHost() == null || uri.getPort() < 1) usage("URL needs host and port: " + args[0]);
    double rate = number(args[1], "RATE", 1, 1_000_000);
    double seconds = number(args[2], "SECONDS", 0.1, 3600);
    int conns = (int) number(args.length > 3 ? args[3] : "4", "CONNECTIONS", 1, 256);
    String mix = args.length > 4 ? args[4] : "api";
    if (!mix.equals("api") && !mix.equals("get")) usage("MIX must be api or get");
    double warmup = number(args.length > 5 ? args[5] : "2", "WARMUP", 0, 600);
    String host = uri.getHost() + ":" + uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    byte[][] requests = mix.equals("api") ? apiMix(host) : new byte[][] {get(host, path)};

    long perConn = (long) Math.ceil(rate * seconds / conns) + 1;
    int capacity = (int) Math.min(perConn, MAX_SAMPLES / conns);
    long intervalNs = (long) (1e9 * conns / rate);
    long start = System.nanoTime() + 50_000_000L;
    long measureFrom = start + (long) (warmup * 1e9);   // sent at the same rate before this, not recorded
    long end = measureFrom + (long) (seconds * 1e9);
    var addr = new InetSocketAddress(uri.getHost(), uri.getPort());
    List<Thread> threads = new ArrayList<>();
    Result[] results = new Result[conns];
    for (int c = 0; c < conns; c++) {
      int id = c;
      long first = start + intervalNs * c / conns;    // stagger the connections evenly over one interval
      threads.add(Thread.ofPlatform().name("load-" + c).start(() ->
          results[id] = run(addr, requests, id, first, intervalNs, measureFrom, end, capacity)));
    }
    for (Thread t : threads) t.join();
    report(results, rate, seconds);
  }

  private static Result run(InetSocketAddress addr, byte[][] requests, int id, long first, long intervalNs,
                            long measureFrom, long end, int capacity) {
    long[] corrected = new long[capacity];
    long[] service = new long[capacity];
    int n = 0;
    long errors = 0, non2xx = 0, late = 0;
    Socket socket = null;
    InputStream in = null;   // buffered once per connection: the header parser reads byte by byte
    int k = id;
    for (long intended = first; intended < end && n < capacity && errors < 1000; intended += intervalNs, k++) {
      long now = System.nanoTime();
      if (now < intended) { LockSupport.parkNanos(intended - now); now = System.nanoTime(); }
      boolean measured = intended >= measureFrom;
      if (measured && now - intended > 1_000_000) late++;
      try {
        if (socket == null) { socket = connect(addr); in = new BufferedInputStream(socket.getInputStream(), 16384); }
        long sent = System.nanoTime();
        OutputStream out = socket.getOutputStream();
        out.write(requests[k % requests.length]);
        out.flush();
        int status = readResponse(in);
        long done = System.nanoTime();
        if (!measured) continue;
        if (status < 200 || status > 299) non2xx++;
        corrected[n] = done - intended;
        service[n] = done - sent;
        n++;
      } catch (IOException | NumberFormatException e) {   // a broken response costs the connection, counted
        errors++;
        close(socket);
        socket = null;
      }
    }
    close(socket);
    return new Result(corrected, service, n, errors, non2xx, late);
  }

  private static Socket connect(InetSocketAddress addr) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(addr, 2000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Reads one response (Content-Length or chunked body) and returns its status. */
  static int readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) throw new IOException("not an HTTP/1.x response: " + statusLine);
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon <= 0) continue;
      String name = h.substring(0, colon).trim();
      if (name.equalsIgnoreCase("content-length")) length = Long.parseLong(h.substring(colon + 1).trim());
      else if (name.equalsIgnoreCase("transfer-encoding")) chunked = h.toLowerCase().contains("chunked");
    }
    if (chunked) {
      for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
        if (size > MAX_RESPONSE) throw new IOException("oversized chunk: " + size);
        in.skipNBytes(size);
        line(in);
      }
      while (!line(in).isEmpty()) { /* trailers */ }
      return status;
    }
    if (length < 0 || length > MAX_RESPONSE) throw new IOException("missing or oversized Content-Length: " + length);
    in.skipNBytes(length);
    return status;
  }

  private static String line(InputStream in) throws IOException {
    var sb = new StringBuilder(64);
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) throw new IOException("connection closed");
      if (b != '\r') sb.append((char) b);
      if (sb.length() > 8192) throw new IOException("header line too long");
    }
    return sb.toString();
  }

  private static void report(Result[] results, double rate, double seconds) {
    int total = 0;
    long errors = 0, non2xx = 0, late = 0;
    for (Result r : results) { total += r.count(); errors += r.errors(); non2xx += r.non2xx(); late += r.late(); }
    long[] corrected = new long[total], service = new long[total];
    int at = 0;
    for (Result r : results) {
      System.arraycopy(r.corrected(), 0, corrected, at, r.count());
      System.arraycopy(r.service(), 0, service, at, r.count());
      at += r.count();
    }
    Arrays.sort(corrected);
    Arrays.sort(service);
    System.out.printf("requests=%d target_rate=%.0f achieved_rate=%.0f errors=%d non2xx=%d late_sends=%d "
            + "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f svc_p50_us=%.1f svc_p99_us=%.1f%n",
        total, rate, total / seconds, errors, non2xx, late,
        pct(corrected, 50), pct(corrected, 90), pct(corrected, 99), pct(corrected, 99.9),
        total == 0 ? 0 : corrected[total - 1] / 1e3, pct(service, 50), pct(service, 99));
    if (total == 0) System.exit(1);
  }

  /** Nearest-rank percentile, in microseconds. */
  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3;
  }

  private static byte[][] apiMix(String host) {
    var list = new ArrayList<byte[]>();
    for (int i = 0; i < 60; i++) {   // 60 requests: 36 item reads over varied ids, 12 list reads, 12 order posts
      switch (i % 10) {
        case 6, 7 -> list.add(get(host, "/api/items?limit=20"));
        case 8, 9 -> list.add(post(host, "/api/orders",
            "{\"itemId\":" + (1 + (i * 37) % 1000) + ",\"quantity\":" + (1 + i % 3) + ",\"customer\":\"c-" + i + "\"}"));
        default -> list.add(get(host, "/api/items/" + (1 + (i * 7919) % 1000)));
      }
    }
    return list.toArray(byte[][]::new);
  }

  private static byte[] get(String host, String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] post(String host, String path, String body) {
    return ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  private static void close(Socket s) {
    if (s == null) return;
    try { s.close(); } catch (IOException ignored) { /* closing anyway */ }
  }

  private static double number(String s, String name, double min, double max) {
    try {
      double v = Double.parseDouble(s);
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException ignored) { /* reported below */ }
    usage(name + " must be a number in " + min + ".." + max + ", got '" + s + "'");
    return 0;
  }

  private static void usage(String why) {
    System.err.println("fixed-rate-load: " + why
        + "\nusage: java -cp bench-service.jar dev.apiguard.bench.FixedRateLoad URL RATE SECONDS [CONNECTIONS=4] [MIX=api|get] [WARMUP=2]");
    System.exit(2);
  }
}
