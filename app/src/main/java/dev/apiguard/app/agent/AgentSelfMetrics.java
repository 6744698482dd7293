package dev.apiguard.app.agent;

import dev.apiguard.capture.KernelStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The agent's own health as {@code apiguard_*} metrics, read when scraped. */
final class AgentSelfMetrics {
    private AgentSelfMetrics() {}

    static void register(PrometheusRegistry registry, Agent agent) {
        CounterWithCallback.builder()
                .name("apiguard_kernel_events_total")
                .help("Socket events read from the BPF ring buffer")
                .callback(cb -> cb.call(agent.kernelStats().events()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_events_dropped_total")
                .help("Events lost before parsing, by reason (ring buffer full, no kernel memory for a connection's state, malformed record)")
                .labelNames("reason")
                .callback(cb -> {
                    KernelStats k = agent.kernelStats();
                    cb.call(k.ringBufferDrops(), "ringbuf_full");
                    cb.call(k.connectionTableFull(), "conn_table_full");
                    cb.call(agent.malformedRecords(), "malformed");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_kernel_ignored_connections_total")
                .help("Connections the kernel stopped following because their bytes did not start like HTTP/1.x")
                .callback(cb -> cb.call(agent.kernelStats().notHttpConnections()))
                .register(registry);
        // Only the capture stage for now; to be folded into the shared per-stage counter when it exists.
        CounterWithCallback.builder()
                .name("apiguard_internal_errors_total")
                .help("Exceptions caught so that processing goes on (the event is skipped), by stage")
                .labelNames("stage")
                .callback(cb -> cb.call(agent.captureInternalErrors(), "capture"))
                .register(registry);
        HttpTrackerMetrics.register(registry, agent::trackerStats);
    }
}
