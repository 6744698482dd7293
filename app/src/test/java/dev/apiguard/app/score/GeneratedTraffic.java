package dev.apiguard.app.score;

import java.io.IOException;
import java.util.Map;

import dev.apiguard.http.Exchange;
import dev.apiguard.http.Side;
import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminHttpServer.Response;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.MetricsText;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A metrics target for Prometheus to scrape: an ApiMetrics registry fed with generated exchanges,
 * served on /metrics. Prometheus only sees {@link #hostPort()}, so a real {@code ./apiguard agent}
 * under real traffic can take its place.
 *
 * <p>Endpoints of service {@code shop} ({@link #mainTraffic()}):
 * <ul>
 *   <li>{@code /api/products}: 1000 fast 200s, clean;
 *   <li>{@code /checkout/pay}: 1000, of which 100 are silent-200 payment failures (critical);
 *   <li>{@code /api/search}: 1000, 3% 5xx, 2% medium validation errors, 2% taking 0.6 s;
 *   <li>{@code /health}: 10, too few to score.
 * </ul>
 */
public final class GeneratedTraffic implements AutoCloseable {
    public static final String SERVICE = "shop";
    public static final String PRODUCTS = "/api/products";
    public static final String PAY = "/checkout/pay";
    public static final String SEARCH = "/api/search";
    public static final String HEALTH = "/health";
    /** 100 − 3% × 1.5 − 2% × 6 − latency (p99 0.625 s vs 0.5 s: 25% over × 25 = 6.25). */
    public static final double SEARCH_SCORE = 77.25;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ApiMetrics metrics = new ApiMetrics(registry);
    private final AdminHttpServer server;

    public GeneratedTraffic() throws IOException {
        server = AdminHttpServer.start("127.0.0.1", 0,
                Map.of("/metrics", r -> new Response(200, MetricsText.CONTENT_TYPE, MetricsText.render(registry))));
    }

    public String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** One of every series, so that Prometheus has a first sample of each before the main traffic. */
    public void warmUp() {
        for (String path : new String[] {PRODUCTS, PAY, SEARCH, HEALTH}) {
            record(path, 1, 200, 0.01, new Verdict.Ok(true));
        }
        record(PAY, 1, 200, 0.01, new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL, true));
        record(SEARCH, 1, 503, 0.01, new Verdict.Ok(false));
        record(SEARCH, 1, 200, 0.01, new Verdict.BusinessError(ErrorType.VALIDATION, Severity.MEDIUM, true));
    }

    public void mainTraffic() {
        record(PRODUCTS, 1000, 200, 0.02, new Verdict.Ok(true));
        record(PAY, 900, 200, 0.03, new Verdict.Ok(true));
        record(PAY, 100, 200, 0.03, new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL, true));
        record(SEARCH, 930, 200, 0.02, new Verdict.Ok(true));
        record(SEARCH, 30, 503, 0.02, new Verdict.Ok(false));
        record(SEARCH, 20, 200, 0.02, new Verdict.BusinessError(ErrorType.VALIDATION, Severity.MEDIUM, true));
        record(SEARCH, 20, 200, 0.6, new Verdict.Ok(true));
        record(HEALTH, 10, 200, 0.001, new Verdict.Ok(true));
    }

    private void record(String path, int n, int status, double seconds, Verdict verdict) {
        for (int i = 0; i < n; i++) {
            Exchange e = new Exchange(SERVICE, Side.SERVER, "POST", path, status, 0, (long) (seconds * 1e9), 200, 300,
                    "application/json", null, new byte[0], false, null);
            metrics.record(e, path, verdict);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
