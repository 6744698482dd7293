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
 * @param h2Walk the data is the kernel's HTTP/2 frame walk of the bytes the event covers ({@code
 *     totalLength}): segments, each a little-endian {@code u32 len, u32 gap} then {@code len} copied
 *     bytes, then {@code gap} bytes that passed uncopied (see {@link #forEachSegment})
 * @param h2Lost with {@code h2Walk}: the walk had lost the frame boundaries before these bytes
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
        boolean tls,
        boolean h2Walk,
        boolean h2Lost) {

    /** A socket event of plain captured bytes (not an HTTP/2 frame walk). */
    public SocketEvent(Kind kind, int tgid, int fd, long generation, long timestampNanos, Role role, long totalLength,
            byte[] data, int capturedLength, String comm, int localPort, int remotePort, boolean tls) {
        this(kind, tgid, fd, generation, timestampNanos, role, totalLength, data, capturedLength, comm, localPort,
                remotePort, tls, false, false);
    }

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

    /** The data bytes of one HTTP/2 frame walk record at most ({@code H2_REC} in h2.bpf.h). */
    public static final int MAX_H2_RECORD = 8192;

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

    /** Receives the segments of an HTTP/2 frame walk event. */
    public interface SegmentSink {
        /** {@code len} bytes of {@code data} from {@code off}, then {@code gap} bytes not copied. */
        void segment(byte[] data, int off, int len, long gap);
    }

    /**
     * Walks the segments of an {@link #h2Walk} event; returns false (having delivered the segments
     * before it) when one is malformed: its length runs past the captured bytes, or the segments
     * cover more than {@code totalLength}.
     */
    public boolean forEachSegment(SegmentSink sink) {
        int p = 0;
        long covered = 0;
        while (p + 8 <= capturedLength) {
            int len = le32(data, p);
            long gap = le32(data, p + 4) & 0xffffffffL;
            p += 8;
            if (len < 0 || len > capturedLength - p || covered + len + gap > totalLength) {
                return false;
            }
            sink.segment(data, p, len, gap);
            p += len;
            covered += len + gap;
        }
        return p == capturedLength;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    /** True when part of the syscall's bytes were not copied. */
    public boolean truncated() {
        return capturedLength < totalLength;
    }

    public ConnectionKey connection() {
        return new ConnectionKey(tgid, fd, generation);
    }
}
