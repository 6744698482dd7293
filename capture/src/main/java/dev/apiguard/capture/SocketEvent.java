package dev.apiguard.capture;

import dev.apiguard.model.Exchange;

/**
 * One socket send or receive (or a connection's start or end) seen by the kernel programs, as the
 * next stage (http) consumes it. The kernel follows a TCP connection from its first HTTP/1.x bytes
 * (not from accept() or connect(): a connection older than the agent is picked up the same way).
 *
 * <p>{@code data} holds the first {@code capturedLength} bytes the syscall moved (at most
 * {@link #MAX_CAPTURE} bytes); {@code totalLength} is what the syscall really moved. Bytes past the
 * captured prefix are a gap that the parser accounts for by length only.
 *
 * @param kind what happened
 * @param tgid the process that moved the connection's first HTTP bytes (every event of the
 *     connection carries it, whichever process moves the later ones)
 * @param fd that process's file descriptor for the socket then
 * @param generation a number the kernel gives the connection when it is first seen, unique for
 *     the capture's lifetime: it tells apart successive connections on one fd number
 * @param timestampNanos kernel monotonic clock when the bytes had been moved
 * @param role server or client, from the connection's first HTTP bytes (a request read or a response
 *     written: server); unknown only from sources that cannot tell
 * @param totalLength bytes the syscall moved
 * @param data captured bytes, {@code data.length >= capturedLength}
 * @param capturedLength how many bytes of {@code data} are valid
 * @param comm process name (the service, unless config maps it)
 * @param localPort local TCP port, 0 when unknown
 * @param remotePort peer TCP port, 0 when unknown
 * @param tls the data is TLS plaintext, read from a TLS library call (SSL_read, SSL_write, ...) and
 *     joined to the socket the session runs on; the socket's ciphertext is never reported
 */
public record SocketEvent(
        Kind kind,
        int tgid,
        int fd,
        long generation,
        long timestampNanos,
        Role role,
        long totalLength,
        byte[] data,
        int capturedLength,
        String comm,
        int localPort,
        int remotePort,
        boolean tls) {

    /** A plaintext socket event (not TLS). */
    public SocketEvent(Kind kind, int tgid, int fd, long generation, long timestampNanos, Role role, long totalLength,
            byte[] data, int capturedLength, String comm, int localPort, int remotePort) {
        this(kind, tgid, fd, generation, timestampNanos, role, totalLength, data, capturedLength, comm, localPort,
                remotePort, false);
    }

    /**
     * The kernel copies at most this many bytes of each syscall's data: as much as the pipeline keeps
     * of a response body. {@code MAX_CAPTURE} in apiguard.h must be equal (the decoder rejects longer
     * records).
     */
    public static final int MAX_CAPTURE = Exchange.RESPONSE_PREFIX_BYTES;

    public enum Kind {
        /**
         * The connection's first HTTP bytes were seen, and they were a request read or a response
         * written: the server side. Sent just before the event that carries those bytes.
         */
        OPEN_SERVER,
        /** The connection's first HTTP bytes were seen, a request written or a response read: the client side. */
        OPEN_CLIENT,
        /** read, readv, recvfrom, recvmsg: bytes arriving from the peer. */
        INGRESS,
        /** write, writev, sendto, sendmsg, sendfile: bytes leaving towards the peer. */
        EGRESS,
        /** The connection ended: its owner closed it, or the socket was destroyed (a reset, a half-close completed). */
        CLOSE
    }

    public enum Role {
        UNKNOWN,
        SERVER,
        CLIENT
    }

    /** True when part of the syscall's bytes were not copied. */
    public boolean truncated() {
        return capturedLength < totalLength;
    }

    public ConnectionKey connection() {
        return new ConnectionKey(tgid, fd, generation);
    }
}
