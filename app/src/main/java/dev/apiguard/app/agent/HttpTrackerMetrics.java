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
                    cb.call(s.http2StreamsReset(), "http2_stream_reset");
                    cb.call(s.http2StreamsGoAway(), "http2_stream_goaway");
                    cb.call(s.http2FramesCut(), "http2_frame_cut");
                    cb.call(s.http2LostSync(), "http2_lost_sync");
                    cb.call(s.http2StreamOverflow(), "http2_stream_overflow");
                    cb.call(s.http2UnknownRequests(), "http2_unknown_request");
                    cb.call(s.http2UnknownStatus(), "http2_unknown_status");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_http2_hpack_unknown_total")
                .help("HTTP/2 header blocks not decoded in full: lost in a capture gap, or referring to HPACK table entries from before the agent")
                .callback(cb -> cb.call(stats.get().hpackUnknownBlocks()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_http2_connections_total")
                .help("Connections followed as HTTP/2 (prior-knowledge preface, or frames on a connection older than the agent)")
                .callback(cb -> cb.call(stats.get().http2Connections()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_exchanges_total")
                .help("HTTP exchanges reassembled and handed to the metrics stage")
                .callback(cb -> cb.call(stats.get().exchangesEmitted()))
                .register(registry);
    }
}
