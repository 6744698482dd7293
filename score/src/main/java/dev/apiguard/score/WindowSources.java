package dev.apiguard.score;

import java.net.URI;
import java.net.http.HttpClient;

import dev.apiguard.metrics.EndpointTotalsSource;

/** The two places windowed traffic can come from. */
public final class WindowSources {
    private WindowSources() {}

    /**
     * The per-endpoint totals of the {@code ApiMetrics} in this process (what its contract families
     * count, without a scrape), windowed by a ring of {@code window/interval} reads: call
     * {@link WindowSource#read} once per interval.
     */
    public static WindowSource embedded(EndpointTotalsSource totals, ScoreConfig config) {
        return new EmbeddedWindowSource(totals, config);
    }

    /**
     * PromQL over the HTTP API of the Prometheus at {@code baseUrl} (e.g. {@code http://127.0.0.1:9090}).
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL, or
     *     {@code use-recording-rules} is set with another window or other sides than the rules'
     */
    public static WindowSource prometheus(URI baseUrl, ScoreConfig config, HttpClient http) {
        checkHttpUrl(baseUrl, "Prometheus URL");
        return new PrometheusWindowSource(baseUrl, config, http);
    }

    /**
     * Checks what the Prometheus source will refuse, so that a command can say so before it starts.
     *
     * @throws IllegalArgumentException with a one-line message
     */
    public static void checkPrometheusConfig(ScoreConfig config) {
        PrometheusWindowSource.checkRecordingRules(config);
    }

    static void checkHttpUrl(URI url, String what) {
        if (url == null || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException(what + " must look like http://HOST:PORT, got '" + url + "'");
        }
    }
}
