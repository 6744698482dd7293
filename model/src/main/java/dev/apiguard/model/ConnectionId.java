package dev.apiguard.model;

/**
 * The identity of the connection an exchange travelled on, opaque to every stage but the one that
 * made it: capture's (process, fd, generation) for the agent, the gateway's own serial for a proxied
 * client connection. Two exchanges with equal ids travelled on the same connection. Implementations
 * are immutable values (records) with {@code equals}/{@code hashCode}.
 */
public interface ConnectionId {
    /** A short human-readable form for logs, e.g. {@code pid 42 fd 7} or {@code gateway#17}. */
    String describe();
}
