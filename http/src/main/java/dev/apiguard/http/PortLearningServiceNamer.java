package dev.apiguard.http;

/**
 * {@link ServiceNamer#by}: port-indexed tables, bounded by the port range itself and allocated
 * in pages of 256 ports on first use, so a tracker that sees a few ports costs a few KiB.
 */
final class PortLearningServiceNamer implements ServiceNamer {
    private static final int PORTS = 65_536;
    private static final int PAGE = 256;
    static final String UNKNOWN = "unknown";

    private final ServiceIdentity identity;
    private final String[][] serverByPort = new String[PORTS / PAGE][];
    private final String[][] fallbackByPort = new String[PORTS / PAGE][];

    PortLearningServiceNamer(ServiceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public String serverService(int pid, String comm) {
        return identity.serviceOf(pid, comm);
    }

    @Override
    public String clientService(int remotePort) {
        if (remotePort <= 0 || remotePort >= PORTS) {
            return "port-" + remotePort;
        }
        String[] learned = serverByPort[remotePort / PAGE];
        if (learned != null && learned[remotePort % PAGE] != null) {
            return learned[remotePort % PAGE];
        }
        // Cached so that a busy client does not build the same string per exchange.
        String[] fallback = page(fallbackByPort, remotePort);
        String name = fallback[remotePort % PAGE];
        if (name == null) {
            name = "port-" + remotePort;
            fallback[remotePort % PAGE] = name;
        }
        return name;
    }

    @Override
    public void serverSeen(int localPort, String service) {
        if (localPort > 0 && localPort < PORTS && service != null) {
            page(serverByPort, localPort)[localPort % PAGE] = service;
        }
    }

    private static String[] page(String[][] table, int port) {
        String[] page = table[port / PAGE];
        if (page == null) {
            page = new String[PAGE];
            table[port / PAGE] = page;
        }
        return page;
    }
}
