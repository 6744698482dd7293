package dev.apiguard.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** Renders a registry in the Prometheus text format (0.0.4), as served on /metrics. */
public final class MetricsText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsText() {}

    /**
     * /metrics as a streamed answer: the snapshot is taken now (a failure is the handler's, a 500), and
     * the text is written as it is sent. A registry of thousands of endpoints renders to megabytes:
     * held as one array (and the arrays it grew through), each scrape left garbage that outlived young
     * collections and grew the agent's heap.
     */
    public static AdminHttpServer.Response response(PrometheusRegistry registry) {
        MetricSnapshots snapshots = registry.scrape();
        return AdminHttpServer.Response.streamed(CONTENT_TYPE, out -> PrometheusTextFormatWriter.create().write(out, snapshots));
    }

    public static byte[] render(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
