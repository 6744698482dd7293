package dev.apiguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** /metrics written as it is sent (chunked) is byte for byte the rendered text, on the wire. */
class StreamedMetricsTest {
    @Test
    void aStreamedScrapeIsTheRenderedTextAndHeadHasNoBody() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter counter = Counter.builder().name("streamed_things_total").help("things").labelNames("path").register(registry);
        // Enough series that the text spans many 64 KiB writes (chunks).
        for (int i = 0; i < 20000; i++) {
            counter.labelValues("/route-" + i).inc(i);
        }
        byte[] rendered = MetricsText.render(registry);
        assertThat(rendered.length).isGreaterThan(4 * 64 * 1024);
        try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, Map.of("/metrics", r -> MetricsText.response(registry)))) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create(server.baseUrl() + "/metrics");
            HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValue(MetricsText.CONTENT_TYPE);
            assertThat(get.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
            assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo(new String(rendered, StandardCharsets.UTF_8));

            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }
}
