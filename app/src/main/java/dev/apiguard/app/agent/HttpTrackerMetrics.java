package dev.apiguard.app.agent;

import java.util.function.Supplier;

import dev.apiguard.http.HttpTrackerStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The reassembly stage's counters as {@code apiguard_http_*} metrics. */
final class HttpTrackerMetrics {
    private HttpTrackerMetrics() {}

    static void register(PrometheusRegistry registry, Supplier<HttpTrackerStats> stats) {
        GaugeWithCallback.builder()
                .name("apiguard_http_open_connections")
                .help("Connections the HTTP reassembly follows right now")
                .callback(cb -> cb.call(stats.get().openConnections()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_http_connections_total")
                .help("Connections by what ended them or how they began")
                .labelNames("event")
                .callback(cb -> {
                    HttpTrackerStats s = stats.get();
                    cb.call(s.connectionsOpened(), "opened");
                    cb.call(s.connectionsClosed(), "closed");
                    cb.call(s.connectionsEvicted(), "evicted");
                    cb.call(s.upgrades(), "upgraded");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_http_anomalies_total")
                .help("Streams and messages the reassembly could not use, by reason")
                .labelNames("reason")
                .callback(cb -> {
                    HttpTrackerStats s = stats.get();
                    cb.call(s.nonHttpStreams(), "non_http_stream");
                    cb.call(s.parseErrors(), "parse_error");
                    cb.call(s.unmatchedResponses(), "unmatched_response");
                    cb.call(s.pipelineOverflows(), "pipeline_overflow");
                    cb.call(s.lostSyncExchanges(), "lost_sync");
                    cb.call(s.unansweredRequests(), "unanswered_request");
                    cb.call(s.invalidEvents(), "invalid_event");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_exchanges_total")
                .help("HTTP exchanges reassembled and handed to the metrics stage")
                .callback(cb -> cb.call(stats.get().exchangesEmitted()))
                .register(registry);
    }
}
