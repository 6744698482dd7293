package dev.apiguard.http;

import java.util.Map;

/**
 * The service a server process belongs to: the name its exchanges carry in the {@code service} label,
 * and the key of its route budget.
 *
 * <p>Derived, first match wins: the config's mapping (keyed by process name or by the derived name);
 * the process's {@code OTEL_SERVICE_NAME} or {@code SERVICE_NAME}; its systemd unit
 * ({@code orders.service} → {@code orders}); its container (a 12-character id); a JVM's {@code -jar}
 * file or main class, or the script of a python, node or ruby process; and only then its name (comm).
 * So two {@code python3} processes serving different apps are two services.
 *
 * <p>Used by one thread (the tracker's); {@link #stats()} may be read from any thread.
 */
public interface ServiceIdentity {
    /** Pids whose identity is remembered; beyond, the least recently used is forgotten and counted. */
    int DEFAULT_MAX_CACHED_PIDS = 4096;

    /** The service of process {@code pid} whose name is {@code comm}; never null. */
    String serviceOf(int pid, String comm);

    /** Derivations by source, and cache evictions; for the agent's own metrics. */
    Stats stats();

    /**
     * @param bySource identities derived, by where they came from ({@link Source})
     * @param cacheOverflows pids forgotten because the cache was full
     * @param pidsReused cached identities dropped because their process exited or their pid now belongs to another one
     * @param unreadableFiles {@code /proc} files that could not be read (mostly: the process had exited)
     */
    record Stats(Map<Source, Long> bySource, long cacheOverflows, long pidsReused, long unreadableFiles) {}

    /** Where an identity came from, in the order they are tried. */
    enum Source {
        CONFIG, ENV, SYSTEMD, CONTAINER, CMDLINE, COMM;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The comm only, mapped through {@code names}: for replays and tests, where pids are not real. */
    static ServiceIdentity byComm(Map<String, String> names) {
        Map<String, String> copy = Map.copyOf(names);
        return new ServiceIdentity() {
            @Override
            public String serviceOf(int pid, String comm) {
                if (comm == null || comm.isEmpty()) {
                    return PortLearningServiceNamer.UNKNOWN;
                }
                return copy.getOrDefault(comm, comm);
            }

            @Override
            public Stats stats() {
                return new Stats(Map.of(), 0, 0, 0);
            }
        };
    }

    /** Reads each process's environment, cgroup and command line from {@code /proc} (the agent). */
    static ServiceIdentity fromProc(Map<String, String> names, int maxCachedPids) {
        return new ProcServiceIdentity(java.nio.file.Path.of("/proc"), names, maxCachedPids, System::nanoTime);
    }
}
