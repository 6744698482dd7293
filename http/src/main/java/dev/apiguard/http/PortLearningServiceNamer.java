package dev.apiguard.http;

import java.util.Map;

/** {@link ServiceNamer#byComm}: two port-indexed tables, bounded by the port range itself. */
final class PortLearningServiceNamer implements ServiceNamer {
    private static final int PORTS = 65_536;
    static final String UNKNOWN = "unknown";

    private final Map<String, String> names;
    private final String[] serverByPort = new String[PORTS];
    private final String[] fallbackByPort = new String[PORTS];

    PortLearningServiceNamer(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    @Override
    public String serverService(String comm) {
        if (comm == null || comm.isEmpty()) {
            return UNKNOWN;
        }
        return names.getOrDefault(comm, comm);
    }

    @Override
    public String clientService(int remotePort) {
        if (remotePort <= 0 || remotePort >= PORTS) {
            return "port-" + remotePort;
        }
        String learned = serverByPort[remotePort];
        if (learned != null) {
            return learned;
        }
        String fallback = fallbackByPort[remotePort];
        if (fallback == null) {
            // Cached so that a busy client does not build the same string per exchange.
            fallback = "port-" + remotePort;
            fallbackByPort[remotePort] = fallback;
        }
        return fallback;
    }

    @Override
    public void serverSeen(int localPort, String service) {
        if (localPort > 0 && localPort < PORTS && service != null) {
            serverByPort[localPort] = service;
        }
    }
}
