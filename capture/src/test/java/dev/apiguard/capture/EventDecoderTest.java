package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Records laid out as the kernel writes them (struct event_hdr, then the data), decoded. */
class EventDecoderTest {
    private final Arena arena = Arena.ofAuto();

    private MemorySegment record(String data, long totalLength) {
        byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
        MemorySegment r = arena.allocate(EventDecoder.HEADER_SIZE + bytes.length, 8);
        KernelStructs.EVENT_KIND.set(r, 0L, (short) SocketEvent.Kind.EGRESS.ordinal());
        KernelStructs.EVENT_ROLE.set(r, 0L, (short) SocketEvent.Role.SERVER.ordinal());
        KernelStructs.EVENT_CAPTURED.set(r, 0L, (short) bytes.length);
        KernelStructs.EVENT_TGID.set(r, 0L, 4242);
        KernelStructs.EVENT_FD.set(r, 0L, 7);
        KernelStructs.EVENT_GENERATION.set(r, 0L, 99L);
        KernelStructs.EVENT_TOTAL_LEN.set(r, 0L, totalLength);
        MemorySegment.copy(bytes, 0, r, ValueLayout.JAVA_BYTE, EventDecoder.HEADER_SIZE, bytes.length);
        MemorySegment.copy("nginx".getBytes(StandardCharsets.US_ASCII), 0, r, ValueLayout.JAVA_BYTE, KernelStructs.EVENT_COMM_OFFSET, 5);
        return r;
    }

    private static String text(SocketEvent e) {
        return new String(e.data(), 0, e.capturedLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void eachEventHasAnArrayOfItsOwnByDefault() {
        EventDecoder decoder = new EventDecoder();
        SocketEvent first = decoder.decode(record("HTTP/1.1 200 OK\r\n", 17));
        SocketEvent second = decoder.decode(record("GET / HTTP/1.1\r\n", 16));
        assertThat(first.data()).isNotSameAs(second.data()).hasSize(17);
        assertThat(text(first)).isEqualTo("HTTP/1.1 200 OK\r\n"); // still whole after the next event
        assertThat(text(second)).isEqualTo("GET / HTTP/1.1\r\n");
        assertThat(second.comm()).isEqualTo("nginx");
        assertThat(second.connection()).isEqualTo(new ConnectionKey(4242, 7, 99L));
    }

    /** For a sink that copies what it keeps: one array, refilled; the event says how much of it is this event's. */
    @Test
    void aReusingDecoderRefillsOneArray() {
        EventDecoder decoder = new EventDecoder(true);
        SocketEvent first = decoder.decode(record("HTTP/1.1 200 OK\r\n", 17));
        assertThat(text(first)).isEqualTo("HTTP/1.1 200 OK\r\n");
        SocketEvent second = decoder.decode(record("GET / HTTP/1.1\r\n", 16));
        assertThat(second.data()).isSameAs(first.data()).hasSize(SocketEvent.MAX_H2_RECORD);
        assertThat(second.capturedLength()).isEqualTo(16);
        assertThat(text(second)).isEqualTo("GET / HTTP/1.1\r\n");
        // A length-only event (nginx's sendfile) carries no bytes either way.
        SocketEvent body = decoder.decode(record("", 170));
        assertThat(body.data()).isEmpty();
        assertThat(body.totalLength()).isEqualTo(170);
        assertThat(decoder.malformed()).isZero();
    }
}
