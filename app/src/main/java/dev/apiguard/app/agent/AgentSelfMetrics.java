package dev.apiguard.app.agent;

import dev.apiguard.capture.H2Stats;
import dev.apiguard.capture.KernelStats;
import dev.apiguard.capture.TlsStats;
import dev.apiguard.http.ServiceIdentity;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
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
                    TlsStats tls = agent.tlsStats();
                    if (tls.enabled()) {
                        cb.call(tls.unjoined(), "tls_unjoined");
                        cb.call(tls.callsFull(), "tls_calls_full");
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("apiguard_tls_libraries_attached")
                .help("TLS library files (libssl, libgnutls, executables with OpenSSL linked in) whose read and write functions carry the agent's uprobes; 0 when agent.capture.tls is off")
                .callback(cb -> cb.call(agent.tlsStats().attached().size()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("apiguard_tls_libraries_skipped")
                .help("TLS library files found and not attached (a required function missing, unreadable, attach refused); the start-up log and each later one give the reason")
                .callback(cb -> cb.call(agent.tlsStats().skipped().size()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_tls_exec_signals_lost_total")
                .help("Execs whose process could not be queued for an immediate TLS scan (queue full): left to the 2 s rescan of /proc")
                .callback(cb -> cb.call(agent.tlsStats().execSignalsLost()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("apiguard_tls_stripped_go_binaries")
                .help("Go executables seen without a symbol table (.symtab): their crypto/tls cannot be probed")
                .callback(cb -> cb.call(agent.tlsStats().strippedGoBinaries()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_kernel_h2_walk_total")
                .help("What the kernel's HTTP/2 frame walk did not copy or follow, by reason (block_cut: a header-block frame over 16 KiB; payload_cut: a payload to copy ended without a user buffer; lost_sync: a direction lost its frame boundaries)")
                .labelNames("reason")
                .callback(cb -> {
                    H2Stats h2 = agent.h2Stats();
                    cb.call(h2.blockCut(), "block_cut");
                    cb.call(h2.payloadCut(), "payload_cut");
                    cb.call(h2.lostSync(), "lost_sync");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_kernel_ignored_connections_total")
                .help("Connections the kernel stopped following because their bytes did not start like HTTP/1.x")
                .callback(cb -> cb.call(agent.kernelStats().notHttpConnections()))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_service_identities_total")
                .help("Server processes named, by where the name came from (config, env, systemd, container, cmdline, comm)")
                .labelNames("source")
                .callback(cb -> agent.serviceIdentityStats().bySource().forEach((source, n) -> cb.call(n, source.label())))
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_service_identity_cache_evictions_total")
                .help("Per-pid service names forgotten, by reason (overflow: the cache was full; pid_reused: the process exited or another one got its pid)")
                .labelNames("reason")
                .callback(cb -> {
                    ServiceIdentity.Stats s = agent.serviceIdentityStats();
                    cb.call(s.cacheOverflows(), "overflow");
                    cb.call(s.pidsReused(), "pid_reused");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("apiguard_service_identity_unreadable_files_total")
                .help("/proc files the service naming could not read (mostly: the process had exited); the next source was used")
                .callback(cb -> cb.call(agent.serviceIdentityStats().unreadableFiles()))
                .register(registry);
        HttpTrackerMetrics.register(registry, agent::trackerStats);
    }
}
