package dev.apiguard.score;

import java.net.URI;
import java.net.http.HttpClient;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The two places windowed traffic can come from. */
public final class WindowSources {
    private WindowSources() {}

    /**
     * The contract families of a registry in this process ({@code api_http_requests_total},
     * {@code api_http_duration_seconds}, {@code api_business_errors_total}), windowed by a ring of
     * {@code window/interval} reads: call {@link WindowSource#read} once per interval.
     */
    public static WindowSource embedded(PrometheusRegistry registry, ScoreConfig config) {
        return new EmbeddedWindowSource(registry, config);
    }

    /**
     * PromQL over the HTTP API of the Prometheus at {@code baseUrl} (e.g. {@code http://127.0.0.1:9090}).
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public static WindowSource prometheus(URI baseUrl, ScoreConfig config, HttpClient http) {
        checkHttpUrl(baseUrl, "Prometheus URL");
        return new PrometheusWindowSource(baseUrl, config, http);
    }

    static void checkHttpUrl(URI url, String what) {
        if (url == null || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException(what + " must look like http://HOST:PORT, got '" + url + "'");
        }
    }
}
