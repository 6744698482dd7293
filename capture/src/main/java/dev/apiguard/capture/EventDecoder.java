package dev.apiguard.capture;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes one ring-buffer record (struct event_hdr + data, see apiguard.h) into a SocketEvent.
 * Used on the poll thread only.
 */
final class EventDecoder {
    static final int HEADER_SIZE = 64;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final SocketEvent.Kind[] KINDS = SocketEvent.Kind.values();
    private static final SocketEvent.Role[] ROLES = SocketEvent.Role.values();

    // comm strings change rarely: reuse the last String per slot instead of decoding each event.
    private final byte[][] commBytes = new byte[256][];
    private final String[] commStrings = new String[256];
    private final byte[] commScratch = new byte[16];

    private long malformed;

    /** Returns the event, or null for a record too short or of an unknown kind (counted). */
    SocketEvent decode(MemorySegment record) {
        long size = record.byteSize();
        if (size < HEADER_SIZE) {
            malformed++;
            return null;
        }
        int kindOrdinal = Short.toUnsignedInt(record.get(U16, 32));
        int roleOrdinal = Short.toUnsignedInt(record.get(U16, 34));
        int captured = Short.toUnsignedInt(record.get(U16, 36));
        if (kindOrdinal >= KINDS.length || roleOrdinal >= ROLES.length || HEADER_SIZE + captured > size
                || captured > SocketEvent.MAX_CAPTURE) {
            malformed++;
            return null;
        }
        int tgid = record.get(U32, 24);
        byte[] data = new byte[captured];
        MemorySegment.copy(record, ValueLayout.JAVA_BYTE, HEADER_SIZE, data, 0, captured);
        return new SocketEvent(
                KINDS[kindOrdinal],
                tgid,
                record.get(U32, 28),
                record.get(U64, 8),
                record.get(U64, 0),
                ROLES[roleOrdinal],
                record.get(U64, 16),
                data,
                captured,
                comm(record, tgid),
                Short.toUnsignedInt(record.get(U16, 38)),
                Short.toUnsignedInt(record.get(U16, 40)));
    }

    private String comm(MemorySegment record, int tgid) {
        MemorySegment.copy(record, ValueLayout.JAVA_BYTE, 48, commScratch, 0, 16);
        int slot = tgid & 255;
        byte[] cached = commBytes[slot];
        if (cached != null && Arrays.equals(cached, commScratch)) {
            return commStrings[slot];
        }
        int len = 0;
        while (len < 16 && commScratch[len] != 0) {
            len++;
        }
        String comm = new String(commScratch, 0, len, StandardCharsets.UTF_8);
        commBytes[slot] = commScratch.clone();
        commStrings[slot] = comm;
        return comm;
    }

    long malformed() {
        return malformed;
    }
}
