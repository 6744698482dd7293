package dev.apiguard.http;

import java.util.Map;

/**
 * Names the service an exchange belongs to.
 *
 * <p>Server side, it is the process that answered, named by a {@link ServiceIdentity}. Client side,
 * it is the server being called: the local process seen listening on the remote port if any, else
 * {@code "port-<remote port>"}. A remote host that happens to use the port of a local server gets that
 * server's name; the agent only sees ports, and that is good enough on one node.
 *
 * <p>Used by one tracker thread; implementations need not be thread-safe.
 */
public interface ServiceNamer {
    /** The service for exchanges answered by process {@code pid}, named {@code comm}. */
    String serverService(int pid, String comm);

    /** The service for exchanges a client sent to {@code remotePort}. */
    String clientService(int remotePort);

    /** Records that {@code service} answers connections on local port {@code localPort}. */
    void serverSeen(int localPort, String service);

    /** Names by comm (mapped through {@code names} when present), learning server ports as they show up. */
    static ServiceNamer byComm(Map<String, String> names) {
        return new PortLearningServiceNamer(ServiceIdentity.byComm(names));
    }

    /** Names servers by {@code identity}, learning server ports as they show up. */
    static ServiceNamer by(ServiceIdentity identity) {
        return new PortLearningServiceNamer(identity);
    }
}
