package dev.apiguard.score;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.apiguard.metrics.MetricsText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Pushes a registry to a Pushgateway: HTTP PUT of the text format to {@code URL/metrics/job/apiguard},
 * replacing the group each time. Failures are counted ({@code apiguard_scorer_push_errors_total})
 * and logged once per outage; they never stop scoring.
 */
public final class PushgatewayPublisher {
    private static final System.Logger LOG = System.getLogger(PushgatewayPublisher.class.getName());

    private final URI target;
    private final HttpClient http;
    private final Duration timeout;
    private final Counter errors;
    private boolean failing;

    /**
     * @param pushgateway base URL, e.g. {@code http://127.0.0.1:9091}
     * @param selfMetrics where the error counter goes
     */
    public PushgatewayPublisher(URI pushgateway, HttpClient http, Duration timeout, PrometheusRegistry selfMetrics) {
        WindowSources.checkHttpUrl(pushgateway, "Pushgateway URL");
        String path = pushgateway.getPath() == null ? "" : pushgateway.getPath();
        this.target = pushgateway.resolve((path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/metrics/job/apiguard");
        this.http = http;
        this.timeout = timeout;
        this.errors = Counter.builder()
                .name("apiguard_scorer_push_errors_total")
                .help("Pushes to the Pushgateway that failed")
                .register(selfMetrics);
    }

    public URI target() {
        return target;
    }

    /** Pushes the registry's current text; true on success. */
    public synchronized boolean push(PrometheusRegistry registry) {
        String why;
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(target)
                            .timeout(timeout)
                            .header("Content-Type", MetricsText.CONTENT_TYPE)
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(MetricsText.render(registry)))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                if (failing) {
                    failing = false;
                    LOG.log(Level.INFO, "pushes to " + target + " work again");
                }
                return true;
            }
            why = "HTTP " + response.statusCode();
        } catch (IOException e) {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        errors.inc();
        if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, "cannot push to " + target + " (" + why + "); will retry every evaluation");
        }
        return false;
    }
}
