package dev.apiguard.capture.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The direct reader over memory laid out as the kernel lays out a BPF ring buffer (consumer page;
 * producer page, then the data once): committed, discarded and still-busy records, and a record
 * that wraps past the end of the data area. (The real map is read by every capture test.)
 */
class RingBufferTest {
    private static final int PAGE = 4096;
    private static final int SIZE = 4096; // one page of data: easy to wrap
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment consumer = arena.allocate(PAGE, PAGE);
    private final MemorySegment producer = arena.allocate(PAGE + SIZE, PAGE);
    private final List<String> seen = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final RingBuffer ring = RingBuffer.overMemory(consumer, producer, PAGE, SIZE,
            (memory, offset, length) -> seen.add(new String(memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII)),
            failures::add, arena);
    private long produced;

    /** Writes a record at the producer position as the kernel does (header, then data, wrapping), returns its header offset. */
    private long write(String text, int flags) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        long at = produced & (SIZE - 1);
        producer.set(ValueLayout.JAVA_INT_UNALIGNED, PAGE + at, bytes.length | flags);
        for (int i = 0; i < bytes.length; i++) {
            producer.set(ValueLayout.JAVA_BYTE, PAGE + ((at + 8 + i) & (SIZE - 1)), bytes[i]);
        }
        produced += (bytes.length + 8 + 7) & ~7L;
        producer.set(ValueLayout.JAVA_LONG, 0, produced);
        return at;
    }

    @Test
    void deliversCommittedRecordsSkipsDiscardedOnesAndStopsAtABusyOne() {
        write("first", 0);
        write("thrown away", DISCARD);
        long busy = write("not yet", BUSY);
        write("after the busy one", 0);
        assertThat(ring.consume()).isEqualTo(1);
        assertThat(seen).containsExactly("first");
        assertThat(consumer.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(busy); // past the discarded record, not the busy one
        assertThat(ring.pending()).isEqualTo(produced - busy);
        assertThat(ring.position()).isEqualTo(busy); // what the drain took: "first" (16 bytes) and the discarded one (24)
        assertThat(busy).isEqualTo(40);
        // The kernel commits it: clears the busy bit.
        producer.set(ValueLayout.JAVA_INT, PAGE + busy, "not yet".length());
        assertThat(ring.consume()).isEqualTo(2);
        assertThat(seen).containsExactly("first", "not yet", "after the busy one");
        assertThat(ring.pending()).isZero();
        assertThat(ring.position()).isEqualTo(produced);
        assertThat(ring.consume()).isZero();
        assertThat(ring.position()).isEqualTo(produced);
        assertThat(failures).isEmpty();
    }

    @Test
    void aRecordThatWrapsPastTheEndArrivesInOnePiece() {
        int rounds = 0;
        List<String> expected = new ArrayList<>();
        // 37-byte records (48 with header and padding) do not divide 4096: over 300 records, many wrap.
        for (int i = 0; i < 300; i++) {
            String text = "record %04d of the wrapping test .....".formatted(i).substring(0, 37);
            write(text, 0);
            expected.add(text);
            if (i % 50 == 49) {
                assertThat(ring.consume()).isEqualTo(50);
                rounds++;
            }
        }
        assertThat(rounds).isEqualTo(6);
        assertThat(produced).isGreaterThan(3L * SIZE);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(failures).isEmpty();
    }

    @Test
    void aHandlerThatThrowsIsReportedAndTheNextRecordStillArrives() {
        RingBuffer throwing = RingBuffer.overMemory(consumer, producer, PAGE, SIZE, (memory, offset, length) -> {
            if (length == 3) {
                throw new IllegalStateException("bad record");
            }
            seen.add("ok");
        }, failures::add, arena);
        write("bad", 0);
        write("good one", 0);
        assertThat(throwing.consume()).isEqualTo(2);
        assertThat(seen).containsExactly("ok");
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst()).hasMessage("bad record");
    }
}
