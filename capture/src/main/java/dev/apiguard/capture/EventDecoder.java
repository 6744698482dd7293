package dev.apiguard.capture;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one ring-buffer record (struct event_hdr + data, see apiguard.h and {@link
 * KernelStructs#EVENT_HDR}) into a SocketEvent. Used on the poll thread only.
 */
final class EventDecoder {
    static final int HEADER_SIZE = (int) KernelStructs.EVENT_HDR.byteSize();
    private static final SocketEvent.Kind[] KINDS = SocketEvent.Kind.values();
    private static final SocketEvent.Role[] ROLES = SocketEvent.Role.values();

    // comm strings change rarely: reuse the last String per slot instead of decoding each event. A slot
    // holds the 16 comm bytes as two longs, compared in place on the ring (no copy per event).
    private final long[] commLow = new long[256];
    private final long[] commHigh = new long[256];
    private final String[] commStrings = new String[256];
    private final byte[] commScratch = new byte[KernelStructs.EVENT_COMM_SIZE];

    static {
        if (KernelStructs.EVENT_COMM_SIZE != 16) {
            throw new ExceptionInInitializerError("event_hdr.comm is " + KernelStructs.EVENT_COMM_SIZE + " bytes, not 16");
        }
    }

    private long malformed;

    private static final byte[] NO_DATA = {};

    /** Non-null: every event's data goes into this array (the sink does not keep it; see TransientEventSink). */
    private final byte[] reused;

    /** @param reuseData whether every event's data may share one array, refilled per event */
    EventDecoder(boolean reuseData) {
        this.reused = reuseData ? new byte[Math.max(SocketEvent.MAX_CAPTURE, SocketEvent.MAX_H2_RECORD)] : null;
    }

    /** Events of arrays of their own. */
    EventDecoder() {
        this(false);
    }

    /** Decodes a record held in a segment of its own. */
    SocketEvent decode(MemorySegment record) {
        return decode(record, 0L, record.byteSize());
    }

    /**
     * Decodes the record of {@code size} bytes at {@code at} in {@code record} (the layouts' handles take
     * that offset as their base); returns the event, or null for a record too short or of an unknown kind
     * (counted).
     */
    SocketEvent decode(MemorySegment record, long at, long size) {
        if (size < HEADER_SIZE) {
            malformed++;
            return null;
        }
        int kindOrdinal = Short.toUnsignedInt((short) KernelStructs.EVENT_KIND.get(record, at));
        int roleOrdinal = Short.toUnsignedInt((short) KernelStructs.EVENT_ROLE.get(record, at));
        int captured = Short.toUnsignedInt((short) KernelStructs.EVENT_CAPTURED.get(record, at));
        int flags = (short) KernelStructs.EVENT_FLAGS.get(record, at);
        boolean h2 = (flags & KernelStructs.EVENT_FLAG_H2) != 0;
        if (kindOrdinal >= KINDS.length || roleOrdinal >= ROLES.length || HEADER_SIZE + captured > size
                || captured > (h2 ? SocketEvent.MAX_H2_RECORD : SocketEvent.MAX_CAPTURE)) {
            malformed++;
            return null;
        }
        int tgid = (int) KernelStructs.EVENT_TGID.get(record, at);
        byte[] data = captured == 0 ? NO_DATA // length-only events (sendfile) are common
                : reused != null ? reused : new byte[captured];
        MemorySegment.copy(record, ValueLayout.JAVA_BYTE, at + HEADER_SIZE, data, 0, captured);
        return new SocketEvent(
                KINDS[kindOrdinal],
                tgid,
                (int) KernelStructs.EVENT_FD.get(record, at),
                (long) KernelStructs.EVENT_GENERATION.get(record, at),
                (long) KernelStructs.EVENT_TS_NS.get(record, at),
                ROLES[roleOrdinal],
                (long) KernelStructs.EVENT_TOTAL_LEN.get(record, at),
                data,
                captured,
                comm(record, at, tgid),
                Short.toUnsignedInt((short) KernelStructs.EVENT_LPORT.get(record, at)),
                Short.toUnsignedInt((short) KernelStructs.EVENT_RPORT.get(record, at)),
                (flags & KernelStructs.EVENT_FLAG_TLS) != 0,
                h2,
                h2 && (flags & KernelStructs.EVENT_FLAG_H2_LOST) != 0);
    }

    private String comm(MemorySegment record, long at, int tgid) {
        long low = record.get(ValueLayout.JAVA_LONG_UNALIGNED, at + KernelStructs.EVENT_COMM_OFFSET);
        long high = record.get(ValueLayout.JAVA_LONG_UNALIGNED, at + KernelStructs.EVENT_COMM_OFFSET + 8);
        int slot = tgid & 255;
        String cached = commStrings[slot];
        if (cached != null && commLow[slot] == low && commHigh[slot] == high) {
            return cached;
        }
        MemorySegment.copy(record, ValueLayout.JAVA_BYTE, at + KernelStructs.EVENT_COMM_OFFSET, commScratch, 0, commScratch.length);
        int len = 0;
        while (len < commScratch.length && commScratch[len] != 0) {
            len++;
        }
        String comm = new String(commScratch, 0, len, StandardCharsets.UTF_8);
        commLow[slot] = low;
        commHigh[slot] = high;
        commStrings[slot] = comm;
        return comm;
    }

    long malformed() {
        return malformed;
    }
}
