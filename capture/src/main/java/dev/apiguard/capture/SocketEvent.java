package dev.apiguard.capture;

import dev.apiguard.model.Exchange;

/**
 * One socket send or receive (or a connection's start or end) seen by the kernel programs, as the
 * next stage (http) consumes it.
 *
 * <p>{@code data} holds the first {@code capturedLength} bytes the syscall moved (at most
 * {@link #MAX_CAPTURE} bytes); {@code totalLength} is what the syscall really moved. Bytes past the
 * captured prefix are a gap that the parser accounts for by length only.
 *
 * @param kind what happened
 * @param tgid process id
 * @param fd file descriptor inside that process
 * @param generation distinguishes successive connections that reuse the same fd
 * @param timestampNanos kernel monotonic clock when the bytes had been moved
 * @param role server or client, from the connection's first HTTP bytes (a request read or a response
 *     written: server); unknown only from sources that cannot tell
 * @param totalLength bytes the syscall moved
 * @param data captured bytes, {@code data.length >= capturedLength}
 * @param capturedLength how many bytes of {@code data} are valid
 * @param comm process name (the service, unless config maps it)
 * @param localPort local TCP port, 0 when unknown
 * @param remotePort peer TCP port, 0 when unknown
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
        int remotePort) {

    /**
     * The kernel copies at most this many bytes of each syscall's data: as much as the pipeline keeps
     * of a response body. {@code MAX_CAPTURE} in apiguard.h must be equal (the decoder rejects longer
     * records).
     */
    public static final int MAX_CAPTURE = Exchange.RESPONSE_PREFIX_BYTES;

    public enum Kind {
        /** A server-side connection starts: its first HTTP bytes were a request read (or a response written). */
        ACCEPT,
        /** A client-side connection starts: its first HTTP bytes were a request written (or a response read). */
        CONNECT,
        /** read, readv, recvfrom, recvmsg: bytes arriving from the peer. */
        INGRESS,
        /** write, writev, sendto, sendmsg, sendfile: bytes leaving towards the peer. */
        EGRESS,
        /** The connection's owner closed it (or it was reset). */
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
