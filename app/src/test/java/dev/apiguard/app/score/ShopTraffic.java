package dev.apiguard.app.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;

/**
 * A real shop (score_shop.py, process name {@code shop}) and real clients (curl) for the scorer's
 * integration test. Every answer is chosen by the query string, so the traffic is exact.
 *
 * <p>Endpoints of service {@code shop} ({@link #mainTraffic()}):
 * <ul>
 *   <li>{@code /api/products}: 1000 fast 200s, clean;
 *   <li>{@code /checkout/pay}: 1000, of which 100 are silent-200 payment failures (critical);
 *   <li>{@code /api/search}: 1000, 30 answered 503, 20 medium validation errors, 20 taking 0.6 s;
 *   <li>{@code /health}: 10, too few to score.
 * </ul>
 */
public final class ShopTraffic implements AutoCloseable {
    public static final String SERVICE = "shop";
    public static final String PRODUCTS = "/api/products";
    public static final String PAY = "/checkout/pay";
    public static final String SEARCH = "/api/search";
    public static final String HEALTH = "/health";
    /**
     * 100 − 3% × 1.5 − 2% × 6 − latency (p99 0.625 s vs 0.5 s: 25% over × 25 = 6.25), when every
     * fast request is under 0.5 s and every slow one is in the 0.5–0.75 s bucket.
     */
    public static final double SEARCH_SCORE = 77.25;

    /**
     * What the agent must count for some traffic: "path status_class" → requests (server side, GET),
     * and path → business errors.
     */
    public record Counts(Map<String, Long> requests, Map<String, Long> businessErrors) {}

    private final TestProcesses processes;
    private final int port;
    private int files;

    public ShopTraffic() throws IOException {
        Path python = RealParts.requireBinary("python3");
        RealParts.requireBinary("curl");
        processes = new TestProcesses();
        port = Ports.free();
        try {
            ProcessBuilder shop = new ProcessBuilder(python.toString(),
                    processes.resource("traffic/score_shop.py").toString(), String.valueOf(port), SERVICE);
            shop.environment().put("OTEL_SERVICE_NAME", SERVICE); // else the agent names it by its script
            processes.start(shop);
            Ports.awaitListening(port, Duration.ofSeconds(15));
        } catch (IOException | RuntimeException | Error e) {
            processes.close();
            throw e;
        }
    }

    /** The shop's port: the agent captures only this one. */
    public int port() {
        return port;
    }

    /** One of every kind, so that Prometheus has a first sample of each series before the main traffic. */
    public Counts warmUp() throws IOException, InterruptedException {
        List<String> urls = List.of(PRODUCTS, PAY, PAY + "?fail=1", SEARCH, SEARCH + "?status=503",
                SEARCH + "?invalid=1", HEALTH);
        curl(urls, 1);
        return counts(1, 2, 2, 1, 1, 1, 1);
    }

    public Counts mainTraffic() throws IOException, InterruptedException {
        // Interleaved, so that every endpoint's mix is the same at any point of the run: the
        // Prometheus scorer evaluates every second while this runs, and a state once taken only
        // moves after the dwell time.
        List<String> fast = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fast.add(PRODUCTS);
            fast.add(i % 10 == 9 ? PAY + "?fail=1" : PAY);                       // 100 of 1000
            if (i < 980) {
                int j = i % 98;
                fast.add(j == 10 || j == 40 || j == 70 ? SEARCH + "?status=503"  // 30 of 980
                        : j == 25 || j == 55 ? SEARCH + "?invalid=1"            // 20 of 980
                        : SEARCH);
            }
            if (i % 100 == 50) {
                fast.add(HEALTH);                                                 // 10
            }
        }
        curl(fast, 1);
        // 20 × 0.6 s in parallel: the test stays short.
        List<String> slow = new ArrayList<>();
        repeat(slow, SEARCH + "?slow=1", 20);
        curl(slow, 20);
        return counts(1000, 1000, 970, 30, 10, 100, 20);
    }

    private static Counts counts(long products, long pay, long search2xx, long search5xx, long health,
            long payFailures, long searchInvalid) {
        Map<String, Long> requests = new LinkedHashMap<>();
        requests.put(PRODUCTS + " 2xx", products);
        requests.put(PAY + " 2xx", pay);
        requests.put(SEARCH + " 2xx", search2xx);
        requests.put(SEARCH + " 5xx", search5xx);
        requests.put(HEALTH + " 2xx", health);
        return new Counts(requests, Map.of(PAY, payFailures, SEARCH, searchInvalid));
    }

    private static void repeat(List<String> into, String pathAndQuery, int n) {
        for (int i = 0; i < n; i++) {
            into.add(pathAndQuery);
        }
    }

    /**
     * One curl for all the URLs: sequentially they share one keep-alive connection; with
     * {@code parallel} > 1 that many run at once.
     */
    private void curl(List<String> pathsAndQueries, int parallel) throws IOException, InterruptedException {
        StringBuilder config = new StringBuilder();
        for (String p : pathsAndQueries) {
            config.append("url = \"http://127.0.0.1:").append(port).append(p).append("\"\noutput = \"/dev/null\"\n");
        }
        Path file = processes.workDir().resolve("urls-" + files++ + ".txt");
        Files.writeString(file, config);
        List<String> args = new ArrayList<>(List.of("--fail-early", "-K", file.toString()));
        if (parallel > 1) {
            args.addAll(List.of("--parallel", "--parallel-max", String.valueOf(parallel)));
        }
        processes.curl(args.toArray(String[]::new));
    }

    @Override
    public void close() {
        processes.close();
    }
}
